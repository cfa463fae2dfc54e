// Scorecard tile epilogue body (see scorecard.hpp), compiled once per ISA.
#pragma once

#include "kernels/linear_impl.hpp"
#include "kernels/scorecard.hpp"
#include "kernels/simd.hpp"

namespace leadkit::kernels::LEADKIT_ISA_NS {

// finish_tile for a lead alone: the same operations on scalars (each lane's
// float arithmetic is the scalar one), except the sigmoid, which is lane 0 of
// sigmoid_vec, so the same bits as the lead gets in a batch; no masks, no
// partial stores, no loops over lanes.
inline std::size_t finish_one(const TileFinish& f) noexcept {
  float z = 0.0f, p = 0.0f;
  bool bad = false;
  if (f.z != nullptr) {
    z = f.z[0] + f.intercept;
    p = Vec::lane0(sigmoid_vec(Vec::set1(z)));
    bad = !__builtin_isfinite(z);
  }
  for (std::size_t k = 0; k < f.n_fit; ++k) bad |= !__builtin_isfinite(f.fits[k * f.fits_ld]);
  const float primary = f.fits[f.primary * f.fits_ld];
  float total = f.fits[f.total[0] * f.fits_ld];
  for (std::size_t t = 1; t < f.n_total; ++t) total += f.fits[f.total[t] * f.fits_ld];
  if (f.engagement != nullptr) total += f.engagement[0];
  if (bad || !__builtin_isfinite(total)) return 0;

  if (f.probability != nullptr) f.probability[0] = p;
  if (f.fit != nullptr)
    for (std::size_t k = 0; k < f.n_fit; ++k) f.fit[k] = f.fits[k * f.fits_ld];
  if (f.total_out != nullptr) f.total_out[0] = total;
  if (f.grade != nullptr && !f.grades) f.grade[0] = -1;  // no grades: no grade
  std::int32_t grade = 0;
  if (f.grades) {
    for (std::size_t g = 0; g < f.n_grade_min; ++g) grade += primary >= f.grade_min[g] ? 1 : 0;
    if (f.grade != nullptr) f.grade[0] = grade;
  }
  if (f.stage != nullptr) {
    std::int32_t stage = 0;
    for (std::size_t s = 0; s < f.n_stage_min; ++s) stage += total >= f.stage_min[s] ? 1 : 0;
    f.stage[0] = f.matrix != nullptr && f.grades
                     ? f.matrix[static_cast<std::size_t>(grade) * f.n_stages + static_cast<std::size_t>(stage)]
                     : stage;
  }
  return 1;
}

// Finishes the rows of f block by block, all in vector registers; the same
// arithmetic as the scalar code it replaces (z + b then sigmoid_vec; the
// total as fits[total[0]] + fits[total[1]] + ... + engagement; a band is the
// count of band minimums <= the score). Returns the first row whose z +
// intercept, a fit score or the total is NaN or infinite (and stops there:
// the caller discards the outputs), or rows.
// A lead alone goes to finish_one.
inline std::size_t finish_tile(const TileFinish& f) noexcept {
  if (f.rows == 1) return finish_one(f);
  constexpr std::size_t W = Vec::width;
  const Vec b = Vec::set1(f.intercept);
  const bool want_grade = f.grades && (f.grade != nullptr || (f.stage != nullptr && f.matrix != nullptr));
  for (std::size_t i = 0; i < f.rows; i += W) {
    const std::size_t m = f.rows - i < W ? f.rows - i : W;
    auto load = [m, i](const float* p) { return m == W ? Vec::load(p + i) : Vec::load_partial(p + i, m); };
    auto store = [m, i](float* p, Vec v) {
      if (m == W)
        Vec::store(p + i, v);
      else
        Vec::store_partial(p + i, v, m);
    };
    auto store_int = [m, i](std::int32_t* p, Vec v) {
      if (m == W) {
        Vec::store_int(p + i, v);
      } else {
        alignas(64) std::int32_t tmp[W];
        Vec::store_int(tmp, v);
        for (std::size_t l = 0; l < m; ++l) p[i + l] = tmp[l];
      }
    };
    const unsigned lanes = m == W ? ~0u : (1u << m) - 1u;
    unsigned bad = 0;
    // The probability first: the sigmoid is the longest chain of dependent
    // operations here, which the core overlaps with the rest when it is
    // issued early.
    Vec z = Vec::zero(), p = Vec::zero();
    if (f.z != nullptr) {
      z = Vec::add(load(f.z), b);
      p = sigmoid_vec(z);
      bad |= Vec::not_finite_mask(z);
    }
    Vec primary = Vec::zero();
    for (std::size_t k = 0; k < f.n_fit; ++k) {
      const Vec v = load(f.fits + k * f.fits_ld);
      bad |= Vec::not_finite_mask(v);
      if (k == f.primary) primary = v;
    }
    Vec total = load(f.fits + f.total[0] * f.fits_ld);
    for (std::size_t t = 1; t < f.n_total; ++t) total = Vec::add(total, load(f.fits + f.total[t] * f.fits_ld));
    if (f.engagement != nullptr) total = Vec::add(total, load(f.engagement));
    bad |= Vec::not_finite_mask(total);
    bad &= lanes;
    if (bad != 0) return i + static_cast<std::size_t>(__builtin_ctz(bad));

    if (f.probability != nullptr) store(f.probability, p);
    if (f.fit != nullptr) {
      if (f.n_fit == 1) {
        store(f.fit, primary);
      } else {
        for (std::size_t l = 0; l < m; ++l)
          for (std::size_t k = 0; k < f.n_fit; ++k) f.fit[(i + l) * f.n_fit + k] = f.fits[k * f.fits_ld + i + l];
      }
    }
    if (f.total_out != nullptr) store(f.total_out, total);
    if (f.grade != nullptr && !f.grades)
      for (std::size_t l = 0; l < m; ++l) f.grade[i + l] = -1;  // no grades: no grade
    Vec grade = Vec::zero();
    if (want_grade) {
      for (std::size_t g = 0; g < f.n_grade_min; ++g) grade = Vec::add(grade, Vec::step(primary, Vec::set1(f.grade_min[g])));
      if (f.grade != nullptr) store_int(f.grade, grade);
    }
    if (f.stage != nullptr) {
      Vec stage = Vec::zero();
      for (std::size_t s = 0; s < f.n_stage_min; ++s) stage = Vec::add(stage, Vec::step(total, Vec::set1(f.stage_min[s])));
      if (f.matrix != nullptr && f.grades) {
        // The cell (grade, stage) of the flattened matrix: whole numbers, exact in float.
        const Vec cellv = Vec::add(Vec::mul(grade, Vec::set1(static_cast<float>(f.n_stages))), stage);
#if defined(__AVX512F__)
        // A matrix of up to 16 cells sits in one register: a lane-wise table
        // lookup (one permute) instead of 16 scalar loads and stores.
        const std::size_t n_cells = (f.n_grade_min + 1) * f.n_stages;
        if (n_cells <= W) {
          const __m512i cells = _mm512_maskz_loadu_epi32(static_cast<__mmask16>((1u << n_cells) - 1u), f.matrix);
          const __m512i v = _mm512_permutexvar_epi32(_mm512_cvttps_epi32(cellv.v), cells);
          if (m == W)
            _mm512_storeu_si512(static_cast<void*>(f.stage + i), v);
          else
            _mm512_mask_storeu_epi32(f.stage + i, static_cast<__mmask16>(lanes), v);
          continue;
        }
#endif
        alignas(64) std::int32_t cell[W];
        Vec::store_int(cell, cellv);
        for (std::size_t l = 0; l < m; ++l) f.stage[i + l] = f.matrix[cell[l]];
      } else {
        store_int(f.stage, stage);
      }
    }
  }
  return f.rows;
}

}  // namespace leadkit::kernels::LEADKIT_ISA_NS
