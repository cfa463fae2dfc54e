// The points models over rows as lanes (see points.hpp and lanes_impl.hpp),
// compiled once per ISA: over a transposed block, each term is one multiply
// and add into its group's sum for all the block's rows.
#pragma once

#include <cstdint>

#include "kernels/lanes_impl.hpp"
#include "kernels/points.hpp"
#include "kernels/simd.hpp"

namespace leadkit::kernels::LEADKIT_ISA_NS {

// The points model p over the transposed rows of T (T's column 0 is feature
// c0): score[l] for every lane, and the group sums at sums[g * ld + l] when
// sums is not null. The same operations in the same order as
// PointsModel::sums and finish_sums, so the same bits.
inline void points_lanes(const float* T, std::size_t c0, const PointsProgram& p, float* sums, std::size_t ld,
                         float* score) noexcept {
  constexpr std::size_t W = Vec::width;
  const std::size_t G = p.n_sums - 1;
  // Column f's vector at base + f * W floats: the offset of c0 taken once,
  // in integers (T - c0 * W may lie before T), not per term.
  const std::uintptr_t base = reinterpret_cast<std::uintptr_t>(T) - c0 * W * sizeof(float);
  const std::uint32_t* feature = p.feature;
  const float* points = p.points;
  auto term = [&](std::uint32_t t) {
    const auto* column = reinterpret_cast<const float*>(base + std::uintptr_t{feature[t]} * (W * sizeof(float)));
    return Vec::mul_rounded(Vec::set1(points[t]), Vec::load(column));
  };
  // A group's terms two per step (the products first, then the adds in
  // term order): half the loop overhead per term; with the offset above,
  // the kernel ran 1.5x as fast on the benchmark scorecard's 20 rules (a
  // standalone loop over a block in cache).
  auto group_sum = [&](std::size_t g) {
    Vec acc = Vec::zero();
    std::uint32_t t = p.term_end[g];
    const std::uint32_t end = p.term_end[g + 1];
    for (; t + 2 <= end; t += 2) {
      const Vec m0 = term(t), m1 = term(t + 1);
      acc = Vec::add(acc, m0);
      acc = Vec::add(acc, m1);
    }
    if (t < end) acc = Vec::add(acc, term(t));
    if (sums != nullptr) Vec::store(sums + g * ld, acc);
    return acc;
  };
  // total = ungrouped + clamp(group 0) + clamp(group 1) + ..., in that order.
  // max(lo, s) and min(hi, s) return s when it is NaN, as std::max(s, lo)
  // and std::min(s, hi) do, so a NaN feature still yields a NaN score.
  Vec total = group_sum(G);
  for (std::size_t g = 0; g < G; ++g)
    total = Vec::add(total, Vec::min(Vec::set1(p.hi[g]), Vec::max(Vec::set1(p.lo[g]), group_sum(g))));
  total = Vec::min(Vec::set1(p.limit), total);
  if (p.floor_at_zero) total = Vec::max(Vec::zero(), total);
  Vec::store(score, total);
}

}  // namespace leadkit::kernels::LEADKIT_ISA_NS
