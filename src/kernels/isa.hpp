// Runtime ISA dispatch. Each hot kernel is compiled once per target ISA (see
// src/kernels/simd.hpp and the *_isa.cpp files) and the best variant the CPU
// supports is chosen once, at first use. LEADKIT_ISA=baseline|avx2|avx512 in
// the environment caps the choice (for testing a lower variant on a bigger CPU).
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/linear.hpp"
#include "kernels/persona.hpp"
#include "kernels/points.hpp"
#include "kernels/scorecard.hpp"

namespace leadkit::kernels {

enum class Isa : int { baseline = 0, avx2 = 1, avx512 = 2 };
constexpr int kIsaCount = 3;

const char* isa_name(Isa isa) noexcept;

// Function table of one ISA variant.
struct KernelTable {
  Isa isa;
  std::size_t (*linear_rows)(const float* X, std::size_t begin, std::size_t end, std::size_t cols,
                             std::size_t stride, const float* w, float b, Link link,
                             float* out) noexcept;
  // out[(i - begin) * n_dots + g] = X[i] . W[g] for rows [begin, end) of X
  // and n_dots rows of W (n floats apart).
  void (*multi_dot_rows)(const float* X, std::size_t begin, std::size_t end, std::size_t stride,
                         const float* W, std::size_t n_dots, std::size_t n, float* out) noexcept;
  // Top-k |x_j * w_j| of one row; scratch holds n rounded up to 16 floats.
  void (*top_contributions)(const float* x, const float* w, std::size_t n, std::size_t k,
                            float* scratch, std::int32_t* out_index, float* out_value) noexcept;
  // out[j] = sum_g coef[g] * W[g * n + j], g < n_rows.
  void (*combine_rows)(const float* W, const float* coef, std::size_t n_rows, std::size_t n,
                       float* out) noexcept;
  // x[i] = sigmoid(x[i]) for i < n, the same per element as linear_rows' link.
  void (*sigmoid_inplace)(float* x, std::size_t n) noexcept;
  // Whether a block of engagement events passes every check (see engagement_impl.hpp).
  bool (*engagement_screen)(const std::int32_t* lead, const std::int32_t* type, const double* ts, const float* mult,
                            std::size_t n, std::size_t n_leads, std::size_t n_types, double lo, double hi) noexcept;
  // Engagement decay weights (see engagement_impl.hpp).
  void (*engagement_weights)(const std::int32_t* type, const double* ts, const float* mult,
                             std::size_t n, double ref, double limit, const float* coef,
                             const float* points, std::size_t n_types, float* out) noexcept;
  // Both of a block at once: false if an event fails a check, else true with
  // the weights written (see engagement_impl.hpp).
  bool (*engagement_checked_weights)(const std::int32_t* lead, const std::int32_t* type, const double* ts,
                                     const float* mult, std::size_t n, std::size_t n_leads, double lo, double hi,
                                     double ref, double limit, const float* coef, const float* points,
                                     std::size_t n_types, float* out) noexcept;
  // Persona matching of rows [begin, end) (kernels/persona.hpp); returns the
  // first row with a NaN or infinite feature, or end.
  std::size_t (*persona_rows)(const float* X, std::size_t stride, std::size_t begin, std::size_t end,
                              const PersonaPanel& panel, const PersonaOut& out) noexcept;
  // k-means: sums[labels[i] * d + j] += X[i][j] (in double) for rows [begin, end).
  void (*persona_accumulate)(const float* X, std::size_t stride, std::size_t begin, std::size_t end,
                             std::size_t d, const std::int32_t* labels, double* sums) noexcept;
  // Rows as lanes (lanes_impl.hpp, points_impl.hpp): `lanes` rows per block (the vector
  // width); a block transposed into T (transpose_rows), or transposed with
  // its logistic dot products taken on the way and only the columns asked
  // for stored (lanes_block), then the points models of its rows:
  // bit-identical to multi_dot_rows / dot and PointsModel::sums + finish_sums.
  std::size_t lanes;
  void (*transpose_rows)(const float* X, std::size_t stride, std::size_t rows, std::size_t c0, std::size_t c1,
                         float* T) noexcept;
  void (*lanes_block)(const float* X, std::size_t stride, std::size_t rows, std::size_t n, const float* w,
                      const std::uint64_t* keep, float* T, float* out) noexcept;
  void (*points_lanes)(const float* T, std::size_t c0, const PointsProgram& p, float* sums, std::size_t ld,
                       float* score) noexcept;
  // The Scorecard's tile epilogue (scorecard_impl.hpp): probability, total,
  // grade, stage and the finiteness checks in one vector pass; returns the
  // first row that is not finite, or f.rows.
  std::size_t (*finish_tile)(const TileFinish& f) noexcept;
};

// The best ISA this CPU (and OS) supports, ignoring LEADKIT_ISA.
Isa detected_isa() noexcept;

// The variant in use: detected_isa() capped by LEADKIT_ISA; decided once.
const KernelTable& active() noexcept;

// Whether this build contains a variant (whatever the CPU).
bool compiled(Isa isa) noexcept;

// The table of a variant, or nullptr if this build lacks it or the CPU cannot run it.
const KernelTable* table_for(Isa isa) noexcept;

// Per-ISA tables, defined in the per-ISA translation units.
namespace baseline { extern const KernelTable table; }
namespace avx2 { extern const KernelTable table; }
namespace avx512 { extern const KernelTable table; }

}  // namespace leadkit::kernels
