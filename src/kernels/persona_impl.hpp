// Persona matching kernel body, compiled once per ISA (see simd.hpp and
// kernels/persona.hpp for the layout and the modes).
//
// A register tile of R lead rows x V persona vectors accumulates x . A_k with
// one FMA per (row, vector, feature): each persona vector load serves R rows
// and each broadcast lead value serves V vectors, so the loop is bound by FMA
// throughput, not loads. The tile's scores go to a small stack buffer that is
// read while hot to update each row's running top-k: a vector compare against
// the row's current k-th best skips almost every lane after the first blocks.
// Rows are independent: a lead's result does not depend on the batch around it
// or on the thread that computes it.
//
// Batches with an unweighted metric and short top lists take a second path,
// rows as lanes (see persona_rows): the same operations per (lead, persona),
// so the same bits, with the ranking kept lane-wise.
#pragma once

#include <cstdint>

#include "kernels/linear_impl.hpp"
#include "kernels/persona.hpp"
#include "kernels/points_impl.hpp"
#include "kernels/simd.hpp"

namespace leadkit::kernels::LEADKIT_ISA_NS {

namespace persona_detail {

#if defined(__AVX512F__)
constexpr std::size_t kTileRows = 6, kTileVecs = 4;  // 24 accumulators of 32 registers
#elif defined(__AVX2__) && defined(__FMA__)
constexpr std::size_t kTileRows = 6, kTileVecs = 2;  // 12 accumulators of 16 registers
#else
constexpr std::size_t kTileRows = 3, kTileVecs = 4;  // 12 accumulators of 16 registers
#endif
static_assert(kTileRows <= kPersonaScratchRows, "scratch holds a tile of rows");
static_assert(kPersonaBlock % Vec::width == 0, "a panel block is whole vectors");

constexpr float kNegInf = -__builtin_inff();
constexpr float kInf = __builtin_inff();

// Loading W floats at kHole + 15 - lane gives -inf at `lane`, +inf elsewhere.
alignas(64) static const float kHole[2 * kPersonaBlock] = {
    kInf, kInf, kInf, kInf, kInf,    kInf, kInf, kInf, kInf, kInf, kInf,
    kInf, kInf, kInf, kInf, kNegInf, kInf, kInf, kInf, kInf, kInf, kInf,
    kInf, kInf, kInf, kInf, kInf,    kInf, kInf, kInf, kInf, kInf};

// out[r][v*W + l] = bias[q0 + v*W + l] + sum_j x[r][j] * panel(q0 + v*W + l, j).
template <std::size_t R, std::size_t V>
inline void tile(const float* const* x, const float* panel, std::size_t D, std::size_t q0,
                 const float* bias, float* out, std::size_t ld) noexcept {
  constexpr std::size_t W = Vec::width;
  const float* base[V];
#pragma GCC unroll 8
  for (std::size_t v = 0; v < V; ++v) {
    const std::size_t q = q0 + v * W;
    base[v] = panel + (q / kPersonaBlock) * D * kPersonaBlock + (q % kPersonaBlock);
  }
  Vec acc[R][V];
#pragma GCC unroll 8
  for (std::size_t v = 0; v < V; ++v) {
    const Vec b = bias != nullptr ? Vec::load(bias + q0 + v * W) : Vec::zero();
#pragma GCC unroll 8
    for (std::size_t r = 0; r < R; ++r) acc[r][v] = b;
  }
  for (std::size_t j = 0; j < D; ++j) {
    Vec p[V];
#pragma GCC unroll 8
    for (std::size_t v = 0; v < V; ++v) p[v] = Vec::load(base[v] + j * kPersonaBlock);
#pragma GCC unroll 8
    for (std::size_t r = 0; r < R; ++r) {
      const Vec xb = Vec::set1(x[r][j]);
#pragma GCC unroll 8
      for (std::size_t v = 0; v < V; ++v) acc[r][v] = Vec::fmadd(xb, p[v], acc[r][v]);
    }
  }
#pragma GCC unroll 8
  for (std::size_t r = 0; r < R; ++r)
#pragma GCC unroll 8
    for (std::size_t v = 0; v < V; ++v) Vec::store(out + r * ld + v * W, acc[r][v]);
}

template <std::size_t R>
inline void tile_any(std::size_t nv, const float* const* x, const float* panel, std::size_t D,
                     std::size_t q0, const float* bias, float* out, std::size_t ld) noexcept {
  static_assert(kTileVecs <= 4, "tile_any covers up to 4 vectors");
  switch (nv) {
    case 1:
      tile<R, 1>(x, panel, D, q0, bias, out, ld);
      break;
#if defined(__AVX512F__) || !(defined(__AVX2__) && defined(__FMA__))
    case 2:
      tile<R, 2>(x, panel, D, q0, bias, out, ld);
      break;
    case 3:
      tile<R, 3>(x, panel, D, q0, bias, out, ld);
      break;
    default:
      tile<R, 4>(x, panel, D, q0, bias, out, ld);
      break;
#else
    default:
      tile<R, 2>(x, panel, D, q0, bias, out, ld);
      break;
#endif
  }
}

// a > b ? x : y, lane-wise (false for NaN).
inline Vec select_gt(Vec a, Vec b, Vec x, Vec y) noexcept {
#if defined(__AVX512F__)
  return {_mm512_mask_blend_ps(_mm512_cmp_ps_mask(a.v, b.v, _CMP_GT_OQ), y.v, x.v)};
#elif defined(__AVX2__) && defined(__FMA__)
  return {_mm256_blendv_ps(y.v, x.v, _mm256_cmp_ps(a.v, b.v, _CMP_GT_OQ))};
#elif defined(__SSE2__)
  const __m128 m = _mm_cmpgt_ps(a.v, b.v);
  return {_mm_or_ps(_mm_and_ps(m, x.v), _mm_andnot_ps(m, y.v))};
#else
  Vec r;
  for (int i = 0; i < 4; ++i) r.v[i] = a.v[i] > b.v[i] ? x.v[i] : y.v[i];
  return r;
#endif
}

alignas(64) static const
    float kLaneIndex[kPersonaBlock] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

// Loading W floats at kOnly + 15 - lane gives +inf at `lane`, -inf elsewhere.
alignas(64) static const float kOnly[2 * kPersonaBlock] = {
    kNegInf, kNegInf, kNegInf, kNegInf, kNegInf, kNegInf, kNegInf, kNegInf,
    kNegInf, kNegInf, kNegInf, kNegInf, kNegInf, kNegInf, kNegInf, kInf,
    kNegInf, kNegInf, kNegInf, kNegInf, kNegInf, kNegInf, kNegInf, kNegInf,
    kNegInf, kNegInf, kNegInf, kNegInf, kNegInf, kNegInf, kNegInf, kNegInf};

// Lane-wise top-KK: each lane keeps its KK best (value, persona) sorted, by an
// insertion network of selects; strict > keeps the earlier persona on ties.
constexpr std::size_t kLaneTopK = 4;

// Inserts score xv (persona xi) into each lane's sorted list a / ai of KK
// entries, as top_insert does for one list: the new entry goes in above the
// first entry it strictly beats (so an equal score already listed, an earlier
// persona, stays first) and every entry below it moves down one place. A list
// is sorted, so "beats entry e" holds for every e from the insertion point
// on: entry e becomes entry e - 1 where the new one beats that, else the new
// one where it beats entry e, else stays. Each compare reads the old list, so
// the KK updates are independent: no chain through the list within a
// persona, only each entry's own chain from persona to persona.
// The values take min / max (minps / maxps: the second operand on a tie or a
// NaN) instead of compare-and-blend: max(xv, a[e]) is xv > a[e] ? xv : a[e],
// and min(a[e - 1], that) is a[e - 1] where xv beats it, else that, bit for
// bit (a NaN score never enters). 1.015x on K = 256 top-3 (leadkit_ab): the
// compares remain only for the indices.
template <std::size_t KK>
inline void insert_lanes(Vec* a, Vec* ai, Vec xv, Vec xi) noexcept {
#pragma GCC unroll 4
  for (std::size_t e = KK - 1; e > 0; --e) {
    const Vec i = select_gt(xv, a[e], xi, ai[e]);
    ai[e] = select_gt(xv, a[e - 1], ai[e - 1], i);
    a[e] = Vec::min(a[e - 1], Vec::max(xv, a[e]));
  }
  ai[0] = select_gt(xv, a[0], xi, ai[0]);
  a[0] = Vec::max(xv, a[0]);
}

template <std::size_t KK>
inline void lanes_row(Vec* lv, Vec* li, const float* sr, std::size_t nv, Vec first_index) noexcept {
  constexpr std::size_t W = Vec::width;
  Vec a[KK], ai[KK];
#pragma GCC unroll 4
  for (std::size_t e = 0; e < KK; ++e) {
    a[e] = lv[e];
    ai[e] = li[e];
  }
  for (std::size_t v = 0; v < nv; ++v)
    insert_lanes<KK>(a, ai, Vec::load(sr + v * W), Vec::add(first_index, Vec::set1(static_cast<float>(v * W))));
#pragma GCC unroll 4
  for (std::size_t e = 0; e < KK; ++e) {
    lv[e] = a[e];
    li[e] = ai[e];
  }
}

// A tile of `rows` (<= kTileRows) leads: a short tail (or a product's single
// lead) computes only its own rows instead of a full tile of duplicates.
inline void tile_rows(std::size_t rows, std::size_t nv, const float* const* x, const float* panel,
                      std::size_t D, std::size_t q0, const float* bias, float* out,
                      std::size_t ld) noexcept {
  static_assert(kTileRows == 6 || kTileRows == 3, "tile_rows covers 1..6 rows");
  switch (rows) {
    case 1:
      tile_any<1>(nv, x, panel, D, q0, bias, out, ld);
      break;
    case 2:
      tile_any<2>(nv, x, panel, D, q0, bias, out, ld);
      break;
    case 3:
      tile_any<3>(nv, x, panel, D, q0, bias, out, ld);
      break;
#if !defined(__AVX512F__) && !(defined(__AVX2__) && defined(__FMA__))
    default:
      tile_any<3>(nv, x, panel, D, q0, bias, out, ld);
      break;
#else
    case 4:
      tile_any<4>(nv, x, panel, D, q0, bias, out, ld);
      break;
    case 5:
      tile_any<5>(nv, x, panel, D, q0, bias, out, ld);
      break;
    default:
      tile_any<6>(nv, x, panel, D, q0, bias, out, ld);
      break;
#endif
  }
}

// Inserts (s, i) into a row's top list (largest first) if it beats the last
// entry; equal scores keep the earlier (lower) persona first.
inline void top_insert(float* v, std::int32_t* idx, std::size_t kk, float s,
                       std::int32_t i) noexcept {
  if (!(s > v[kk - 1])) return;
  std::size_t pos = kk - 1;
  while (pos > 0 && v[pos - 1] < s) {
    v[pos] = v[pos - 1];
    idx[pos] = idx[pos - 1];
    --pos;
  }
  v[pos] = s;
  idx[pos] = i;
}

inline float clamp_unit(float c) noexcept { return c > 1.0f ? 1.0f : (c < -1.0f ? -1.0f : c); }

// A rank score as a similarity (see PersonaMode); monotone in t for a lead.
inline float similarity_of(PersonaMode m, float t, float norm2) noexcept {
  switch (m) {
    case PersonaMode::dot:
    case PersonaMode::cosine_w:
      return t;
    case PersonaMode::cosine:
      if (!(norm2 > 0.0f)) return t == kNegInf ? kNegInf : 0.0f;
      return clamp_unit(t / __builtin_sqrtf(norm2));
    case PersonaMode::euclid: {
      const float d = norm2 - t;
      return 1.0f / (1.0f + (d > 0.0f ? d : 0.0f));
    }
    case PersonaMode::euclid_w: {
      const float d = -t;
      return 1.0f / (1.0f + (d > 0.0f ? d : 0.0f));
    }
  }
  return t;
}

// d > 0 ? d : 0, lane-wise (0 for NaN), as similarity_of and emit compute it.
inline Vec positive_part(Vec d) noexcept { return select_gt(d, Vec::zero(), d, Vec::zero()); }

// similarity_of for the lanes of t, the leads' squared norms in n2, in the
// unweighted modes (the lanes path's): the same operations, so the same bits
// (sqrt and division are correctly rounded either way). Only for finite n2,
// and n2 > 0 for cosine: the caller sends other leads to similarity_of.
inline Vec similarity_lanes(PersonaMode m, Vec t, Vec n2) noexcept {
  switch (m) {
    case PersonaMode::cosine:
      return Vec::min(Vec::set1(1.0f), Vec::max(Vec::set1(-1.0f), Vec::div(t, Vec::sqrt(n2))));
    case PersonaMode::euclid:
      return Vec::div(Vec::set1(1.0f), Vec::add(Vec::set1(1.0f), positive_part(Vec::sub(n2, t))));
    default:
      return t;
  }
}

// Blocks of rows and personas per pass in the lanes path: NB x PG
// accumulators that fit the register file beside the NB columns being read
// and the broadcast weight. AVX-512 takes three blocks (48 leads) x 4
// personas when there are 96 personas or more: each weight loaded feeds three
// FMAs and each column four, against one and sixteen for one block x 16
// personas. In a standalone loop of these FMAs and top-k updates, three x 4
// ran at 88-97% of the FMA peak where one x 16 ran at 76-94%; in place,
// K = 256 went from 0.78 to 0.88 of the peak (top-1) and 0.69 to 0.77 (top-3)
// (same-run A/B, docs/ARCHITECTURE.md). Below 96 personas (K = 32: 0.8x) a
// pass of 4 personas has too little FMA work for a block's fixed cost; there
// AVX-512 takes two blocks x 8 personas (K = 16..64: 1.04-1.09x one block x
// 16, leadkit_ab); AVX2 keeps its two x 4 at every K. The blocks left over
// go one at a time, 16 (AVX2: 8) personas per pass.
#if defined(__AVX512F__)
constexpr std::size_t kLaneBlocks = 3, kLaneGroupPersonas = 4, kLaneGroupMinK = 96;
constexpr std::size_t kSmallKBlocks = 2, kSmallKPersonas = 8;
constexpr std::size_t kLanePersonas = 16;  // one block: 16 accumulators of 32 registers
#elif defined(__AVX2__) && defined(__FMA__)
// Two blocks (16 leads) x 4 personas at every K: 1.08x one block x 8 at
// K = 256 (top-1 and top-3, LEADKIT_ISA=avx2, same-run A/B), 1.10-1.11x at
// K = 32 (leadkit_ab); three x 4 leaves no register for the top lists and
// ran 0.54-0.58x.
constexpr std::size_t kLaneBlocks = 2, kLaneGroupPersonas = 4, kLaneGroupMinK = 0;
constexpr std::size_t kSmallKBlocks = 1, kSmallKPersonas = 4;
constexpr std::size_t kLanePersonas = 8;  // 8 accumulators of 16 registers
#else
constexpr std::size_t kLaneBlocks = 1, kLaneGroupPersonas = 8, kLaneGroupMinK = 0;
constexpr std::size_t kSmallKBlocks = 1, kSmallKPersonas = 8;
constexpr std::size_t kLanePersonas = 8;  // 8 accumulators of 16 registers
#endif
static_assert(kSmallKBlocks <= kLaneBlocks, "the transposed blocks T hold a group of either shape");

// A block's running top lists in the lanes path: top-1 keeps the best, the
// runner-up and the best's persona; top-2..4 keep sorted lists (insert_lanes).
struct LaneTop {
  Vec tv[kLaneTopK], ti[kLaneTopK], b, sec, id;
};

#if defined(__AVX512F__)
// A block's top-k lists (k = 2..4, one vector per entry, lane = lead) written
// lead-major, k entries per lead, as k vector stores: element p of output
// vector m is entry (16m + p) % k of lead (16m + p) / k: k permutes and one
// store per output vector, where the scalar interleave took 16k loads and
// 16k stores per output.
struct Interleave {
  __m512i lead[kLaneTopK];                 // per output vector: the lead of each element
  __mmask16 entry[kLaneTopK][kLaneTopK];   // [m][e]: the elements that take entry e
};

inline Interleave interleave_for(std::size_t k) noexcept {
  Interleave t{};
  for (std::size_t m = 0; m < k; ++m) {
    alignas(64) std::int32_t lead[kPersonaBlock];
    for (std::size_t e = 0; e < k; ++e) t.entry[m][e] = 0;
    for (std::size_t p = 0; p < kPersonaBlock; ++p) {
      const std::size_t g = kPersonaBlock * m + p;
      lead[p] = static_cast<std::int32_t>(g / k);
      t.entry[m][g % k] = static_cast<__mmask16>(t.entry[m][g % k] | (1u << p));
    }
    t.lead[m] = _mm512_load_si512(lead);
  }
  return t;
}

inline void store_interleaved(const Interleave& t, std::size_t k, const __m512i* entries, void* out) noexcept {
  auto* o = static_cast<std::int32_t*>(out);
  for (std::size_t m = 0; m < k; ++m) {
    __m512i v = _mm512_permutexvar_epi32(t.lead[m], entries[0]);
    for (std::size_t e = 1; e < k; ++e) v = _mm512_mask_permutexvar_epi32(v, t.entry[m][e], t.lead[m], entries[e]);
    _mm512_storeu_si512(static_cast<void*>(o + kPersonaBlock * m), v);
  }
}
#endif

// Compile-time block and persona counts for persona_rows's pass loop (a tag,
// not a std template: see simd.hpp).
template <std::size_t NB, std::size_t PG, std::size_t KK>
struct LaneShape {
  static constexpr std::size_t blocks = NB, personas = PG, list = KK;
};

// The list length alone (1: top-1), for choosing the group instances.
template <std::size_t KK>
struct LaneList {
  static constexpr std::size_t list = KK;
};

}  // namespace persona_detail

// Matches rows [begin, end) of X (row stride `stride` floats) against the
// panel; see PersonaOut. Returns the first row holding a NaN or infinite
// feature, or `end`.
inline std::size_t persona_rows(const float* X, std::size_t stride, std::size_t begin,
                                std::size_t end, const PersonaPanel& P,
                                const PersonaOut& o) noexcept {
  using namespace persona_detail;
  constexpr std::size_t R = kTileRows, W = Vec::width, LD = kTileVecs * W;
  const std::size_t D = P.D, K = P.K;
  const bool weighted = P.mode == PersonaMode::cosine_w || P.mode == PersonaMode::euclid_w;
  const bool euclid = P.mode == PersonaMode::euclid || P.mode == PersonaMode::euclid_w;
  // At least two entries are kept (when K allows) if the margin is asked for.
  const std::size_t kk = o.k >= 2 || o.margin == nullptr ? o.k : (K >= 2 ? 2 : 1);
  std::size_t first_bad = end;

  // A row's outputs from its top list (topv / topi, kk entries, best first).
  auto emit = [&](std::size_t i, const float* tv, const std::int32_t* ti, float n2) {
    if (!__builtin_isfinite(n2) && first_bad == end) first_bad = i;
    const float best = similarity_of(P.mode, tv[0], n2);
    const float second = kk >= 2 && K >= 2 ? similarity_of(P.mode, tv[1], n2) : 0.0f;
    if (o.best != nullptr) o.best[i] = best >= o.min_similarity ? ti[0] : -1;
    if (o.similarity != nullptr) o.similarity[i] = best;
    if (o.margin != nullptr) o.margin[i] = best - second;
    if (o.topk_index != nullptr)
      for (std::size_t e = 0; e < o.k; ++e) o.topk_index[i * o.k + e] = ti[e];
    if (o.topk_score != nullptr)
      for (std::size_t e = 0; e < o.k; ++e) o.topk_score[i * o.k + e] = similarity_of(P.mode, tv[e], n2);
    if (o.sq_distance != nullptr && euclid) {
      const float d = P.mode == PersonaMode::euclid ? n2 - tv[0] : -tv[0];
      o.sq_distance[i] = d > 0.0f ? d : 0.0f;
    }
  };

  // Rows as lanes: a block of W rows transposed, then each persona's score
  // for all W rows is one vector (acc = bias, then one FMA per feature in
  // feature order: the very operations of the tile path below, so the same
  // bits), and the running top-k lists are lane-wise too: no per-row
  // horizontal work until a block's rows are written out. Taken for the
  // unweighted modes and short top lists, when there are enough rows to
  // fill the lanes (a lead or two go through the tile path: the same result).
  if (!weighted && o.all == nullptr && kk <= kLaneTopK && D <= kLanesMaxD && end - begin >= W / 2) {
    alignas(64) float T[kLaneBlocks][W * kLanesMaxD];
    const std::size_t ahead = rows_ahead(stride * sizeof(float));
    const bool top1 = o.k == 1;
#if defined(__AVX512F__)
    const Interleave inter = top1 ? Interleave{} : interleave_for(o.k);
#endif
    // The outputs of block i0 (rows of its W) from its top lists.
    auto finish_block = [&](std::size_t i0, std::size_t rows, Vec n2, const LaneTop& lt) {
      const Vec b = lt.b, sec = lt.sec, id = lt.id;
      const Vec* tv = lt.tv;
      const Vec* ti = lt.ti;
      // A full block's results straight from the lanes: emit's arithmetic as
      // vector operations, contiguous stores (a top list's entries are
      // interleaved through a small buffer). A block with a lead of
      // non-finite or (for cosine) zero norm goes the scalar way.
      if (rows == W && Vec::not_finite_mask(n2) == 0 &&
          !(P.mode == PersonaMode::cosine && Vec::eq_mask(Vec::step(Vec::zero(), n2), 1.0f) != 0)) {  // a norm <= 0
        const Vec top = top1 ? b : tv[0], top_id = top1 ? id : ti[0];
        const Vec best = similarity_lanes(P.mode, top, n2);
        const Vec second = kk >= 2 && K >= 2 ? similarity_lanes(P.mode, top1 ? sec : tv[1], n2) : Vec::zero();
        const std::size_t i = i0;
        if (o.best != nullptr) {
          // id where best >= min_similarity, else -1: whole numbers, exact in float.
          const Vec matched = Vec::step(best, Vec::set1(o.min_similarity));
          Vec::store_int(o.best + i, Vec::sub(Vec::mul(matched, Vec::add(top_id, Vec::set1(1.0f))), Vec::set1(1.0f)));
        }
        if (o.similarity != nullptr) Vec::store(o.similarity + i, best);
        if (o.margin != nullptr) Vec::store(o.margin + i, Vec::sub(best, second));
        if (top1) {
          if (o.topk_index != nullptr) Vec::store_int(o.topk_index + i, id);
          if (o.topk_score != nullptr) Vec::store(o.topk_score + i, best);
        } else {
          const std::size_t k = o.k;
#if defined(__AVX512F__)
          if (o.topk_index != nullptr) {
            __m512i e_index[kLaneTopK];
            for (std::size_t e = 0; e < k; ++e) e_index[e] = _mm512_cvttps_epi32(ti[e].v);
            store_interleaved(inter, k, e_index, o.topk_index + i * k);
          }
          if (o.topk_score != nullptr) {
            __m512i e_score[kLaneTopK];
            e_score[0] = _mm512_castps_si512(best.v);
            for (std::size_t e = 1; e < k; ++e) e_score[e] = _mm512_castps_si512(similarity_lanes(P.mode, tv[e], n2).v);
            store_interleaved(inter, k, e_score, o.topk_score + i * k);
          }
#else
          if (o.topk_index != nullptr) {
            alignas(64) std::int32_t e_index[kLaneTopK][W];
            for (std::size_t e = 0; e < k; ++e) Vec::store_int(e_index[e], ti[e]);
            for (std::size_t l = 0; l < W; ++l)
              for (std::size_t e = 0; e < k; ++e) o.topk_index[(i + l) * k + e] = e_index[e][l];
          }
          if (o.topk_score != nullptr) {
            alignas(64) float e_score[kLaneTopK][W];
            Vec::store(e_score[0], best);
            for (std::size_t e = 1; e < k; ++e) Vec::store(e_score[e], similarity_lanes(P.mode, tv[e], n2));
            for (std::size_t l = 0; l < W; ++l)
              for (std::size_t e = 0; e < k; ++e) o.topk_score[(i + l) * k + e] = e_score[e][l];
          }
#endif
        }
        if (o.sq_distance != nullptr && P.mode == PersonaMode::euclid)
          Vec::store(o.sq_distance + i, positive_part(Vec::sub(n2, top)));
        return;
      }
      alignas(64) float n2s[W], lv[kLaneTopK][W], li[kLaneTopK][W];
      Vec::store(n2s, n2);
      if (top1) {
        Vec::store(lv[0], b);
        Vec::store(li[0], id);
        Vec::store(lv[1], sec);
      } else {
        for (std::size_t e = 0; e < kk; ++e) {
          Vec::store(lv[e], tv[e]);
          Vec::store(li[e], ti[e]);
        }
      }
      for (std::size_t l = 0; l < rows; ++l) {
        float rv[kLaneTopK];
        std::int32_t ri[kLaneTopK];
        for (std::size_t e = 0; e < kk; ++e) {
          rv[e] = lv[e][l];
          ri[e] = top1 && e > 0 ? -1 : static_cast<std::int32_t>(li[e][l]);
        }
        emit(i0 + l, rv, ri, n2s[l]);
      }
    };
    // NB blocks from row i0 (the last one may be short when NB == 1), PG
    // personas per pass: for each (lead, persona) acc = bias, then one FMA
    // per feature in feature order (the tile path's operations, so the same
    // bits), and each lead's list takes its personas in persona order.
    auto group = [&](std::size_t i0, auto shape) {
      constexpr std::size_t NB = decltype(shape)::blocks, PG = decltype(shape)::personas;
      constexpr std::size_t KK = decltype(shape)::list;  // 1: top-1 (best, runner-up); else the list length
      Vec n2[NB];
      LaneTop lt[NB];
      std::size_t rows[NB];
      for (std::size_t l = 0; l < NB; ++l) {
        const std::size_t r0 = i0 + l * W;
        rows[l] = end - r0 < W ? end - r0 : W;
        transpose_rows(X + r0 * stride, stride, rows[l], 0, D, T[l]);
        // x . x per lane, with the bits of the tile path's dot(x, x, D).
        n2[l] = lanes_dot(T[l], D, [](std::size_t, Vec c) { return c; }, [](std::size_t, Vec c) { return c; });
        lt[l].b = lt[l].sec = Vec::set1(kNegInf);
        lt[l].id = Vec::set1(-1.0f);
        for (std::size_t e = 0; e < kLaneTopK; ++e) {
          lt[l].tv[e] = Vec::set1(kNegInf);
          lt[l].ti[e] = Vec::set1(-1.0f);
        }
      }
      // The rows as far ahead as ~6 KiB or a group, whichever is more, asked
      // for a few per pass: the requests for a whole group at once (up to
      // 192 lines) left the transpositions waiting on memory all the same
      // (docs/ARCHITECTURE.md has the figures).
      const std::size_t dist = ahead > NB * W ? ahead : NB * W;
      const std::size_t pf0 = i0 + dist < end ? i0 + dist : end;
      const std::size_t pf1 = end - pf0 < NB * W ? end : pf0 + NB * W;
      const std::size_t passes = (P.Kp + PG - 1) / PG;
      const std::size_t per_pass = (pf1 - pf0 + passes - 1) / passes;
      // One feature's FMAs for the pass: NB columns, PG broadcast weights.
      auto fma_step = [&](Vec (&acc)[NB][PG], const float* A, std::size_t j) __attribute__((always_inline)) {
        Vec c[NB];
#pragma GCC unroll 4
        for (std::size_t l = 0; l < NB; ++l) c[l] = Vec::load(T[l] + j * W);
        const float* a = A + j * kPersonaBlock;
#pragma GCC unroll 16
        for (std::size_t g = 0; g < PG; ++g) {
          const Vec w = Vec::set1(a[g]);
#pragma GCC unroll 4
          for (std::size_t l = 0; l < NB; ++l) acc[l][g] = Vec::fmadd(c[l], w, acc[l][g]);
        }
      };
      // Score xv of persona xi (whole numbers below 2^24, as PersonaSet caps
      // K: exact in float) into block l's list.
      auto insert = [&](std::size_t l, Vec xv, Vec xi) __attribute__((always_inline)) {
        LaneTop& lt_l = lt[l];
        if constexpr (KK == 1) {
          lt_l.sec = Vec::max(lt_l.sec, Vec::min(xv, lt_l.b));
          lt_l.id = select_gt(xv, lt_l.b, xi, lt_l.id);
          lt_l.b = Vec::max(lt_l.b, xv);
        } else {
          insert_lanes<KK>(lt_l.tv, lt_l.ti, xv, xi);
        }
      };
      // Top 2-4 lists of three blocks x 4 personas (AVX-512) or two x 4
      // (AVX2) go into the lists one pass late, while the next pass's FMAs
      // run (see below); top-1 and the groups of 8 or 16 personas update
      // their lists right after each pass. leadkit_ab, K = 256 top-3:
      // 1.055x on 1 thread, 1.074x on 2; top-1 1.01x, and K = 32 (two
      // blocks x 8) 0.91x when pipelined the same way.
      constexpr bool pipelined = KK > 1 && NB > 1 && PG <= 4;
      alignas(64) float prev[NB * PG][W];
      std::size_t q_prev = 0;
      bool have_prev = false;
      // Pair t of the previous pass: block t / PG, persona q_prev + t % PG.
      auto insert_prev = [&](std::size_t t) __attribute__((always_inline)) {
        insert(t / PG, Vec::load(prev[t]), Vec::set1(static_cast<float>(q_prev + t % PG)));
      };
      for (std::size_t q0 = 0, pf = pf0; q0 < P.Kp; q0 += PG) {
        if (pf < pf1) {
          const std::size_t n = pf1 - pf < per_pass ? pf1 - pf : per_pass;
          prefetch_rows(X + pf * stride, stride, n, D);
          pf += n;
        }
        // Personas q0 .. q0 + PG of panel block q0 / 16: A(q, j) at
        // block + j * 16 + q % 16, PG consecutive floats per feature.
        const float* A = P.A + (q0 / kPersonaBlock) * D * kPersonaBlock + q0 % kPersonaBlock;
        Vec acc[NB][PG];
#pragma GCC unroll 16
        for (std::size_t g = 0; g < PG; ++g) {
          const Vec bias = P.bias != nullptr ? Vec::set1(P.bias[q0 + g]) : Vec::zero();
#pragma GCC unroll 4
          for (std::size_t l = 0; l < NB; ++l) acc[l][g] = bias;
        }
        if constexpr (pipelined) {
          // The previous pass's scores go into the lists while this pass's
          // FMAs run: one (block, persona) pair after every D / (NB x PG)
          // features, so the out-of-order core overlaps the list updates
          // (compares, min / max, blends) with the FMAs instead of running
          // them between passes, when the FMA pipes would wait. Each
          // block's list still takes its personas in persona order.
          const std::size_t pending = have_prev ? NB * PG : 0;
          const std::size_t step = pending != 0 ? D / pending : 0;
          std::size_t j = 0;
          for (std::size_t t = 0; t < pending; ++t) {
            for (const std::size_t j1 = j + step; j < j1; ++j) fma_step(acc, A, j);
            insert_prev(t);
          }
          for (; j < D; ++j) fma_step(acc, A, j);
#pragma GCC unroll 16
          for (std::size_t g = 0; g < PG; ++g) {
#pragma GCC unroll 4
            for (std::size_t l = 0; l < NB; ++l) Vec::store(prev[l * PG + g], acc[l][g]);
          }
          q_prev = q0;
          have_prev = true;
        } else {
          for (std::size_t j = 0; j < D; ++j) fma_step(acc, A, j);
          // The accumulators stay in registers and the persona numbers are constants.
          const Vec qb = Vec::set1(static_cast<float>(q0));
#pragma GCC unroll 4
          for (std::size_t l = 0; l < NB; ++l) {
#pragma GCC unroll 16
            for (std::size_t g = 0; g < PG; ++g) insert(l, acc[l][g], Vec::add(qb, Vec::set1(static_cast<float>(g))));
          }
        }
      }
      if constexpr (pipelined)
        if (have_prev)
          for (std::size_t t = 0; t < NB * PG; ++t) insert_prev(t);
      for (std::size_t l = 0; l < NB; ++l) finish_block(i0 + l * W, rows[l], n2[l], lt[l]);
    };
    // Each list length its own instance of the group: the list updates
    // inlined into the pass loop with no branch on the length.
    auto groups = [&](auto list) {
      constexpr std::size_t KK = decltype(list)::list;
      std::size_t i0 = begin;
      if constexpr (kLaneBlocks > 1)
        for (; P.Kp >= kLaneGroupMinK && end - i0 >= kLaneBlocks * W; i0 += kLaneBlocks * W)
          group(i0, LaneShape<kLaneBlocks, kLaneGroupPersonas, KK>{});
      if constexpr (kSmallKBlocks > 1)
        for (; P.Kp < kLaneGroupMinK && end - i0 >= kSmallKBlocks * W; i0 += kSmallKBlocks * W)
          group(i0, LaneShape<kSmallKBlocks, kSmallKPersonas, KK>{});
      for (; i0 < end; i0 += W) group(i0, LaneShape<1, kLanePersonas, KK>{});
    };
    if (top1)
      groups(LaneList<1>{});
    else if (kk == 2)
      groups(LaneList<2>{});
    else if (kk == 3)
      groups(LaneList<3>{});
    else
      groups(LaneList<4>{});
    return first_bad;
  }
  alignas(64) float s[R * LD];
  alignas(64) float n[R * LD];
  float topv[R][kPersonaMaxTopK];
  std::int32_t topi[R][kPersonaMaxTopK];
  float norm2[R];
  // Top-1 (with or without the runner-up for the margin): lane-wise running
  // best, second and best index per row, no horizontal work until the end.
  const bool lanewise = o.k == 1;
  // Top-2..4: lane-wise sorted lists, merged once per lead.
  const bool lanes_k = !lanewise && kk <= kLaneTopK;
  Vec lane_v[R][kLaneTopK], lane_i[R][kLaneTopK];
  Vec best_v[R], second_v[R], index_v[R];
  const Vec lane_index = Vec::load(kLaneIndex);

  // Rows ~6 KiB ahead are prefetched a tile at a time: a tile is short
  // enough that waiting for its rows to arrive would cost a third of the time.
  const std::size_t ahead = rows_ahead(stride * sizeof(float));
  for (std::size_t i0 = begin; i0 < end; i0 += R) {
    const std::size_t rows = end - i0 < R ? end - i0 : R;
    for (std::size_t r = i0 + ahead; r < i0 + ahead + R && r < end; ++r) prefetch_span(X + r * stride, D * sizeof(float));
    const float* x[R];
    const float* xs[R];
    for (std::size_t r = 0; r < R; ++r) x[r] = X + (i0 + (r < rows ? r : rows - 1)) * stride;
    for (std::size_t r = 0; r < rows; ++r) {
      norm2[r] = dot(x[r], x[r], D);
      best_v[r] = second_v[r] = Vec::set1(kNegInf);
      index_v[r] = Vec::set1(-1.0f);
      for (std::size_t e = 0; e < kLaneTopK; ++e) {
        lane_v[r][e] = Vec::set1(kNegInf);
        lane_i[r][e] = Vec::set1(-1.0f);
      }
      for (std::size_t e = 0; e < kk; ++e) {
        topv[r][e] = kNegInf;
        topi[r][e] = -1;
      }
    }
    if (weighted) {
      for (std::size_t r = 0; r < R; ++r) {
        float* sq = o.scratch + r * D;
        if (r < rows) {
          for (std::size_t j = 0; j < D; ++j) sq[j] = x[r][j] * x[r][j];
        }
        xs[r] = o.scratch + (r < rows ? r : rows - 1) * D;
      }
    }
    for (std::size_t q0 = 0; q0 < P.Kp; q0 += LD) {
      const std::size_t nv = (P.Kp - q0) / W < kTileVecs ? (P.Kp - q0) / W : kTileVecs;
      tile_rows(rows, nv, x, P.A, D, q0, P.bias, s, LD);
      if (weighted) {
        tile_rows(rows, nv, xs, P.B, D, q0, nullptr, n, LD);
        for (std::size_t r = 0; r < rows; ++r) {
          for (std::size_t e = 0; e < nv * W; ++e) {
            const float t = s[r * LD + e], nn = n[r * LD + e];
            float rank;
            if (P.mode == PersonaMode::euclid_w)
              rank = t - nn;
            else if (t == kNegInf)
              rank = kNegInf;
            else
              rank = nn > 0.0f ? clamp_unit(t / __builtin_sqrtf(nn)) : 0.0f;
            s[r * LD + e] = rank;
          }
        }
      }
      if (o.all != nullptr) {
        const std::size_t m = K - q0 < nv * W ? K - q0 : nv * W;
        for (std::size_t r = 0; r < rows; ++r)
          for (std::size_t e = 0; e < m; ++e)
            o.all[(i0 + r) * K + q0 + e] = similarity_of(P.mode, s[r * LD + e], norm2[r]);
      }
      // Selection by repeated maximum: the group's largest score is compared
      // with the row's k-th best; only when it beats it is it located and
      // inserted (then knocked out). After the first group most rows stop at
      // one vector max; the first group costs about k+1 maxima, not K inserts.
      if (lanewise) {
        for (std::size_t r = 0; r < rows; ++r) {
          Vec b = best_v[r], sec = second_v[r], id = index_v[r];
          for (std::size_t v = 0; v < nv; ++v) {
            const Vec xv = Vec::load(s + r * LD + v * W);
            sec = Vec::max(sec, Vec::min(xv, b));
            id = select_gt(xv, b, Vec::add(lane_index, Vec::set1(static_cast<float>(q0 + v * W))),
                           id);
            b = Vec::max(b, xv);
          }
          best_v[r] = b;
          second_v[r] = sec;
          index_v[r] = id;
        }
        continue;
      }
      if (lanes_k) {
        const Vec first = Vec::add(lane_index, Vec::set1(static_cast<float>(q0)));
        for (std::size_t r = 0; r < rows; ++r) {
          const float* sr = s + r * LD;
          if (kk == 2)
            lanes_row<2>(lane_v[r], lane_i[r], sr, nv, first);
          else if (kk == 3)
            lanes_row<3>(lane_v[r], lane_i[r], sr, nv, first);
          else
            lanes_row<4>(lane_v[r], lane_i[r], sr, nv, first);
        }
        continue;
      }
      for (std::size_t r = 0; r < rows; ++r) {
        float* tv = topv[r];
        std::int32_t* ti = topi[r];
        // The group stays in registers: a taken lane is knocked out with a
        // min against a constant (a store into the buffer followed by a
        // vector reload of it would stall on store forwarding).
        Vec g[kTileVecs];
        for (std::size_t v = 0; v < nv; ++v) g[v] = Vec::load(s + r * LD + v * W);
        for (;;) {
          Vec m = g[0];
          for (std::size_t v = 1; v < nv; ++v) m = Vec::max(m, g[v]);
          const float mx = Vec::max_all(m);
          if (!(mx > tv[kk - 1])) break;
          std::size_t vv = nv, lane = 0;
          for (std::size_t v = 0; v < nv; ++v) {
            const unsigned mask = Vec::eq_mask(g[v], mx);
            if (mask != 0) {
              vv = v;
              lane = static_cast<std::size_t>(__builtin_ctz(mask));
              break;
            }
          }
          if (vv == nv) break;
          top_insert(tv, ti, kk, mx, static_cast<std::int32_t>(q0 + vv * W + lane));
          g[vv] = Vec::min(g[vv], Vec::load(kHole + (kPersonaBlock - 1 - lane)));
        }
      }
    }
    if (lanewise) {
      // Reduce each row's lanes: the best (ties to the lower persona), and the
      // runner-up: the best of the other lanes' bests and of every second.
      for (std::size_t r = 0; r < rows; ++r) {
        alignas(64) float il[W];
        Vec::store(il, index_v[r]);
        const float bmax = Vec::max_all(best_v[r]);
        unsigned mask = Vec::eq_mask(best_v[r], bmax);
        std::size_t arg = mask != 0 ? static_cast<std::size_t>(__builtin_ctz(mask)) : 0;
        for (mask &= mask - 1u; mask != 0;
             mask &= mask - 1u) {  // rare: equal bests in several lanes
          const std::size_t l = static_cast<std::size_t>(__builtin_ctz(mask));
          if (il[l] < il[arg]) arg = l;
        }
        const Vec others = Vec::min(best_v[r], Vec::load(kHole + (kPersonaBlock - 1 - arg)));
        topv[r][0] = bmax;
        topi[r][0] = static_cast<std::int32_t>(il[arg]);
        if (kk >= 2) {
          topv[r][1] = Vec::max_all(Vec::max(second_v[r], others));
          topi[r][1] = -1;
        }
      }
    }
    if (lanes_k) {
      // Merge the lanes' sorted lists: kk times the largest head (ties to the
      // lower persona), then that lane's next entry moves up.
      for (std::size_t r = 0; r < rows; ++r) {
        alignas(64) float lvs[kLaneTopK][W], lis[kLaneTopK][W];
        unsigned head[W];
        for (std::size_t e = 0; e < kk; ++e) {
          Vec::store(lvs[e], lane_v[r][e]);
          Vec::store(lis[e], lane_i[r][e]);
        }
        for (std::size_t l = 0; l < W; ++l) head[l] = 0;
        Vec h = lane_v[r][0];
        for (std::size_t e = 0; e < kk; ++e) {
          const float mx = Vec::max_all(h);
          unsigned mask = Vec::eq_mask(h, mx);
          std::size_t arg = mask != 0 ? static_cast<std::size_t>(__builtin_ctz(mask)) : 0;
          for (mask &= mask - 1u; mask != 0; mask &= mask - 1u) {
            const std::size_t l = static_cast<std::size_t>(__builtin_ctz(mask));
            if (lis[head[l]][l] < lis[head[arg]][arg]) arg = l;
          }
          topv[r][e] = mx;
          topi[r][e] = static_cast<std::int32_t>(lis[head[arg]][arg]);
          const unsigned nh = ++head[arg];
          const float next = nh < kk ? lvs[nh][arg] : kNegInf;
          h = Vec::max(Vec::min(h, Vec::load(kHole + (kPersonaBlock - 1 - arg))),
                       Vec::min(Vec::set1(next), Vec::load(kOnly + (kPersonaBlock - 1 - arg))));
        }
      }
    }
    for (std::size_t r = 0; r < rows; ++r) emit(i0 + r, topv[r], topi[r], norm2[r]);
  }
  return first_bad;
}

// k-means update: adds rows [begin, end) of X (d floats each) to the double
// sums of their cluster, sums[labels[i] * d ..], in row order (so the block's
// partial sums are the same for every ISA up to the order of nothing: each
// sum sees the same additions in the same order).
inline void persona_accumulate(const float* X, std::size_t stride, std::size_t begin,
                               std::size_t end, std::size_t d, const std::int32_t* labels,
                               double* sums) noexcept {
  for (std::size_t i = begin; i < end; ++i) {
    const float* x = X + i * stride;
    double* s = sums + static_cast<std::size_t>(labels[i]) * d;
    std::size_t j = 0;
#if defined(__AVX512F__)
    for (; j + 8 <= d; j += 8)
      _mm512_storeu_pd(
          s + j, _mm512_add_pd(_mm512_loadu_pd(s + j), _mm512_cvtps_pd(_mm256_loadu_ps(x + j))));
#elif defined(__AVX2__)
    for (; j + 4 <= d; j += 4)
      _mm256_storeu_pd(s + j,
                       _mm256_add_pd(_mm256_loadu_pd(s + j), _mm256_cvtps_pd(_mm_loadu_ps(x + j))));
#endif
    for (; j < d; ++j) s[j] += static_cast<double>(x[j]);
  }
}

}  // namespace leadkit::kernels::LEADKIT_ISA_NS
