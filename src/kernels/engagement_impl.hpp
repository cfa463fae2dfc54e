// Kernel body of engagement decay, compiled once per ISA (see simd.hpp for the
// rules that apply here: no std templates or inline functions). Include after
// kernels/linear_impl.hpp (it uses exp_clamped).
#pragma once

#include <cstddef>
#include <cstdint>

namespace leadkit::kernels::LEADKIT_ISA_NS {

// The bound an index's bits, read as unsigned, must stay under: a negative
// int32 reads as 2^31 or more, so min(n, 2^31) refuses it whatever n is.
inline std::uint32_t lead_bound(std::size_t n) noexcept {
  return n < (std::size_t{1} << 31) ? static_cast<std::uint32_t>(n) : std::uint32_t{1} << 31;
}

// Whether events [0, n) pass every check: lead < n_leads, type < n_types,
// lo <= time <= hi, and 0 <= mult < inf when mult is given. Counts the good
// events (a NaN compares false) in fixed-length loops of 16 that the compiler
// vectorises per ISA, with no branch per event (the test is written out in
// both loops: a shared lambda left GCC's AVX-512 build scalar). n must fit in
// 32 bits.
inline bool engagement_screen(const std::int32_t* lead, const std::int32_t* type, const double* ts,
                              const float* mult, std::size_t n, std::size_t n_leads, std::size_t n_types,
                              double lo, double hi) noexcept {
  const std::uint32_t UN = lead_bound(n_leads), UT = lead_bound(n_types);
  constexpr std::size_t V = 16;
  std::uint32_t ok = 0;
  std::size_t i = 0;
  for (; i + V <= n; i += V) {
    std::uint32_t c = 0;
    for (std::size_t j = 0; j < V; ++j) {
      const auto l = static_cast<std::uint32_t>(lead[i + j]);
      const auto t = static_cast<std::uint32_t>(type[i + j]);
      const double s = ts[i + j];
      c += static_cast<std::uint32_t>(l < UN) & static_cast<std::uint32_t>(t < UT) &
           static_cast<std::uint32_t>(s >= lo) & static_cast<std::uint32_t>(s <= hi);
    }
    ok += c;
  }
  for (; i < n; ++i) {
    const double s = ts[i];
    ok += static_cast<std::uint32_t>(static_cast<std::uint32_t>(lead[i]) < UN) &
          static_cast<std::uint32_t>(static_cast<std::uint32_t>(type[i]) < UT) &
          static_cast<std::uint32_t>(s >= lo) & static_cast<std::uint32_t>(s <= hi);
  }
  if (ok != static_cast<std::uint32_t>(n)) return false;
  if (mult != nullptr) {
    std::uint32_t okm = 0;
    for (i = 0; i < n; ++i)
      okm += static_cast<std::uint32_t>(mult[i] >= 0.0f) & static_cast<std::uint32_t>(mult[i] < __builtin_inff());
    if (okm != static_cast<std::uint32_t>(n)) return false;
  }
  return true;
}

// out[i] = points[type[i]] * mult[i] * exp(clamp(coef[type[i]] * (ref - ts[i]), -87, 87)),
// or 0 where ts[i] > limit. mult == nullptr means 1. With coef = -ln2 / half_life
// this is points * mult * 2^(-(ref - ts) / half_life); coef = 0 gives no decay.
// The age ref - ts is formed in double (timestamps are ~1e9 s) and rounded to
// float (callers keep |ref - ts| < 1e15, so it stays finite); the rest is float SIMD.
//
// With at most Vec::width types (AVX2, AVX-512) the per-type tables sit in one
// register each and an event's entries are a lane permute away; otherwise
// they are looked up event by event. The arithmetic is the same either way.
//
// With Check every event is also screened on the way, as engagement_screen
// does, from the registers the weights are computed from (lead, type, time
// and multiplier read once): the function then returns false if any event
// fails a check (out holds unspecified values), else true. A separate screen
// pass cost batch decay 7-9% (leadkit_ab, skipping it).
struct EventChecks {
  const std::int32_t* lead;
  std::size_t n_leads;
  double lo, hi;
};

#if defined(__AVX512F__) || (defined(__AVX2__) && defined(__FMA__))
template <bool Check>
inline bool engagement_weights_in_register(const std::int32_t* type, const double* ts, const float* mult,
                                           std::size_t n, double ref, double limit, const float* coef,
                                           const float* points, std::size_t n_types, float* out,
                                           const EventChecks& checks) noexcept {
  constexpr std::size_t W = Vec::width;
#if !defined(__AVX512F__)
  // Unsigned a < b as signed compares of a and b with the sign bit flipped.
  const __m256i sign = _mm256_set1_epi32(static_cast<int>(0x80000000u));
  const __m256i un = _mm256_xor_si256(_mm256_set1_epi32(static_cast<int>(lead_bound(checks.n_leads))), sign);
  const __m256i ut = _mm256_xor_si256(_mm256_set1_epi32(static_cast<int>(lead_bound(n_types))), sign);
  const __m256d lo = _mm256_set1_pd(checks.lo), hi = _mm256_set1_pd(checks.hi);
  __m256i bad = _mm256_setzero_si256();
#else
  const __m512i un = _mm512_set1_epi32(static_cast<int>(lead_bound(checks.n_leads)));
  const __m512i ut = _mm512_set1_epi32(static_cast<int>(lead_bound(n_types)));
  const __m512d lo = _mm512_set1_pd(checks.lo), hi = _mm512_set1_pd(checks.hi);
  __mmask16 bad = 0;
#endif
#if defined(__AVX512F__)
  const __mmask16 tm = static_cast<__mmask16>((1u << n_types) - 1u);
  const __m512 ct = _mm512_maskz_loadu_ps(tm, coef), pt = _mm512_maskz_loadu_ps(tm, points);
  const __m512d r = _mm512_set1_pd(ref), lim = _mm512_set1_pd(limit);
#else
  const __m256i tm = _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(n_types)),
                                        _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  const __m256 ct = _mm256_maskload_ps(coef, tm), pt = _mm256_maskload_ps(points, tm);
  const __m256d r = _mm256_set1_pd(ref), lim = _mm256_set1_pd(limit);
#endif
  for (std::size_t i = 0; i < n; i += W) {
    const std::size_t m = n - i < W ? n - i : W;
    // Lanes past n in a last, short step hold unspecified values; they are
    // never stored.
#if defined(__AVX512F__)
    const __mmask16 lm = static_cast<__mmask16>((1u << m) - 1u);
    const __m512i ty = _mm512_maskz_loadu_epi32(lm, type + i);
    const __m512d s0 = _mm512_mask_loadu_pd(r, static_cast<__mmask8>(lm), ts + i);
    const __m512d s1 = _mm512_mask_loadu_pd(r, static_cast<__mmask8>(lm >> 8), ts + i + 8);
    const Vec age{_mm512_insertf32x8(_mm512_castps256_ps512(_mm512_cvtpd_ps(_mm512_sub_pd(r, s0))),
                                     _mm512_cvtpd_ps(_mm512_sub_pd(r, s1)), 1)};
    const __mmask16 later = static_cast<__mmask16>(_mm512_cmp_pd_mask(s0, lim, _CMP_NLE_UQ) |
                                                   (_mm512_cmp_pd_mask(s1, lim, _CMP_NLE_UQ) << 8));
    const Vec c{_mm512_permutexvar_ps(ty, ct)};
    Vec p{_mm512_permutexvar_ps(ty, pt)};
    if (mult != nullptr) {
      const __m512 mv = _mm512_maskz_loadu_ps(lm, mult + i);
      p = Vec::mul(p, Vec{mv});
      if constexpr (Check)  // 0 <= mult < inf (false for NaN)
        bad |= static_cast<__mmask16>(lm & ~(_mm512_cmp_ps_mask(mv, _mm512_setzero_ps(), _CMP_GE_OQ) &
                                             _mm512_cmp_ps_mask(mv, _mm512_set1_ps(__builtin_inff()), _CMP_LT_OQ)));
    }
    p = Vec{_mm512_mask_mov_ps(p.v, later, _mm512_setzero_ps())};
    if constexpr (Check) {
      // lead < n_leads and type < n_types as unsigned (a negative one fails),
      // lo <= time <= hi (false for NaN): the screen's tests, lane by lane.
      const __m512i ld = _mm512_maskz_loadu_epi32(lm, checks.lead + i);
      const __mmask16 in_time = static_cast<__mmask16>(
          (_mm512_cmp_pd_mask(s0, lo, _CMP_GE_OQ) & _mm512_cmp_pd_mask(s0, hi, _CMP_LE_OQ)) |
          ((_mm512_cmp_pd_mask(s1, lo, _CMP_GE_OQ) & _mm512_cmp_pd_mask(s1, hi, _CMP_LE_OQ)) << 8));
      bad |= static_cast<__mmask16>(lm & ~(_mm512_cmplt_epu32_mask(ld, un) & _mm512_cmplt_epu32_mask(ty, ut) & in_time));
    }
#else
    // A short last step: masked loads, which read nothing past n.
    const __m256i lm = _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(m)),
                                          _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    const __m256i ty = m == W ? _mm256_loadu_si256(reinterpret_cast<const __m256i*>(type + i))
                              : _mm256_maskload_epi32(type + i, lm);
    const __m256d s0 = m == W ? _mm256_loadu_pd(ts + i)
                              : _mm256_maskload_pd(ts + i, _mm256_cvtepi32_epi64(_mm256_castsi256_si128(lm)));
    const __m256d s1 = m == W ? _mm256_loadu_pd(ts + i + 4)
                              : _mm256_maskload_pd(ts + i + 4, _mm256_cvtepi32_epi64(_mm256_extracti128_si256(lm, 1)));
    const Vec age{_mm256_insertf128_ps(_mm256_castps128_ps256(_mm256_cvtpd_ps(_mm256_sub_pd(r, s0))),
                                       _mm256_cvtpd_ps(_mm256_sub_pd(r, s1)), 1)};
    // The two 4-lane double compares as one 8-lane float mask: each 64-bit
    // lane's low half, gathered to the low 128 bits.
    const __m256i halves = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);
    const __m128i l0 = _mm256_castsi256_si128(
        _mm256_permutevar8x32_epi32(_mm256_castpd_si256(_mm256_cmp_pd(s0, lim, _CMP_NLE_UQ)), halves));
    const __m128i l1 = _mm256_castsi256_si128(
        _mm256_permutevar8x32_epi32(_mm256_castpd_si256(_mm256_cmp_pd(s1, lim, _CMP_NLE_UQ)), halves));
    const __m256 later = _mm256_castsi256_ps(_mm256_inserti128_si256(_mm256_castsi128_si256(l0), l1, 1));
    const Vec c{_mm256_permutevar8x32_ps(ct, ty)};
    Vec p{_mm256_permutevar8x32_ps(pt, ty)};
    if (mult != nullptr) {
      const __m256 mv = m == W ? _mm256_loadu_ps(mult + i) : _mm256_maskload_ps(mult + i, lm);
      p = Vec::mul(p, Vec{mv});
      if constexpr (Check) {  // 0 <= mult < inf (false for NaN)
        const __m256 ok = _mm256_and_ps(_mm256_cmp_ps(mv, _mm256_setzero_ps(), _CMP_GE_OQ),
                                        _mm256_cmp_ps(mv, _mm256_set1_ps(__builtin_inff()), _CMP_LT_OQ));
        bad = _mm256_or_si256(bad, _mm256_andnot_si256(_mm256_castps_si256(ok), lm));
      }
    }
    p = Vec{_mm256_andnot_ps(later, p.v)};
    if constexpr (Check) {
      // lead < n_leads and type < n_types as unsigned (a negative one fails),
      // lo <= time <= hi (false for NaN), as 8-lane masks like `later`.
      const __m256i ld = m == W ? _mm256_loadu_si256(reinterpret_cast<const __m256i*>(checks.lead + i))
                                : _mm256_maskload_epi32(checks.lead + i, lm);
      const __m256i idx_ok = _mm256_and_si256(_mm256_cmpgt_epi32(un, _mm256_xor_si256(ld, sign)),
                                              _mm256_cmpgt_epi32(ut, _mm256_xor_si256(ty, sign)));
      const __m128i t0 = _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(
          _mm256_castpd_si256(_mm256_and_pd(_mm256_cmp_pd(s0, lo, _CMP_GE_OQ), _mm256_cmp_pd(s0, hi, _CMP_LE_OQ))),
          halves));
      const __m128i t1 = _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(
          _mm256_castpd_si256(_mm256_and_pd(_mm256_cmp_pd(s1, lo, _CMP_GE_OQ), _mm256_cmp_pd(s1, hi, _CMP_LE_OQ))),
          halves));
      const __m256i in_time = _mm256_inserti128_si256(_mm256_castsi128_si256(t0), t1, 1);
      bad = _mm256_or_si256(bad, _mm256_andnot_si256(_mm256_and_si256(idx_ok, in_time), lm));
    }
