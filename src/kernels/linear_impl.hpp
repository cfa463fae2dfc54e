// Linear scoring kernel body, compiled once per ISA (see simd.hpp).
#pragma once

#include "kernels/linear.hpp"
#include "kernels/simd.hpp"

namespace leadkit::kernels::LEADKIT_ISA_NS {

// x . w over n floats with four independent accumulators (hides FMA latency).
// The association order is fixed for a given ISA and n, so a row's score does
// not depend on which thread computes it.
inline float dot(const float* x, const float* w, std::size_t n) noexcept {
  constexpr std::size_t W = Vec::width;
  Vec a0 = Vec::zero(), a1 = Vec::zero(), a2 = Vec::zero(), a3 = Vec::zero();
  std::size_t j = 0;
  for (; j + 4 * W <= n; j += 4 * W) {
    a0 = Vec::fmadd(Vec::load(x + j), Vec::load(w + j), a0);
    a1 = Vec::fmadd(Vec::load(x + j + W), Vec::load(w + j + W), a1);
    a2 = Vec::fmadd(Vec::load(x + j + 2 * W), Vec::load(w + j + 2 * W), a2);
    a3 = Vec::fmadd(Vec::load(x + j + 3 * W), Vec::load(w + j + 3 * W), a3);
  }
  for (; j + W <= n; j += W) a0 = Vec::fmadd(Vec::load(x + j), Vec::load(w + j), a0);
  if (j < n) a1 = Vec::fmadd(Vec::load_partial(x + j, n - j), Vec::load_partial(w + j, n - j), a1);
  return Vec::sum(Vec::add(Vec::add(a0, a1), Vec::add(a2, a3)));
}

inline float sigmoid1(float z) noexcept {
  if (z >= 0.0f) return 1.0f / (1.0f + __builtin_expf(-z));
  const float e = __builtin_expf(z);
  return e / (1.0f + e);
}

inline std::size_t linear_rows(const float* X, std::size_t begin, std::size_t end, std::size_t cols,
                               std::size_t stride, const float* w, float b, Link link,
                               float* out) noexcept {
  std::size_t first_bad = end;
  for (std::size_t i = begin; i < end; ++i) {
    const float s = dot(X + i * stride, w, cols) + b;
    if (!__builtin_isfinite(s) && first_bad == end) first_bad = i;
    out[i] = s;
  }
  if (link == Link::sigmoid) {
    // A second, in-cache pass over this block's outputs keeps the dot loop tight.
    for (std::size_t i = begin; i < end; ++i) out[i] = sigmoid1(out[i]);
  }
  return first_bad;
}

}  // namespace leadkit::kernels::LEADKIT_ISA_NS
