// A minimal float SIMD vocabulary, one definition per target ISA. A per-ISA
// translation unit defines LEADKIT_ISA_NS (baseline, avx2 or avx512), is
// compiled with that ISA's flags, and includes this header followed by the
// kernel bodies (*_impl.hpp), so every kernel exists once per ISA under
// leadkit::kernels::<isa>.
//
// Rule for code in these headers: no standard-library templates or inline
// functions (std::min, std::isfinite, ...). In an unoptimised build they are
// emitted out of line and the linker keeps one copy for all TUs, which could
// be the AVX-512 one; builtins and intrinsics do not have that problem.
#pragma once

#if !defined(LEADKIT_ISA_NS)
#error "define LEADKIT_ISA_NS before including kernels/simd.hpp"
#endif

#include <cstddef>
#include <cstdint>

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#endif

namespace leadkit::kernels::LEADKIT_ISA_NS {

#if defined(__AVX512F__)
struct Vec {
  static constexpr std::size_t width = 16;
  __m512 v;
  static Vec zero() noexcept { return {_mm512_setzero_ps()}; }
  static Vec load(const float* p) noexcept { return {_mm512_loadu_ps(p)}; }
  // Loads p[0 .. n), n < width, zero-filling the rest (never reads past p+n).
  static Vec load_partial(const float* p, std::size_t n) noexcept {
    const __mmask16 m = static_cast<__mmask16>((1u << n) - 1u);
    return {_mm512_maskz_loadu_ps(m, p)};
  }
  static Vec fmadd(Vec a, Vec b, Vec c) noexcept { return {_mm512_fmadd_ps(a.v, b.v, c.v)}; }
  static Vec add(Vec a, Vec b) noexcept { return {_mm512_add_ps(a.v, b.v)}; }
  // Halving tree (upper half onto lower half, 16 -> 8 -> 4 -> 2 -> 1), as
  // every ISA here sums; lanewise_sum mirrors it across vectors.
  static float lane0(Vec a) noexcept { return _mm512_cvtss_f32(a.v); }
  static float sum(Vec a) noexcept {
    const __m256 hi = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(a.v), 1));
    const __m256 h = _mm256_add_ps(hi, _mm512_castps512_ps256(a.v));
    __m128 s = _mm_add_ps(_mm256_extractf128_ps(h, 1), _mm256_castps256_ps128(h));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 0x55));
    return _mm_cvtss_f32(s);
  }
  static Vec set1(float x) noexcept { return {_mm512_set1_ps(x)}; }
  static Vec mul(Vec a, Vec b) noexcept { return {_mm512_mul_ps(a.v, b.v)}; }
  static Vec sub(Vec a, Vec b) noexcept { return {_mm512_sub_ps(a.v, b.v)}; }
  static Vec div(Vec a, Vec b) noexcept { return {_mm512_div_ps(a.v, b.v)}; }
  static Vec sqrt(Vec a) noexcept { return {_mm512_sqrt_ps(a.v)}; }
  static Vec min(Vec a, Vec b) noexcept { return {_mm512_min_ps(a.v, b.v)}; }
  static Vec max(Vec a, Vec b) noexcept { return {_mm512_max_ps(a.v, b.v)}; }
  static void store(float* p, Vec a) noexcept { _mm512_storeu_ps(p, a.v); }
  static Vec abs(Vec a) noexcept { return {_mm512_abs_ps(a.v)}; }
  static float max_all(Vec a) noexcept { return _mm512_reduce_max_ps(a.v); }
  // Bit i set where lane i equals x.
  static unsigned eq_mask(Vec a, float x) noexcept {
    return static_cast<unsigned>(_mm512_cmp_ps_mask(a.v, _mm512_set1_ps(x), _CMP_EQ_OQ));
  }
  // Lanes equal to x become repl.
  static Vec replace_eq(Vec a, float x, float repl) noexcept {
    return {_mm512_mask_blend_ps(_mm512_cmp_ps_mask(a.v, _mm512_set1_ps(x), _CMP_EQ_OQ), a.v, _mm512_set1_ps(repl))};
  }
  // Stores the first n < width lanes; never writes past p+n.
  static void store_partial(float* p, Vec a, std::size_t n) noexcept {
    _mm512_mask_storeu_ps(p, static_cast<__mmask16>((1u << n) - 1u), a.v);
  }
  // 1.0f in the lanes where a >= t, else 0.0f.
  static Vec step(Vec a, Vec t) noexcept {
    return {_mm512_maskz_mov_ps(_mm512_cmp_ps_mask(a.v, t.v, _CMP_GE_OQ), _mm512_set1_ps(1.0f))};
  }
  // Bit i set where lane i is NaN or infinite.
  static unsigned not_finite_mask(Vec a) noexcept {
    return static_cast<unsigned>(
        _mm512_cmp_ps_mask(_mm512_abs_ps(a.v), _mm512_set1_ps(__builtin_huge_valf()), _CMP_NLT_UQ));
  }
  // Lanes (small whole numbers) as int32, truncated.
  static void store_int(std::int32_t* p, Vec a) noexcept {
    _mm512_storeu_si512(static_cast<void*>(p), _mm512_cvttps_epi32(a.v));
  }
  // a * b rounded to float before any later add (never fused into an FMA), so
  // a sum of products has the bits of the same scalar code without FMA.
  static Vec mul_rounded(Vec a, Vec b) noexcept {
    __m512 p = _mm512_mul_ps(a.v, b.v);
    __asm__("" : "+v"(p));
    return {p};
  }
  // x rounded to the nearest integer k (as float), and 2^k; |x| <= 126.
  static void round_pow2(Vec x, Vec& k, Vec& pow2k) noexcept {
    const __m512i ki = _mm512_cvtps_epi32(x.v);
    k.v = _mm512_cvtepi32_ps(ki);
    pow2k.v = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(ki, _mm512_set1_epi32(127)), 23));
  }
  // No transpose: transpose_rows (lanes_impl.hpp) loads its AVX-512 blocks
  // already half transposed.
};
#elif defined(__AVX2__) && defined(__FMA__)
struct Vec {
  static constexpr std::size_t width = 8;
  __m256 v;
  static Vec zero() noexcept { return {_mm256_setzero_ps()}; }
  static Vec load(const float* p) noexcept { return {_mm256_loadu_ps(p)}; }
  static Vec load_partial(const float* p, std::size_t n) noexcept {
    alignas(32) static const int kMask[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
    const __m256i m = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kMask + 8 - n));
    return {_mm256_maskload_ps(p, m)};
  }
  static Vec fmadd(Vec a, Vec b, Vec c) noexcept { return {_mm256_fmadd_ps(a.v, b.v, c.v)}; }
  static Vec add(Vec a, Vec b) noexcept { return {_mm256_add_ps(a.v, b.v)}; }
  static float lane0(Vec a) noexcept { return _mm256_cvtss_f32(a.v); }
  static float sum(Vec a) noexcept {
    const __m128 lo = _mm256_castps256_ps128(a.v);
    const __m128 hi = _mm256_extractf128_ps(a.v, 1);
    __m128 s = _mm_add_ps(lo, hi);
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 0x55));
    return _mm_cvtss_f32(s);
  }
  static Vec set1(float x) noexcept { return {_mm256_set1_ps(x)}; }
  static Vec mul(Vec a, Vec b) noexcept { return {_mm256_mul_ps(a.v, b.v)}; }
  static Vec sub(Vec a, Vec b) noexcept { return {_mm256_sub_ps(a.v, b.v)}; }
  static Vec div(Vec a, Vec b) noexcept { return {_mm256_div_ps(a.v, b.v)}; }
  static Vec sqrt(Vec a) noexcept { return {_mm256_sqrt_ps(a.v)}; }
  static Vec min(Vec a, Vec b) noexcept { return {_mm256_min_ps(a.v, b.v)}; }
  static Vec max(Vec a, Vec b) noexcept { return {_mm256_max_ps(a.v, b.v)}; }
  static void store(float* p, Vec a) noexcept { _mm256_storeu_ps(p, a.v); }
  static Vec abs(Vec a) noexcept { return {_mm256_andnot_ps(_mm256_set1_ps(-0.0f), a.v)}; }
  static float max_all(Vec a) noexcept {
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(a.v), _mm256_extractf128_ps(a.v, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    m = _mm_max_ss(m, _mm_shuffle_ps(m, m, 0x55));
    return _mm_cvtss_f32(m);
  }
  static unsigned eq_mask(Vec a, float x) noexcept {
    return static_cast<unsigned>(_mm256_movemask_ps(_mm256_cmp_ps(a.v, _mm256_set1_ps(x), _CMP_EQ_OQ)));
  }
  static Vec replace_eq(Vec a, float x, float repl) noexcept {
    return {_mm256_blendv_ps(a.v, _mm256_set1_ps(repl), _mm256_cmp_ps(a.v, _mm256_set1_ps(x), _CMP_EQ_OQ))};
  }
  static void store_partial(float* p, Vec a, std::size_t n) noexcept {
    alignas(32) static const int kMask[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
    _mm256_maskstore_ps(p, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kMask + 8 - n)), a.v);
  }
  static Vec step(Vec a, Vec t) noexcept {
    return {_mm256_and_ps(_mm256_cmp_ps(a.v, t.v, _CMP_GE_OQ), _mm256_set1_ps(1.0f))};
  }
  static unsigned not_finite_mask(Vec a) noexcept {
    return static_cast<unsigned>(
        _mm256_movemask_ps(_mm256_cmp_ps(abs(a).v, _mm256_set1_ps(__builtin_huge_valf()), _CMP_NLT_UQ)));
  }
  static void store_int(std::int32_t* p, Vec a) noexcept {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), _mm256_cvttps_epi32(a.v));
  }
  static Vec mul_rounded(Vec a, Vec b) noexcept {
    __m256 p = _mm256_mul_ps(a.v, b.v);
    __asm__("" : "+x"(p));
    return {p};
  }
  // r[0 .. 8) as an 8 x 8 matrix (r[i] = row i) transposed in place.
  static void transpose(Vec* r) noexcept {
    __m256 t[8], u[8];
    for (int i = 0; i < 8; i += 2) {
      t[i] = _mm256_unpacklo_ps(r[i].v, r[i + 1].v);
      t[i + 1] = _mm256_unpackhi_ps(r[i].v, r[i + 1].v);
    }
    // u[4m + c], 128-bit lane k: column 4k + c of rows 4m .. 4m + 3.
    for (int m = 0; m < 8; m += 4) {
      const __m256d a = _mm256_castps_pd(t[m]), b = _mm256_castps_pd(t[m + 1]);
      const __m256d c = _mm256_castps_pd(t[m + 2]), d = _mm256_castps_pd(t[m + 3]);
      u[m] = _mm256_castpd_ps(_mm256_unpacklo_pd(a, c));
      u[m + 1] = _mm256_castpd_ps(_mm256_unpackhi_pd(a, c));
      u[m + 2] = _mm256_castpd_ps(_mm256_unpacklo_pd(b, d));
      u[m + 3] = _mm256_castpd_ps(_mm256_unpackhi_pd(b, d));
    }
    for (int c = 0; c < 4; ++c) {
      r[c].v = _mm256_permute2f128_ps(u[c], u[4 + c], 0x20);
      r[4 + c].v = _mm256_permute2f128_ps(u[c], u[4 + c], 0x31);
    }
  }
  static void round_pow2(Vec x, Vec& k, Vec& pow2k) noexcept {
    const __m256i ki = _mm256_cvtps_epi32(x.v);
    k.v = _mm256_cvtepi32_ps(ki);
    pow2k.v = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(ki, _mm256_set1_epi32(127)), 23));
  }
};
#elif defined(__SSE2__)
struct Vec {
  static constexpr std::size_t width = 4;
  __m128 v;
  static Vec zero() noexcept { return {_mm_setzero_ps()}; }
  static Vec load(const float* p) noexcept { return {_mm_loadu_ps(p)}; }
  static Vec load_partial(const float* p, std::size_t n) noexcept {
    alignas(16) float tmp[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    for (std::size_t i = 0; i < n; ++i) tmp[i] = p[i];
    return {_mm_load_ps(tmp)};
  }
  // No FMA in the baseline: a multiply and an add (two roundings).
  static Vec fmadd(Vec a, Vec b, Vec c) noexcept { return {_mm_add_ps(_mm_mul_ps(a.v, b.v), c.v)}; }
  static Vec add(Vec a, Vec b) noexcept { return {_mm_add_ps(a.v, b.v)}; }
  static float lane0(Vec a) noexcept { return _mm_cvtss_f32(a.v); }
  static float sum(Vec a) noexcept {
    __m128 s = _mm_add_ps(a.v, _mm_movehl_ps(a.v, a.v));
    s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 0x55));
    return _mm_cvtss_f32(s);
  }
  static Vec set1(float x) noexcept { return {_mm_set1_ps(x)}; }
  static Vec mul(Vec a, Vec b) noexcept { return {_mm_mul_ps(a.v, b.v)}; }
  static Vec sub(Vec a, Vec b) noexcept { return {_mm_sub_ps(a.v, b.v)}; }
  static Vec div(Vec a, Vec b) noexcept { return {_mm_div_ps(a.v, b.v)}; }
  static Vec sqrt(Vec a) noexcept { return {_mm_sqrt_ps(a.v)}; }
  static Vec min(Vec a, Vec b) noexcept { return {_mm_min_ps(a.v, b.v)}; }
  static Vec max(Vec a, Vec b) noexcept { return {_mm_max_ps(a.v, b.v)}; }
  static void store(float* p, Vec a) noexcept { _mm_storeu_ps(p, a.v); }
  static Vec abs(Vec a) noexcept { return {_mm_andnot_ps(_mm_set1_ps(-0.0f), a.v)}; }
  static float max_all(Vec a) noexcept {
    __m128 m = _mm_max_ps(a.v, _mm_movehl_ps(a.v, a.v));
    m = _mm_max_ss(m, _mm_shuffle_ps(m, m, 0x55));
    return _mm_cvtss_f32(m);
  }
  static unsigned eq_mask(Vec a, float x) noexcept {
    return static_cast<unsigned>(_mm_movemask_ps(_mm_cmpeq_ps(a.v, _mm_set1_ps(x))));
  }
  static Vec replace_eq(Vec a, float x, float repl) noexcept {
    const __m128 m = _mm_cmpeq_ps(a.v, _mm_set1_ps(x));
    return {_mm_or_ps(_mm_andnot_ps(m, a.v), _mm_and_ps(m, _mm_set1_ps(repl)))};
  }
  static void store_partial(float* p, Vec a, std::size_t n) noexcept {
    alignas(16) float tmp[4];
    _mm_store_ps(tmp, a.v);
    for (std::size_t i = 0; i < n; ++i) p[i] = tmp[i];
  }
  static Vec step(Vec a, Vec t) noexcept { return {_mm_and_ps(_mm_cmpge_ps(a.v, t.v), _mm_set1_ps(1.0f))}; }
  static unsigned not_finite_mask(Vec a) noexcept {
    return static_cast<unsigned>(_mm_movemask_ps(_mm_cmpnlt_ps(abs(a).v, _mm_set1_ps(__builtin_huge_valf()))));
  }
  static void store_int(std::int32_t* p, Vec a) noexcept {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(p), _mm_cvttps_epi32(a.v));
  }
  // No FMA to fuse into: a plain multiply.
  static Vec mul_rounded(Vec a, Vec b) noexcept { return mul(a, b); }
  // r[0 .. 4) as a 4 x 4 matrix (r[i] = row i) transposed in place.
  static void transpose(Vec* r) noexcept { _MM_TRANSPOSE4_PS(r[0].v, r[1].v, r[2].v, r[3].v); }
  static void round_pow2(Vec x, Vec& k, Vec& pow2k) noexcept {
    const __m128i ki = _mm_cvtps_epi32(x.v);
    k.v = _mm_cvtepi32_ps(ki);
    pow2k.v = _mm_castsi128_ps(_mm_slli_epi32(_mm_add_epi32(ki, _mm_set1_epi32(127)), 23));
  }
};
#else
// Portable fallback for CPUs without a SIMD variant here: four scalar lanes.
struct Vec {
  static constexpr std::size_t width = 4;
  float v[4];
  static Vec zero() noexcept { return {{0.0f, 0.0f, 0.0f, 0.0f}}; }
  static Vec load(const float* p) noexcept { return {{p[0], p[1], p[2], p[3]}}; }
  static Vec load_partial(const float* p, std::size_t n) noexcept {
    Vec r = zero();
    for (std::size_t i = 0; i < n; ++i) r.v[i] = p[i];
    return r;
  }
  static Vec fmadd(Vec a, Vec b, Vec c) noexcept {
    Vec r;
    for (int i = 0; i < 4; ++i) r.v[i] = a.v[i] * b.v[i] + c.v[i];
    return r;
  }
  static Vec add(Vec a, Vec b) noexcept {
    Vec r;
    for (int i = 0; i < 4; ++i) r.v[i] = a.v[i] + b.v[i];
    return r;
  }
  static float lane0(Vec a) noexcept { return a.v[0]; }
  static float sum(Vec a) noexcept { return (a.v[0] + a.v[2]) + (a.v[1] + a.v[3]); }
  static Vec set1(float x) noexcept { return {{x, x, x, x}}; }
  template <typename F>
  static Vec map2(Vec a, Vec b, F f) noexcept {
    Vec r;
    for (int i = 0; i < 4; ++i) r.v[i] = f(a.v[i], b.v[i]);
    return r;
  }
  static Vec mul(Vec a, Vec b) noexcept { return map2(a, b, [](float x, float y) { return x * y; }); }
  static Vec sub(Vec a, Vec b) noexcept { return map2(a, b, [](float x, float y) { return x - y; }); }
  static Vec div(Vec a, Vec b) noexcept { return map2(a, b, [](float x, float y) { return x / y; }); }
  static Vec sqrt(Vec a) noexcept {
    Vec r;
    for (int i = 0; i < 4; ++i) r.v[i] = __builtin_sqrtf(a.v[i]);
    return r;
  }
  // x86's minps / maxps exactly: the second operand where the two are equal
  // (+0 and -0) or either is NaN, so every ISA keeps the same bits.
  static Vec min(Vec a, Vec b) noexcept { return map2(a, b, [](float x, float y) { return x < y ? x : y; }); }
  static Vec max(Vec a, Vec b) noexcept { return map2(a, b, [](float x, float y) { return x > y ? x : y; }); }
  static void store(float* p, Vec a) noexcept {
    for (int i = 0; i < 4; ++i) p[i] = a.v[i];
  }
  static Vec abs(Vec a) noexcept {
    Vec r;
    for (int i = 0; i < 4; ++i) r.v[i] = __builtin_fabsf(a.v[i]);
    return r;
  }
  static float max_all(Vec a) noexcept {
    float m = a.v[0];
    for (int i = 1; i < 4; ++i) m = a.v[i] > m ? a.v[i] : m;
    return m;
  }
  static unsigned eq_mask(Vec a, float x) noexcept {
    unsigned m = 0;
    for (int i = 0; i < 4; ++i) m |= (a.v[i] == x ? 1u : 0u) << i;
    return m;
  }
  static Vec replace_eq(Vec a, float x, float repl) noexcept {
    for (int i = 0; i < 4; ++i)
      if (a.v[i] == x) a.v[i] = repl;
    return a;
  }
  static void store_partial(float* p, Vec a, std::size_t n) noexcept {
    for (std::size_t i = 0; i < n; ++i) p[i] = a.v[i];
  }
  static Vec step(Vec a, Vec t) noexcept { return map2(a, t, [](float x, float y) { return x >= y ? 1.0f : 0.0f; }); }
  static unsigned not_finite_mask(Vec a) noexcept {
    unsigned m = 0;
    for (int i = 0; i < 4; ++i)
      if (!(__builtin_fabsf(a.v[i]) < __builtin_huge_valf())) m |= 1u << i;
    return m;
  }
  static void store_int(std::int32_t* p, Vec a) noexcept {
    for (int i = 0; i < 4; ++i) p[i] = static_cast<std::int32_t>(a.v[i]);
  }
  static Vec mul_rounded(Vec a, Vec b) noexcept {
    Vec r;
    for (int i = 0; i < 4; ++i) {
      volatile float p = a.v[i] * b.v[i];  // rounded: never contracted into an FMA
      r.v[i] = p;
    }
    return r;
  }
  static void transpose(Vec* r) noexcept {
    for (int i = 0; i < 4; ++i)
      for (int j = i + 1; j < 4; ++j) {
        const float t = r[i].v[j];
        r[i].v[j] = r[j].v[i];
        r[j].v[i] = t;
      }
  }
  static void round_pow2(Vec x, Vec& k, Vec& pow2k) noexcept {
    for (int i = 0; i < 4; ++i) {
      k.v[i] = __builtin_nearbyintf(x.v[i]);
      pow2k.v[i] = __builtin_ldexpf(1.0f, static_cast<int>(k.v[i]));
    }
  }
};
#endif