#endif
    const Vec e = Vec::max(Vec::min(Vec::mul(c, age), Vec::set1(87.0f)), Vec::set1(-87.0f));
    const Vec w = Vec::mul(p, exp_clamped(e));
    if (m == W)
      Vec::store(out + i, w);
    else
      Vec::store_partial(out + i, w, m);
  }
#if defined(__AVX512F__)
  return bad == 0;
#else
  return _mm256_testz_si256(bad, bad) != 0;
#endif
}
#endif

inline void engagement_weights(const std::int32_t* type, const double* ts, const float* mult,
                               std::size_t n, double ref, double limit, const float* coef,
                               const float* points, std::size_t n_types, float* out) noexcept {
  constexpr std::size_t W = Vec::width;
#if defined(__AVX512F__) || (defined(__AVX2__) && defined(__FMA__))
  if (n_types <= W) {
    engagement_weights_in_register<false>(type, ts, mult, n, ref, limit, coef, points, n_types, out, EventChecks{});
    return;
  }
#else
  (void)n_types;
#endif
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

// engagement_screen and engagement_weights of one block: false if any event
// fails a check (out then holds unspecified values), else true with out as
// engagement_weights writes it. On AVX2 and AVX-512 with the tables in
// registers, one pass that reads each event once; otherwise (the baseline
// build, more types than lanes) the screen, then the weights.
inline bool engagement_checked_weights(const std::int32_t* lead, const std::int32_t* type, const double* ts,
                                       const float* mult, std::size_t n, std::size_t n_leads, double lo, double hi,
                                       double ref, double limit, const float* coef, const float* points,
                                       std::size_t n_types, float* out) noexcept {
#if defined(__AVX512F__) || (defined(__AVX2__) && defined(__FMA__))
  if (n_types <= Vec::width)
    return engagement_weights_in_register<true>(type, ts, mult, n, ref, limit, coef, points, n_types, out,
                                                EventChecks{lead, n_leads, lo, hi});
#endif
  if (!engagement_screen(lead, type, ts, mult, n, n_leads, n_types, lo, hi)) return false;
  engagement_weights(type, ts, mult, n, ref, limit, coef, points, n_types, out);
  return true;
}

}  // namespace leadkit::kernels::LEADKIT_ISA_NS
