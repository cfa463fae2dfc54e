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

// Columns [c, c + 8) of 16 rows as eight vectors, ready for
// transpose_8_part: p[r] points at column c of row r < 4; rows r + 4, r + 8
// and r + 12 are s4, 2 * s4 and s12 floats further. v[r] (r < 4) takes row
// r into its lower 256-bit half and row r + 4 into the upper one, v[4 + r]
// rows r + 8 and r + 12 (a load and an insert each). Always inlined, with
// the row pointers as scalars: out of line, GCC kept them in a vector in
// memory and the transposition ran no faster than rows_quad's.
__attribute__((always_inline)) inline void load_8_regs(const float* p0, const float* p1, const float* p2,
                                                       const float* p3, std::size_t s4, std::size_t s12,
                                                       __m512 (&v)[8]) noexcept {
  const float* p[4] = {p0, p1, p2, p3};
#pragma GCC unroll 4
  for (std::size_t r = 0; r < 4; ++r) {
    v[r] = _mm512_insertf32x8(_mm512_castps256_ps512(_mm256_loadu_ps(p[r])), _mm256_loadu_ps(p[r] + s4), 1);
    v[4 + r] = _mm512_insertf32x8(_mm512_castps256_ps512(_mm256_loadu_ps(p[r] + 2 * s4)),
                                  _mm256_loadu_ps(p[r] + s12), 1);
  }
}

// Column J and column 4 + J of the eight (lane l = row l) from u as
// transpose_8_part leaves it, each stored at T0 + its column * 16 when its
// bit of k8 is set (and only then computed).
template <unsigned J>
__attribute__((always_inline)) inline void store_column_pair(const __m512 (&u)[8], unsigned k8, float* T0) noexcept {
  if ((k8 >> J & 1u) != 0) _mm512_storeu_ps(T0 + J * 16, _mm512_shuffle_f32x4(u[J], u[4 + J], _MM_SHUFFLE(2, 0, 2, 0)));
  if ((k8 >> (4 + J) & 1u) != 0)
    _mm512_storeu_ps(T0 + (4 + J) * 16, _mm512_shuffle_f32x4(u[J], u[4 + J], _MM_SHUFFLE(3, 1, 3, 1)));
}

// The columns of v (as load_8_regs leaves them) whose bit is set in k8,
// each stored at T0 + column * 16 (lane l = row l). An 8 x 8 transpose
// inside each 256-bit half (two stages of 8 shuffles) leaves column j's
// rows 0-3, 4-7, 8-11 and 12-15 in one 128-bit lane each of two vectors
// (u[j] and u[4 + j] hold columns j and 4 + j), and one 128-bit shuffle per
// column puts them in order: per 8 columns, 8 inserts and 24 shuffles (and
// the inserts share the shuffle units with them here; measurements in
// docs/ARCHITECTURE.md). NU (bit j: column j or 4 + j is wanted) prunes
// the shuffles no wanted column depends on: columns 0, 1, 4 and 5 come from
// the unpacklo half of the first stage, 2, 3, 6 and 7 from the unpackhi
// half. The benchmark scorecard's rules read 20 of its 64 columns, spread
// over all eight groups of 8; pruned, its blocks take 108 of the 192
// shuffles (besides the 64 inserts that load the rows).
template <unsigned NU>
__attribute__((always_inline)) inline void transpose_8_part(const __m512 (&v)[8], unsigned k8, float* T0) noexcept {
  __m512 t[8] = {}, u[8] = {};
  if constexpr ((NU & 3u) != 0) {
#pragma GCC unroll 4
    for (std::size_t i = 0; i < 4; ++i) t[2 * i] = _mm512_unpacklo_ps(v[2 * i], v[2 * i + 1]);
  }
  if constexpr ((NU & 12u) != 0) {
#pragma GCC unroll 4
    for (std::size_t i = 0; i < 4; ++i) t[2 * i + 1] = _mm512_unpackhi_ps(v[2 * i], v[2 * i + 1]);
  }
  // u[4h + j] holds column j's four rows of group h in its 128-bit lanes 0
  // and 2 and column 4 + j's in lanes 1 and 3.
#pragma GCC unroll 2
  for (std::size_t h = 0; h < 2; ++h) {
    if constexpr ((NU & 1u) != 0) u[4 * h + 0] = _mm512_shuffle_ps(t[4 * h + 0], t[4 * h + 2], 0x44);
    if constexpr ((NU & 2u) != 0) u[4 * h + 1] = _mm512_shuffle_ps(t[4 * h + 0], t[4 * h + 2], 0xEE);
    if constexpr ((NU & 4u) != 0) u[4 * h + 2] = _mm512_shuffle_ps(t[4 * h + 1], t[4 * h + 3], 0x44);
    if constexpr ((NU & 8u) != 0) u[4 * h + 3] = _mm512_shuffle_ps(t[4 * h + 1], t[4 * h + 3], 0xEE);
  }
  if constexpr ((NU & 1u) != 0) store_column_pair<0>(u, k8, T0);
  if constexpr ((NU & 2u) != 0) store_column_pair<1>(u, k8, T0);
  if constexpr ((NU & 4u) != 0) store_column_pair<2>(u, k8, T0);
  if constexpr ((NU & 8u) != 0) store_column_pair<3>(u, k8, T0);
}

