// Runtime ISA dispatch. Each hot kernel is compiled once per target ISA (see
// src/kernels/simd.hpp and the *_isa.cpp files) and the best variant the CPU
// supports is chosen once, at first use. LEADKIT_ISA=baseline|avx2|avx512 in
// the environment caps the choice (for testing a lower variant on a bigger CPU).
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/linear.hpp"
#include "kernels/persona.hpp"

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
  // out[g] = x . W[g], g < n_dots (W row-major, w_stride floats per row).
  void (*multi_dot)(const float* x, const float* W, std::size_t n_dots, std::size_t n,
                    std::size_t w_stride, float* out) noexcept;
  // multi_dot over rows [begin, end) of X (W rows n floats apart), row-major out.
  void (*multi_dot_rows)(const float* X, std::size_t begin, std::size_t end, std::size_t stride,
                         const float* W, std::size_t n_dots, std::size_t n, float* out) noexcept;
  // Top-k |x_j * w_j| of one row; scratch holds n rounded up to 16 floats.
  void (*top_contributions)(const float* x, const float* w, std::size_t n, std::size_t k,
                            float* scratch, std::int32_t* out_index, float* out_value) noexcept;
  // Persona matching of rows [begin, end) (kernels/persona.hpp); returns the
  // first row with a NaN or infinite feature, or end.
  std::size_t (*persona_rows)(const float* X, std::size_t stride, std::size_t begin, std::size_t end,
                              const PersonaPanel& panel, const PersonaOut& out) noexcept;
  // k-means: sums[labels[i] * d + j] += X[i][j] (in double) for rows [begin, end).
  void (*persona_accumulate)(const float* X, std::size_t stride, std::size_t begin, std::size_t end,
                             std::size_t d, const std::int32_t* labels, double* sums) noexcept;
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
