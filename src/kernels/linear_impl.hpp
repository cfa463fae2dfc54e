// Linear scoring kernel body, compiled once per ISA (see simd.hpp).
#pragma once

#include <cstdint>

#include "kernels/linear.hpp"
#include "kernels/prefetch.hpp"
#include "kernels/simd.hpp"

namespace leadkit::kernels::LEADKIT_ISA_NS {

// x . w over n floats before the horizontal sum (dot() is Vec::sum of it):
// one accumulator, one FMA per chunk of width floats in column order, the
// last chunk zero-padded. So lane l sums the columns c = l (mod width) in
// order, which is what a block of rows as lanes computes with one FMA per
// column vector (lanes_dot, lanes_block in lanes_impl.hpp) as the columns
// come out of the transposition, or, on AVX-512, with one FMA per 8 columns
// of two rows as loaded (lanes_block_16): the same bits every way, with no
// buffer in between. The order is fixed for a given ISA and n, so a row's
// score does not depend on which thread computes it or whether it is
// scored alone. The chain's latency is hidden by scoring several rows at
// once (linear_rows takes a block of width rows); four chunks per step, the
// loads first, ran as fast as four separate accumulators there (2M rows,
// D = 64, a standalone loop).
inline Vec dot_vec(const float* x, const float* w, std::size_t n) noexcept {
  constexpr std::size_t W = Vec::width;
  Vec a = Vec::zero();
  std::size_t j = 0;
  for (; j + 4 * W <= n; j += 4 * W) {
    const Vec x0 = Vec::load(x + j), x1 = Vec::load(x + j + W), x2 = Vec::load(x + j + 2 * W),
              x3 = Vec::load(x + j + 3 * W);
    a = Vec::fmadd(x0, Vec::load(w + j), a);
    a = Vec::fmadd(x1, Vec::load(w + j + W), a);
    a = Vec::fmadd(x2, Vec::load(w + j + 2 * W), a);
    a = Vec::fmadd(x3, Vec::load(w + j + 3 * W), a);
  }
  for (; j + W <= n; j += W) a = Vec::fmadd(Vec::load(x + j), Vec::load(w + j), a);
  if (j < n) a = Vec::fmadd(Vec::load_partial(x + j, n - j), Vec::load_partial(w + j, n - j), a);
  return a;
}

inline float dot(const float* x, const float* w, std::size_t n) noexcept { return Vec::sum(dot_vec(x, w, n)); }

// exp(x) for x in [-87, 87] (callers clamp): Cephes' expf, range reduction by
// ln 2 in two parts then a degree-6 polynomial; relative error ~2 ulp.
inline Vec exp_clamped(Vec x) noexcept {
  Vec k, pow2k;
  Vec::round_pow2(Vec::mul(x, Vec::set1(1.44269504088896341f)), k, pow2k);
  Vec r = Vec::sub(x, Vec::mul(k, Vec::set1(0.693359375f)));
  r = Vec::sub(r, Vec::mul(k, Vec::set1(-2.12194440e-4f)));
  Vec y = Vec::set1(1.9875691500e-4f);
  y = Vec::fmadd(y, r, Vec::set1(1.3981999507e-3f));
  y = Vec::fmadd(y, r, Vec::set1(8.3334519073e-3f));
  y = Vec::fmadd(y, r, Vec::set1(4.1665795894e-2f));
  y = Vec::fmadd(y, r, Vec::set1(1.6666665459e-1f));
  y = Vec::fmadd(y, r, Vec::set1(5.0000001201e-1f));
  y = Vec::fmadd(y, Vec::mul(r, r), Vec::add(r, Vec::set1(1.0f)));
  return Vec::mul(y, pow2k);
}

// 1 / (1 + exp(-z)) over out[0 .. n) in place. z is clamped to [-87, 87],
// where the float result is already 0 + 1e-38 or exactly 1.
inline Vec sigmoid_vec(Vec s) noexcept {
  const Vec lo = Vec::set1(-87.0f), hi = Vec::set1(87.0f), one = Vec::set1(1.0f);
  const Vec z = Vec::min(Vec::max(s, lo), hi);
  return Vec::div(one, Vec::add(one, exp_clamped(Vec::sub(Vec::zero(), z))));
}

inline void sigmoid_inplace(float* out, std::size_t n) noexcept {
  constexpr std::size_t W = Vec::width;
  // The tail goes through the same vector code (masked), so a score's
  // probability does not depend on where its row falls in a block.
  for (std::size_t i = 0; i < n; i += W) {
    const std::size_t m = n - i < W ? n - i : W;
    const Vec s = m == W ? Vec::load(out + i) : Vec::load_partial(out + i, m);
    const Vec p = sigmoid_vec(s);
    if (m == W)
      Vec::store(out + i, p);
    else
      Vec::store_partial(out + i, p, m);
  }
}

inline std::size_t linear_rows(const float* X, std::size_t begin, std::size_t end, std::size_t cols,
                               std::size_t stride, const float* w, float b, Link link,
                               float* out) noexcept {
  constexpr std::size_t W = Vec::width;
  std::size_t first_bad = end;
  // Rows ~6 KiB ahead prefetched (kernels/prefetch.hpp); not for a few rows,
  // where the division would cost a lead alone more than it could gain.
  const std::size_t ahead = end - begin > 8 ? rows_ahead(stride * sizeof(float)) : end - begin;
  std::size_t i = begin;
  if (end - begin >= W) {
    // Whole blocks of W rows: each row's dot_vec, then all W horizontal sums
    // at once (sum_each: sum()'s tree, so every row has the bits it has
    // alone), and the intercept, finiteness check, sigmoid and store as one
    // vector each, instead of a reduction chain and scalar work per row.
    const Vec bv = Vec::set1(b);
    for (; i + W <= end; i += W) {
      // The prefetches spread over the block, one row's among each row's
      // loads: a burst of a whole block's measured slower (it fills the
      // core's miss buffers ahead of the block's own loads).
      const std::size_t pf = i + ahead < end ? (end - i - ahead < W ? end - i - ahead : W) : 0;
      Vec part[W];
#pragma GCC unroll 16
      for (std::size_t r = 0; r < W; ++r) {
        if (r < pf) prefetch_span(X + (i + ahead + r) * stride, cols * sizeof(float));
        part[r] = dot_vec(X + (i + r) * stride, w, cols);
      }
      Vec s = Vec::add(sum_each(part), bv);
      const unsigned bad = Vec::not_finite_mask(s);
      if (bad != 0 && first_bad == end) first_bad = i + static_cast<std::size_t>(__builtin_ctz(bad));
      if (link == Link::sigmoid) s = sigmoid_vec(s);
      Vec::store(out + i, s);
    }
  }
  const std::size_t rest = i;
  for (; i < end; ++i) {
    if (i + ahead < end) prefetch_span(X + (i + ahead) * stride, cols * sizeof(float));
    const float s = dot(X + i * stride, w, cols) + b;
    if (!__builtin_isfinite(s) && first_bad == end) first_bad = i;
    out[i] = s;
  }
  if (link == Link::sigmoid) {
    // A second, in-cache pass over the rows left over keeps the dot loop tight.
    sigmoid_inplace(out + rest, end - rest);
  }
  return first_bad;
}

// out[g] = x . W[g] for n_dots rows of W (row g at W + g * w_stride), one
// pass over x while it is in L1.
inline void multi_dot(const float* x, const float* W, std::size_t n_dots, std::size_t n,
                      std::size_t w_stride, float* out) noexcept {
  for (std::size_t g = 0; g < n_dots; ++g) out[g] = dot(x, W + g * w_stride, n);
}

// multi_dot for rows [begin, end) of X: out[(i - begin) * n_dots + g].
inline void multi_dot_rows(const float* X, std::size_t begin, std::size_t end, std::size_t stride,
                           const float* W, std::size_t n_dots, std::size_t n, float* out) noexcept {
  // Rows ~6 KiB ahead prefetched, as in linear_rows.
  const std::size_t ahead = end - begin > 8 ? rows_ahead(stride * sizeof(float)) : end - begin;
  for (std::size_t i = begin; i < end; ++i) {
    if (i + ahead < end) prefetch_span(X + (i + ahead) * stride, n * sizeof(float));
    multi_dot(X + i * stride, W, n_dots, n, n, out + (i - begin) * n_dots);
  }
}

// out[j] = sum_g coef[g] * W[g * n + j] for g < n_rows: a per-lead weight
// vector from per-group scale factors (points reasons after caps).
inline void combine_rows(const float* W, const float* coef, std::size_t n_rows, std::size_t n,
                         float* out) noexcept {
  constexpr std::size_t V = Vec::width;
  std::size_t j = 0;
  // Four column chunks at a time: four independent FMA chains (each lane still
  // sums its rows in order g = 0, 1, ..., so the result is the same).
  for (; j + 4 * V <= n; j += 4 * V) {
    Vec a0 = Vec::zero(), a1 = Vec::zero(), a2 = Vec::zero(), a3 = Vec::zero();
    for (std::size_t g = 0; g < n_rows; ++g) {
      const Vec c = Vec::set1(coef[g]);
      const float* row = W + g * n + j;
      a0 = Vec::fmadd(c, Vec::load(row), a0);
      a1 = Vec::fmadd(c, Vec::load(row + V), a1);
      a2 = Vec::fmadd(c, Vec::load(row + 2 * V), a2);
      a3 = Vec::fmadd(c, Vec::load(row + 3 * V), a3);
    }
    Vec::store(out + j, a0);
    Vec::store(out + j + V, a1);
    Vec::store(out + j + 2 * V, a2);
    Vec::store(out + j + 3 * V, a3);
  }
  for (; j + V <= n; j += V) {
    Vec acc = Vec::zero();
    for (std::size_t g = 0; g < n_rows; ++g) acc = Vec::fmadd(Vec::set1(coef[g]), Vec::load(W + g * n + j), acc);
    Vec::store(out + j, acc);
  }
  if (j < n) {
    Vec acc = Vec::zero();
    for (std::size_t g = 0; g < n_rows; ++g)
      acc = Vec::fmadd(Vec::set1(coef[g]), Vec::load_partial(W + g * n + j, n - j), acc);
    Vec::store_partial(out + j, acc, n - j);
  }
}

// top_contributions for n <= NV * width: the magnitudes stay in NV
// registers. Each round takes the largest magnitude left, emits every lane
// holding it in index order (ties go to the lower j) and retires them, so no
// value is stored and reloaded (a store-forwarding stall per round).
template <std::size_t NV>
inline void top_contributions_regs(const float* x, const float* w, std::size_t n, std::size_t k,
                                   std::int32_t* out_index, float* out_value) noexcept {
  constexpr std::size_t W = Vec::width;
  Vec a[NV];
#pragma GCC unroll 8
  for (std::size_t v = 0; v < NV; ++v) {
    const std::size_t j = v * W;
    // Lanes past n load as 0 and have no magnitude to offer.
    a[v] = j + W <= n ? Vec::abs(Vec::mul(Vec::load(x + j), Vec::load(w + j)))
                      : Vec::abs(Vec::mul(Vec::load_partial(x + j, n - j), Vec::load_partial(w + j, n - j)));
  }
  std::size_t slot = 0;
  while (slot < k) {
    Vec m = a[0];
#pragma GCC unroll 8
    for (std::size_t v = 1; v < NV; ++v) m = Vec::max(m, a[v]);
    const float best = Vec::max_all(m);
    if (!(best > 0.0f)) break;
    // Every lane holding `best`, as one bit mask over the row (NV * W <= 64).
    unsigned long long bits = 0;
#pragma GCC unroll 8
    for (std::size_t v = 0; v < NV; ++v) {
      bits |= static_cast<unsigned long long>(Vec::eq_mask(a[v], best)) << (v * W);
      a[v] = Vec::replace_eq(a[v], best, -1.0f);
    }
    do {
      const auto j = static_cast<std::size_t>(__builtin_ctzll(bits));
      bits &= bits - 1;
      out_index[slot] = static_cast<std::int32_t>(j);
      out_value[slot] = x[j] * w[j];
      ++slot;
    } while (bits != 0 && slot < k);
  }
  for (; slot < k; ++slot) {
    out_index[slot] = -1;
    out_value[slot] = 0.0f;
  }
}

// The k largest |w_j * x_j| of one row, largest first, ties to the lower j:
// writes their indices and signed contributions, padding with -1 / 0 once no
// non-zero contribution is left. `scratch` holds round_up(n, width) floats.
inline void top_contributions(const float* x, const float* w, std::size_t n, std::size_t k,
                              float* scratch, std::int32_t* out_index, float* out_value) noexcept {
  constexpr std::size_t W = Vec::width;
  const std::size_t padded = (n + W - 1) / W * W;
  // Up to 64 lanes (one bit each in a 64-bit mask) and 8 registers.
  constexpr std::size_t kMaxRegs = 64 / W < 8 ? 64 / W : 8;
  switch (padded / W) {
    case 1: return top_contributions_regs<1>(x, w, n, k, out_index, out_value);
    case 2: return top_contributions_regs<2>(x, w, n, k, out_index, out_value);
    case 3: return top_contributions_regs<3>(x, w, n, k, out_index, out_value);
    case 4: return top_contributions_regs<4>(x, w, n, k, out_index, out_value);
    case 5:
      if constexpr (5 <= kMaxRegs) return top_contributions_regs<5>(x, w, n, k, out_index, out_value);
      break;
    case 6:
      if constexpr (6 <= kMaxRegs) return top_contributions_regs<6>(x, w, n, k, out_index, out_value);
      break;
    case 7:
      if constexpr (7 <= kMaxRegs) return top_contributions_regs<7>(x, w, n, k, out_index, out_value);
      break;
    case 8:
      if constexpr (8 <= kMaxRegs) return top_contributions_regs<8>(x, w, n, k, out_index, out_value);
      break;
    default: break;
  }
  // Wider rows: the magnitudes go through scratch.
  std::size_t j = 0;
  for (; j + W <= n; j += W) Vec::store(scratch + j, Vec::abs(Vec::mul(Vec::load(x + j), Vec::load(w + j))));
  for (; j < n; ++j) scratch[j] = __builtin_fabsf(x[j] * w[j]);
  for (; j < padded; ++j) scratch[j] = -1.0f;  // never a maximum
  for (std::size_t slot = 0; slot < k; ++slot) {
    Vec m = Vec::load(scratch);
    for (std::size_t c = W; c < padded; c += W) m = Vec::max(m, Vec::load(scratch + c));
    const float best = Vec::max_all(m);
    if (!(best > 0.0f)) {
      for (; slot < k; ++slot) {
        out_index[slot] = -1;
        out_value[slot] = 0.0f;
      }
      return;
    }
    std::size_t arg = 0;
    for (std::size_t c = 0; c < padded; c += W) {
      const unsigned mask = Vec::eq_mask(Vec::load(scratch + c), best);
      if (mask != 0) {
        arg = c + static_cast<std::size_t>(__builtin_ctz(mask));
        break;
      }
    }
    out_index[slot] = static_cast<std::int32_t>(arg);
    out_value[slot] = x[arg] * w[arg];
    scratch[arg] = -1.0f;
  }
}

}  // namespace leadkit::kernels::LEADKIT_ISA_NS