// transpose_8_part for the columns of k8 (8 bits): one jump on the shape of
// the wanted columns (16 shapes; the same for a whole call, so predicted),
// then only the shuffles they need.
__attribute__((always_inline)) inline void transpose_8_kept(const __m512 (&v)[8], unsigned k8, float* T0) noexcept {
  switch ((k8 | k8 >> 4) & 15u) {
    case 0: break;
    case 1: transpose_8_part<1>(v, k8, T0); break;
    case 2: transpose_8_part<2>(v, k8, T0); break;
    case 3: transpose_8_part<3>(v, k8, T0); break;
    case 4: transpose_8_part<4>(v, k8, T0); break;
    case 5: transpose_8_part<5>(v, k8, T0); break;
    case 6: transpose_8_part<6>(v, k8, T0); break;
    case 7: transpose_8_part<7>(v, k8, T0); break;
    case 8: transpose_8_part<8>(v, k8, T0); break;
    case 9: transpose_8_part<9>(v, k8, T0); break;
    case 10: transpose_8_part<10>(v, k8, T0); break;
    case 11: transpose_8_part<11>(v, k8, T0); break;
    case 12: transpose_8_part<12>(v, k8, T0); break;
    case 13: transpose_8_part<13>(v, k8, T0); break;
    case 14: transpose_8_part<14>(v, k8, T0); break;
    default: transpose_8_part<15>(v, k8, T0); break;
  }
}

