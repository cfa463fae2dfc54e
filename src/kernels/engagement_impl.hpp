// Kernel body of engagement decay, compiled once per ISA (see simd.hpp for the
// rules that apply here: no std templates or inline functions). Include after
// kernels/linear_impl.hpp (it uses exp_clamped).
#pragma once

#include <cstddef>
#include <cstdint>

namespace leadkit::kernels::LEADKIT_ISA_NS {

// out[i] = points[type[i]] * mult[i] * exp(clamp(coef[type[i]] * (ref - ts[i]), -87, 87)),
// or 0 where ts[i] > limit. mult == nullptr means 1. With coef = -ln2 / half_life
// this is points * mult * 2^(-(ref - ts) / half_life); coef = 0 gives no decay.
// The age ref - ts is formed in double (timestamps are ~1e9 s) and rounded to
// float (callers keep |ref - ts| < 1e15, so it stays finite); the rest is float SIMD.
inline void engagement_weights(const std::int32_t* type, const double* ts, const float* mult,
                               std::size_t n, double ref, double limit, const float* coef,
                               const float* points, float* out) noexcept {
  constexpr std::size_t W = Vec::width;
  constexpr std::size_t B = 64;  // a multiple of every W
  alignas(64) float x[B];
  alignas(64) float p[B];
  for (std::size_t i0 = 0; i0 < n; i0 += B) {
    const std::size_t m = n - i0 < B ? n - i0 : B;
    const std::int32_t* ty = type + i0;
    const double* s = ts + i0;
    // Simple loops (gather, convert, select) that the compiler vectorises per ISA.
    for (std::size_t j = 0; j < m; ++j) x[j] = coef[ty[j]] * static_cast<float>(ref - s[j]);
    if (mult != nullptr) {
      for (std::size_t j = 0; j < m; ++j) p[j] = points[ty[j]] * mult[i0 + j];
    } else {
      for (std::size_t j = 0; j < m; ++j) p[j] = points[ty[j]];
    }
    for (std::size_t j = 0; j < m; ++j) p[j] = s[j] <= limit ? p[j] : 0.0f;
    for (std::size_t j = m; j < B; ++j) x[j] = p[j] = 0.0f;
    for (std::size_t k = 0; k < m; k += W) {
      const Vec e = Vec::max(Vec::min(Vec::load(x + k), Vec::set1(87.0f)), Vec::set1(-87.0f));
      const Vec w = Vec::mul(Vec::load(p + k), exp_clamped(e));
      if (m - k >= W)
        Vec::store(out + i0 + k, w);
      else
        Vec::store_partial(out + i0 + k, w, m - k);
    }
  }
}

}  // namespace leadkit::kernels::LEADKIT_ISA_NS