// Vec::sum's halving tree applied lane-wise across s[0 .. width): lane i of
// the result sums lane i of every s[l] in the order sum() sums the lanes of
// one vector (upper half onto lower half). When s[l] holds element l of
// `width` vectors (one per lane), that is every vector's sum at once, with
// sum()'s bits. s is clobbered.
inline Vec lanewise_sum(Vec (&s)[Vec::width]) noexcept {
  for (std::size_t h = Vec::width / 2; h >= 1; h /= 2)
    for (std::size_t l = 0; l < h; ++l) s[l] = Vec::add(s[l + h], s[l]);
  return s[0];
}

// Lane l = Vec::sum(r[l]) for every l < width: the horizontal sums of a
// block of vectors at once, by sum()'s own halving tree lane by lane (so the
// same bits as summing each alone), for a few shuffles per vector instead of
// a reduction chain each. r is clobbered.
#if defined(__AVX512F__)
inline Vec sum_each(Vec (&r)[16]) noexcept {
  // Halves of 8: t[i] lanes 0-7 hold r[2i]'s, 8-15 r[2i + 1]'s.
  __m512 t[8];
  for (int i = 0; i < 8; ++i)
    t[i] = _mm512_add_ps(_mm512_shuffle_f32x4(r[2 * i].v, r[2 * i + 1].v, _MM_SHUFFLE(3, 2, 3, 2)),
                         _mm512_shuffle_f32x4(r[2 * i].v, r[2 * i + 1].v, _MM_SHUFFLE(1, 0, 1, 0)));
  // Halves of 4: u[i]'s 128-bit lane k holds r[4i + k]'s.
  __m512 u[4];
  for (int i = 0; i < 4; ++i)
    u[i] = _mm512_add_ps(_mm512_shuffle_f32x4(t[2 * i], t[2 * i + 1], _MM_SHUFFLE(3, 1, 3, 1)),
                         _mm512_shuffle_f32x4(t[2 * i], t[2 * i + 1], _MM_SHUFFLE(2, 0, 2, 0)));
  // Halves of 2: 128-bit lane k of v[i] holds r[8i + k]'s two, then r[8i + 4 + k]'s.
  __m512 v[2];
  for (int i = 0; i < 2; ++i)
    v[i] = _mm512_add_ps(_mm512_shuffle_ps(u[2 * i], u[2 * i + 1], _MM_SHUFFLE(3, 2, 3, 2)),
                         _mm512_shuffle_ps(u[2 * i], u[2 * i + 1], _MM_SHUFFLE(1, 0, 1, 0)));
  // The last halving: lane 4k + j holds r[4j + k]'s sum; one permute puts
  // each into lane 4j + k.
  const __m512 w = _mm512_add_ps(_mm512_shuffle_ps(v[0], v[1], _MM_SHUFFLE(3, 1, 3, 1)),
                                 _mm512_shuffle_ps(v[0], v[1], _MM_SHUFFLE(2, 0, 2, 0)));
  const __m512i order = _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
  return {_mm512_permutexvar_ps(order, w)};
}
#else
inline Vec sum_each(Vec (&r)[Vec::width]) noexcept {
  // Transposed, lane l of r[c] is element c of the old r[l].
  Vec::transpose(r);
  return lanewise_sum(r);
}
#endif

}  // namespace leadkit::kernels::LEADKIT_ISA_NS