// The sixteen rows' dot products from lanes_block_16's accumulators: row
// r's dot_vec is a[0][.] in lanes 0-7 and a[1][.] in lanes 8-15, where
// a[h][q] (q < 4) holds row q in its lower 256-bit half and row q + 4 in
// the upper one, a[h][4 + q] rows q + 8 and q + 12. Vec::sum's halving
// tree for all sixteen at once, lane by lane (so the same bits): lanes
// l + 8 and l (one add per vector), then l + 4 and l, l + 2 and l, l + 1
// and l (shuffles that pair the rows' halves up, as sum_each does), and a
// permute into row order.
inline __m512 sum_rows_16(const __m512 (&a)[2][8]) noexcept {
  __m512 b[8], c[4], d[2];
#pragma GCC unroll 8
  for (std::size_t i = 0; i < 8; ++i) b[i] = _mm512_add_ps(a[1][i], a[0][i]);
  // c[q]'s 128-bit lane k: the four sums of the rows of b[2q] (k = 0: lower
  // half, 1: upper) and b[2q + 1] (k = 2, 3).
#pragma GCC unroll 4
  for (std::size_t q = 0; q < 4; ++q)
    c[q] = _mm512_add_ps(_mm512_shuffle_f32x4(b[2 * q], b[2 * q + 1], _MM_SHUFFLE(3, 1, 3, 1)),
                         _mm512_shuffle_f32x4(b[2 * q], b[2 * q + 1], _MM_SHUFFLE(2, 0, 2, 0)));
  // d[p]'s 128-bit lane k: two sums each of c[2p]'s row and c[2p + 1]'s.
#pragma GCC unroll 2
  for (std::size_t p = 0; p < 2; ++p)
    d[p] = _mm512_add_ps(_mm512_shuffle_ps(c[2 * p], c[2 * p + 1], _MM_SHUFFLE(3, 2, 3, 2)),
                         _mm512_shuffle_ps(c[2 * p], c[2 * p + 1], _MM_SHUFFLE(1, 0, 1, 0)));
  // Lane 4k + i holds the row of c[i]'s lane k: rows 0 2 8 10 | 4 6 12 14 |
  // 1 3 9 11 | 5 7 13 15; the permute gathers them by row.
  const __m512 e = _mm512_add_ps(_mm512_shuffle_ps(d[0], d[1], _MM_SHUFFLE(3, 1, 3, 1)),
                                 _mm512_shuffle_ps(d[0], d[1], _MM_SHUFFLE(2, 0, 2, 0)));
  const __m512i order = _mm512_setr_epi32(0, 8, 1, 9, 4, 12, 5, 13, 2, 10, 3, 11, 6, 14, 7, 15);
  return _mm512_permutexvar_ps(order, e);
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

#if defined(__AVX512F__)
// lanes_block for a full block of 16 rows (AVX-512), 8 columns at a time
// (load_8_regs). Every load addresses one of four row pointers plus 0, 4,
// 8 or 12 rows (two strides), so the 16 rows need 6 registers, not 16. The
// dot products come from the rows as loaded, before any shuffle: a[h][i] +=
// v[i] * (w's 8 columns in both halves), so lane j of row r's pair a[0],
// a[1] sums the columns c = j (mod 16) in order, as dot_vec's lane j does,
// and sum_rows_16 finishes all sixteen with sum()'s tree. Only the kept
// columns are transposed (transpose_8_kept); the last n % 16 columns go
// through transpose_rest, and into the dot products by masked loads (0
// past n, in the rows and in w, as dot_vec's last chunk).
template <bool Dot>
__attribute__((always_inline)) inline void lanes_block_16(const float* X, std::size_t stride, std::size_t n,
                                                          const float* w, const std::uint64_t* keep, float* T,
                                                          float* out) noexcept {
  __m512 a[2][8];
#pragma GCC unroll 8
  for (std::size_t i = 0; i < 8; ++i) a[0][i] = a[1][i] = _mm512_setzero_ps();
  const float *p0 = X, *p1 = p0 + stride, *p2 = p1 + stride, *p3 = p2 + stride;
  const std::size_t s4 = 4 * stride, s12 = 12 * stride;
  std::size_t c = 0;
  for (; c + 16 <= n; c += 16) {
    // The keep bits of columns [c, c + 16) (c is a multiple of 16: one word holds them).
    const unsigned k = keep == nullptr ? 0xFFFFu : static_cast<unsigned>(keep[c / 64] >> (c % 64) & 0xFFFFu);
#pragma GCC unroll 2
    for (std::size_t h = 0; h < 2; ++h) {
      __m512 v[8];
      load_8_regs(p0 + 8 * h, p1 + 8 * h, p2 + 8 * h, p3 + 8 * h, s4, s12, v);
      if (Dot) {
        const __m512 wv = _mm512_broadcast_f32x8(_mm256_loadu_ps(w + c + 8 * h));
#pragma GCC unroll 8
        for (std::size_t i = 0; i < 8; ++i) a[h][i] = _mm512_fmadd_ps(v[i], wv, a[h][i]);
      }
      transpose_8_kept(v, k >> (8 * h) & 0xFFu, T + (c + 8 * h) * 16);
    }
    p0 += 16;
    p1 += 16;
    p2 += 16;
    p3 += 16;
  }
  if (c < n) {
    transpose_rest(X + c, stride, 16, 0, n - c, T + c * 16);
    if (Dot) {
      const std::size_t m = n - c;
      const float* p[4] = {p0, p1, p2, p3};
#pragma GCC unroll 2
      for (std::size_t h = 0; h < 2; ++h) {
        const std::size_t mh = m > 8 * h ? (m - 8 * h < 8 ? m - 8 * h : 8) : 0;
        const auto mk = static_cast<__mmask8>((1u << mh) - 1u);
        __m512 v[8], wv = _mm512_setzero_ps();
        if (mh == 0) {
          // No column left in this half: zeros, formed without a pointer
          // past the rows. The FMA below still runs: dot_vec's last chunk
          // adds 0 * 0 to every lane, which turns an accumulator left at -0
          // by an underflowing product into +0, so skipping it would change
          // those bits.
#pragma GCC unroll 8
          for (std::size_t i = 0; i < 8; ++i) v[i] = _mm512_setzero_ps();
        } else {
#pragma GCC unroll 4
          for (std::size_t r = 0; r < 4; ++r) {
            const float* q = p[r] + 8 * h;
            v[r] = _mm512_insertf32x8(_mm512_castps256_ps512(_mm256_maskz_loadu_ps(mk, q)),
                                      _mm256_maskz_loadu_ps(mk, q + s4), 1);
            v[4 + r] = _mm512_insertf32x8(_mm512_castps256_ps512(_mm256_maskz_loadu_ps(mk, q + 2 * s4)),
                                          _mm256_maskz_loadu_ps(mk, q + s12), 1);
          }
          wv = _mm512_broadcast_f32x8(_mm256_maskz_loadu_ps(mk, w + c + 8 * h));
        }
#pragma GCC unroll 8
        for (std::size_t i = 0; i < 8; ++i) a[h][i] = _mm512_fmadd_ps(v[i], wv, a[h][i]);
      }
    }
  }
  if (Dot) _mm512_storeu_ps(out, sum_rows_16(a));
}
#endif

// lanes_block's body; Dot: whether there is a dot product to take. Also
// transpose_rows's (no dot product, every column kept): one walk over a
// block for both.
template <bool Dot>
__attribute__((always_inline)) inline void lanes_block(const float* X, std::size_t stride, std::size_t rows, std::size_t n, const float* w,
                        const std::uint64_t* keep, float* T, float* out) noexcept {
  constexpr std::size_t W = Vec::width;
#if defined(__AVX512F__)
  if (rows == 16) return lanes_block_16<Dot>(X, stride, n, w, keep, T, out);
#endif
  Vec s[W];
#pragma GCC unroll 16
  for (std::size_t l = 0; l < W; ++l) s[l] = Vec::zero();
  std::size_t c = 0;
#if !defined(__AVX512F__)
  if (rows == W) {
    for (; c + W <= n; c += W) {
      Vec r[W];
#pragma GCC unroll 8
      for (std::size_t l = 0; l < W; ++l) r[l] = Vec::load(X + l * stride + c);
      Vec::transpose(r);
      // The keep bits of columns [c, c + W) (c is a multiple of W, which divides 64: one word holds them).
      const std::uint64_t k = keep == nullptr ? ~std::uint64_t{0} : keep[c / 64] >> (c % 64);
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
// dot(x_l, w, n), dot()'s bits, taken on the way with no trip through
// memory: on AVX-512 a full block's from the rows as loaded (lanes_block_16,
// then sum_rows_16), otherwise each column from the register the
// transposition left it in. The Scorecard's block: the logistic dot product,
// and only the columns its points models read transposed and written out.
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
