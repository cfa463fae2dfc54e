// Points-model kernel interface (ISA-independent): leads scored with rows as
// SIMD lanes. A block of 16 (AVX-512), 8 (AVX2) or 4 (SSE) rows is
// transposed in registers, so each column the rules read is one vector and
// each rule one multiply and add into the lanes' group sums; the group caps,
// the limit and the floor are then a few vector min/max over those lanes.
//
// The sums are exactly those of the scalar code (PointsModel::sums): each
// group's rules in order, s = 0, s = s + points * x with the product rounded
// (never fused into an FMA), on every ISA. So a lead scores the same bits
// alone, in any batch and on any variant.
#pragma once

#include <cstddef>
#include <cstdint>

namespace leadkit::kernels {

// A points model as the kernel reads it.
struct PointsProgram {
  const std::uint32_t* feature = nullptr;   // column of each term
  const float* points = nullptr;            // points of each term
  const std::uint32_t* term_end = nullptr;  // n_sums + 1: sum s has terms [term_end[s], term_end[s + 1])
  std::size_t n_sums = 0;                   // groups + 1 (the last: the ungrouped rules)
  const float* lo = nullptr;                // n_sums - 1 group minimums
  const float* hi = nullptr;                // n_sums - 1 group maximums
  std::uint32_t first_feature = 0;          // the smallest and largest column a term reads
  std::uint32_t last_feature = 0;           // (the columns a block needs transposed)
  float limit = 0.0f;                       // +inf for none
  bool floor_at_zero = false;
};

}  // namespace leadkit::kernels
