// Rows as lanes: the building blocks every kernel that scores a block of
// Vec::width rows at once shares (linear scoring, the Scorecard's points
// models and dot products, persona matching), compiled once per ISA. A block
// of rows is transposed so that each column is one vector (lane l = row l);
// then a dot product for all the rows is one FMA per column, with no
// horizontal sum per row, and lanes_dot keeps dot()'s order of operations so
// a row scores the same bits whether it goes through a block or alone.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/simd.hpp"

namespace leadkit::kernels::LEADKIT_ISA_NS {

// The widest rows the lane paths take: their transposed block T lives on the
// stack (width x 256 floats, 16 KiB for AVX-512). Wider rows go row by row.
constexpr std::size_t kLanesMaxD = 256;

// transpose_rows(X, stride, rows, c0, c1, T) (defined after lanes_block,
// which does its work): columns [c0, c1) of rows [0, rows) of X (rows <=
// width) into T, column by column: T[(c - c0) * width + l] = X[l][c]. Rows
// past `rows` and columns past c1 (up to the next multiple of width) are 0;
// nothing outside the rows and columns asked for is read. A full block of
// rows goes through lanes_block's register transposition, the rest (a short
// block, the last columns) through transpose_rest below.
#if defined(__AVX512F__)
// Shuffles four vectors M[r], each holding rows 4k + r's four columns in its
// 128-bit lane k, into the 4 x 16 block at o (column j of the four at
// o + j * 16, lane l = row l).
inline void finish_quad(const __m512 (&M)[4], float* o) noexcept {
  const __m512 t0 = _mm512_unpacklo_ps(M[0], M[1]), t1 = _mm512_unpackhi_ps(M[0], M[1]);
  const __m512 t2 = _mm512_unpacklo_ps(M[2], M[3]), t3 = _mm512_unpackhi_ps(M[2], M[3]);
  const __m512d a0 = _mm512_castps_pd(t0), a1 = _mm512_castps_pd(t1);
  const __m512d a2 = _mm512_castps_pd(t2), a3 = _mm512_castps_pd(t3);
  _mm512_storeu_ps(o, _mm512_castpd_ps(_mm512_unpacklo_pd(a0, a2)));
  _mm512_storeu_ps(o + 16, _mm512_castpd_ps(_mm512_unpackhi_pd(a0, a2)));
  _mm512_storeu_ps(o + 32, _mm512_castpd_ps(_mm512_unpacklo_pd(a1, a3)));
  _mm512_storeu_ps(o + 48, _mm512_castpd_ps(_mm512_unpackhi_pd(a1, a3)));
}

// Columns p[0..4) of rows p, p + s4, p + 2 * s4 and p + s12 (s12 = 3 * s4),
// one row in each 128-bit lane: a load and three inserts.
inline __m512 rows_quad(const float* p, std::size_t s4, std::size_t s12) noexcept {
  __m512 v = _mm512_castps128_ps512(_mm_loadu_ps(p));
  v = _mm512_insertf32x4(v, _mm_loadu_ps(p + s4), 1);
  v = _mm512_insertf32x4(v, _mm_loadu_ps(p + 2 * s4), 2);
  return _mm512_insertf32x4(v, _mm_loadu_ps(p + s12), 3);
}

// Columns [c, c + 8) of 16 rows into eight vectors: col[j] is column c + j,
// lane l = row l. p[r] points at column c of row r < 4; rows r + 4, r + 8
// and r + 12 are s4, 2 * s4 and s12 floats further. Vectors 0-3 take rows
// 0-3 into their lower 256-bit half and rows 4-7 into the upper one,
// vectors 4-7 rows 8-11 and 12-15 (a load and an insert each). An 8 x 8
// transpose inside each half (two stages of 8 shuffles) leaves column j's
// rows 0-3, 4-7, 8-11 and 12-15 in one 128-bit lane each of two vectors,
// and one 128-bit shuffle per column puts them in order: per 16 columns, 16
// inserts and 48 shuffles, against the 48 inserts and 32 shuffles of
// loading 128-bit pieces (rows_quad), which share the shuffle units here
// (measurements in docs/ARCHITECTURE.md).
// Always inlined, with the row pointers as scalars: out of line, GCC kept
// them in a vector in memory and the transposition ran no faster than
// rows_quad's.
__attribute__((always_inline)) inline void transpose_8_regs(const float* p0, const float* p1, const float* p2,
                                                            const float* p3, std::size_t s4, std::size_t s12,
                                                            __m512 (&col)[8]) noexcept {
  const float* p[4] = {p0, p1, p2, p3};
  __m512 v[8];
#pragma GCC unroll 4
  for (std::size_t r = 0; r < 4; ++r) {
    v[r] = _mm512_insertf32x8(_mm512_castps256_ps512(_mm256_loadu_ps(p[r])), _mm256_loadu_ps(p[r] + s4), 1);
    v[4 + r] = _mm512_insertf32x8(_mm512_castps256_ps512(_mm256_loadu_ps(p[r] + 2 * s4)),
                                  _mm256_loadu_ps(p[r] + s12), 1);
  }
  // Within each 256-bit half, 8 rows x 8 columns: after two stages, u[4h + j]
  // holds column j's four rows of group h in its 128-bit lanes 0 and 2 and
  // column 4 + j's in lanes 1 and 3.
  __m512 t[8], u[8];
#pragma GCC unroll 4
  for (std::size_t i = 0; i < 4; ++i) {
    t[2 * i] = _mm512_unpacklo_ps(v[2 * i], v[2 * i + 1]);
    t[2 * i + 1] = _mm512_unpackhi_ps(v[2 * i], v[2 * i + 1]);
  }
#pragma GCC unroll 2
  for (std::size_t h = 0; h < 2; ++h) {
    u[4 * h + 0] = _mm512_shuffle_ps(t[4 * h + 0], t[4 * h + 2], 0x44);
    u[4 * h + 1] = _mm512_shuffle_ps(t[4 * h + 0], t[4 * h + 2], 0xEE);
    u[4 * h + 2] = _mm512_shuffle_ps(t[4 * h + 1], t[4 * h + 3], 0x44);
    u[4 * h + 3] = _mm512_shuffle_ps(t[4 * h + 1], t[4 * h + 3], 0xEE);
  }
#pragma GCC unroll 4
  for (std::size_t j = 0; j < 4; ++j) {
    col[j] = _mm512_shuffle_f32x4(u[j], u[4 + j], _MM_SHUFFLE(2, 0, 2, 0));
    col[4 + j] = _mm512_shuffle_f32x4(u[j], u[4 + j], _MM_SHUFFLE(3, 1, 3, 1));
  }
}

// AVX-512, what lanes_block's full blocks leave (a short block, the last
// columns): 4 x 4 tiles of 4 x 4 floats, loaded with masks where the rows or
// columns run out: vector M[r] takes row 4k + r's four columns into its
// 128-bit lane k (a load and an insert), and a 4 x 4 transpose inside every
// lane (8 shuffles per 4 columns) finishes the job. Columns [c0, c1) into T
// as transpose_rows puts them.
inline void transpose_rest(const float* X, std::size_t stride, std::size_t rows, std::size_t c0, std::size_t c1,
                           float* T) noexcept {
  std::size_t c = c0;
  for (; c < c1; c += 16) {
    const std::size_t m = c1 - c < 16 ? c1 - c : 16;  // columns of this block
    float* out = T + (c - c0) * 16;
    for (std::size_t q = 0; q < 4; ++q) {
      const std::size_t col = c + 4 * q;
      const std::size_t mc = m > 4 * q ? (m - 4 * q < 4 ? m - 4 * q : 4) : 0;  // of these 4 columns
      __m512 M[4];
      if (rows == 16 && mc == 4) {
        for (std::size_t r = 0; r < 4; ++r) M[r] = rows_quad(X + r * stride + col, 4 * stride, 12 * stride);
      } else {
        // A short block (rows < 16) or the last columns: masked loads that
        // never read past the rows and columns asked for; the rest is 0.
        const __mmask8 cm = static_cast<__mmask8>((1u << mc) - 1u);
        for (std::size_t r = 0; r < 4; ++r) {
          __m512 v = _mm512_setzero_ps();
          for (std::size_t k = 0; k < 4; ++k) {
            const std::size_t row = 4 * k + r;
            if (row >= rows || mc == 0) continue;
            const __m128 x = _mm_maskz_loadu_ps(cm, X + row * stride + col);
            switch (k) {
              case 0: v = _mm512_insertf32x4(v, x, 0); break;
              case 1: v = _mm512_insertf32x4(v, x, 1); break;
              case 2: v = _mm512_insertf32x4(v, x, 2); break;
              default: v = _mm512_insertf32x4(v, x, 3); break;
            }
          }
          M[r] = v;
        }
      }
      finish_quad(M, out + 4 * q * 16);
    }
  }
}
#else
// AVX2 and SSE, what lanes_block's full blocks leave: a register transpose
// of width x width floats, partial loads for the last columns, zero rows past
// `rows`. Columns [c0, c1) into T as transpose_rows puts them.
inline void transpose_rest(const float* X, std::size_t stride, std::size_t rows, std::size_t c0, std::size_t c1,
                           float* T) noexcept {
  constexpr std::size_t W = Vec::width;
  for (std::size_t c = c0; c < c1; c += W) {
    const std::size_t m = c1 - c < W ? c1 - c : W;
    Vec r[W];
    for (std::size_t l = 0; l < W; ++l)
      r[l] = l >= rows ? Vec::zero() : m == W ? Vec::load(X + l * stride + c) : Vec::load_partial(X + l * stride + c, m);
    Vec::transpose(r);
    float* out = T + (c - c0) * W;
    for (std::size_t j = 0; j < W; ++j) Vec::store(out + j * W, r[j]);
  }
}
#endif

// dot(x_l, y_l, n) for every lane l of the transposed rows in T (columns
// 0 .. n, padded with 0 to a multiple of width): dot()'s operations in dot()'s
// order, lane by lane, so the same bits. dot_vec's lane l is a chain of one
// FMA per column c = l (mod width); here that chain is s[l], one FMA per
// column vector, and lanewise_sum is sum()'s tree across the s[l].
// factor(c, column_c) gives y's column c < n as a vector (a broadcast
// weight, or the column itself for x . x); tail(c, column_c) does for the
// columns of the last, partial chunk, where c may reach past n (the column
// is 0 there; tail must not read y[c]).
template <typename Factor, typename Tail>
inline Vec lanes_dot(const float* T, std::size_t n, Factor factor, Tail tail) noexcept {
  constexpr std::size_t W = Vec::width;
  Vec s[W];
#pragma GCC unroll 16
  for (std::size_t l = 0; l < W; ++l) s[l] = Vec::zero();
  const std::size_t full = n / W * W;  // columns in whole chunks
  for (std::size_t j = 0; j < full; j += W) {
#pragma GCC unroll 16
    for (std::size_t l = 0; l < W; ++l) {
      const Vec c = Vec::load(T + (j + l) * W);
      s[l] = Vec::fmadd(c, factor(j + l, c), s[l]);
    }
  }
  if (full < n) {
#pragma GCC unroll 16
    for (std::size_t l = 0; l < W; ++l) {
      const Vec c = Vec::load(T + (full + l) * W);
      s[l] = Vec::fmadd(c, tail(full + l, c), s[l]);
    }
  }
  return lanewise_sum(s);
}

namespace lanes_detail {

// lanes_block's body; Dot: whether there is a dot product to take. Also
// transpose_rows's (no dot product, every column kept): one walk over a
// block for both.
template <bool Dot>
__attribute__((always_inline)) inline void lanes_block(const float* X, std::size_t stride, std::size_t rows, std::size_t n, const float* w,
                        const std::uint64_t* keep, float* T, float* out) noexcept {
  constexpr std::size_t W = Vec::width;
  // The keep bits of columns [c, c + m), m <= width (a chunk starts at a
  // multiple of width, which divides 64: one word holds them all).
  auto kept = [keep](std::size_t c, std::size_t m) -> std::uint64_t {
    return keep == nullptr ? ~std::uint64_t{0} : keep[c / 64] >> (c % 64) & ((std::uint64_t{1} << m) - 1);
  };
  Vec s[W];
#pragma GCC unroll 16
  for (std::size_t l = 0; l < W; ++l) s[l] = Vec::zero();
  std::size_t c = 0;
#if defined(__AVX512F__)
  if (rows == 16) {
    // Full blocks 16 columns at a time (transpose_8_regs), straight-line:
    // every load addresses one of four row pointers plus 0, 4, 8 or 12 rows
    // (two strides), so the 16 rows need 6 registers, not 16; each column
    // is used from its register.
    const float *p0 = X, *p1 = p0 + stride, *p2 = p1 + stride, *p3 = p2 + stride;
    const std::size_t s4 = 4 * stride, s12 = 12 * stride;
    for (; c + 16 <= n; c += 16) {
      const std::uint64_t k = kept(c, 16);
#pragma GCC unroll 2
      for (std::size_t h = 0; h < 2; ++h) {
        __m512 col[8];
        transpose_8_regs(p0 + 8 * h, p1 + 8 * h, p2 + 8 * h, p3 + 8 * h, s4, s12, col);
#pragma GCC unroll 8
        for (std::size_t j = 0; j < 8; ++j) {
          const std::size_t l = 8 * h + j;
          if (Dot) s[l] = Vec::fmadd(Vec{col[j]}, Vec::set1(w[c + l]), s[l]);
          if ((k >> l & 1u) != 0) _mm512_storeu_ps(T + (c + l) * 16, col[j]);
        }
      }
      p0 += 16;
      p1 += 16;
      p2 += 16;
      p3 += 16;
    }
  }
#else
  if (rows == W) {
    for (; c + W <= n; c += W) {
      Vec r[W];
#pragma GCC unroll 8
      for (std::size_t l = 0; l < W; ++l) r[l] = Vec::load(X + l * stride + c);
      Vec::transpose(r);
      const std::uint64_t k = kept(c, W);
#pragma GCC unroll 8
      for (std::size_t j = 0; j < W; ++j) {
        if (Dot) s[j] = Vec::fmadd(r[j], Vec::set1(w[c + j]), s[j]);
        if ((k >> j & 1u) != 0) Vec::store(T + (c + j) * W, r[j]);
      }
    }
  }
#endif
  if (c < n) {
    // A short block or the last columns: transposed into T (all of them),
    // then read back.
    transpose_rest(X + c, stride, rows, 0, n - c, T + c * W);
    if (Dot) {
      for (; c < n; c += W) {
#pragma GCC unroll 16
        for (std::size_t l = 0; l < W; ++l)
          s[l] = Vec::fmadd(Vec::load(T + (c + l) * W), Vec::set1(c + l < n ? w[c + l] : 0.0f), s[l]);
      }
    }
  }
  if (Dot) Vec::store(out, lanewise_sum(s));
}

}  // namespace lanes_detail

// A block of `rows` rows of X (rows <= width; n columns, row stride `stride`)
// as lanes, in one pass over the rows. Column c's vector (as transpose_rows
// makes it: lane l = row l, rows past `rows` 0) is stored at T + c * width
// when keep is null or marks it (bit c % 64 of keep[c / 64]); T has room for
// n columns padded to a multiple of width. When w is not null, out[l] =
// dot(x_l, w, n), dot()'s bits, each column taken from the register the
// transposition left it in. The Scorecard's block: the logistic dot product
// with no trip through memory, and only the columns its points models read
// written out.
inline void lanes_block(const float* X, std::size_t stride, std::size_t rows, std::size_t n, const float* w,
                        const std::uint64_t* keep, float* T, float* out) noexcept {
  if (w != nullptr)
    lanes_detail::lanes_block<true>(X, stride, rows, n, w, keep, T, out);
  else
    lanes_detail::lanes_block<false>(X, stride, rows, n, w, keep, T, out);
}

// See the comment at the top of the file.
inline void transpose_rows(const float* X, std::size_t stride, std::size_t rows, std::size_t c0, std::size_t c1,
                           float* T) noexcept {
  lanes_detail::lanes_block<false>(X + c0, stride, rows, c1 - c0, nullptr, nullptr, T, nullptr);
}

}  // namespace leadkit::kernels::LEADKIT_ISA_NS
