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
// The exponent is formed in double (timestamps are ~1e9 s), the exp in float SIMD.
inline void engagement_weights(const std::int32_t* type, const double* ts, const float* mult,
                               std::size_t n, double ref, double limit, const double* coef,
                               const float* points, float* out) noexcept {
  constexpr std::size_t W = Vec::width;
  alignas(64) float x[W];
  alignas(64) float p[W];
  for (std::size_t i = 0; i < n; i += W) {
    const std::size_t m = n - i < W ? n - i : W;
    for (std::size_t j = 0; j < m; ++j) {
      const std::int32_t t = type[i + j];
      const double s = ts[i + j];
      double e = coef[t] * (ref - s);
      e = e < -87.0 ? -87.0 : (e > 87.0 ? 87.0 : e);
      x[j] = static_cast<float>(e);
      const float pm = mult != nullptr ? points[t] * mult[i + j] : points[t];
      p[j] = s <= limit ? pm : 0.0f;
    }
    for (std::size_t j = m; j < W; ++j) x[j] = p[j] = 0.0f;
    const Vec w = Vec::mul(Vec::load(p), exp_clamped(Vec::load(x)));
    if (m == W)
      Vec::store(out + i, w);
    else
      Vec::store_partial(out + i, w, m);
  }
}

}  // namespace leadkit::kernels::LEADKIT_ISA_NS
