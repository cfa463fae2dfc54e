// Scorecard tile epilogue interface (ISA-independent): once a tile's logistic
// dot products and fit scores are known, one vector pass finishes every lead
// of it: the probability, the total, the grade and stage bands (and the
// grade x stage matrix), the finiteness checks and the stores. It replaces a
// dozen scalar passes over the tile and the grader's per-band loops.
#pragma once

#include <cstddef>
#include <cstdint>

namespace leadkit::kernels {

// Scorecard::score_tile keeps one per thread and assigns every field for
// each tile (no zero-fill per call): a field added here must be set there.
struct TileFinish {
  std::size_t rows = 0;
  // Inputs.
  const float* z = nullptr;  // the rows' logistic dot products (null: no logistic model)
  float intercept = 0.0f;
  const float* fits = nullptr;  // fit model m's score of row i at fits[m * fits_ld + i]
  std::size_t fits_ld = 0;
  std::size_t n_fit = 0;
  const std::size_t* total = nullptr;  // the fit models summed, in this order, into the total
  std::size_t n_total = 0;
  std::size_t primary = 0;              // the fit model grades come from
  const float* engagement = nullptr;    // added to the total last (null: none)
  const float* stage_min = nullptr;     // stage s + 1 starts at stage_min[s] (ascending)
  std::size_t n_stage_min = 0;
  const float* grade_min = nullptr;     // grade g + 1 starts at grade_min[g] (ascending)
  std::size_t n_grade_min = 0;
  bool grades = false;                  // whether the grader has grades
  const std::int32_t* matrix = nullptr;  // grades x stages: the final stage; null for none
  std::size_t n_stages = 0;
  // Outputs for rows [0, rows); null when not wanted.
  float* probability = nullptr;  // sigmoid(z + intercept)
  float* fit = nullptr;          // fit[i * n_fit + m]
  float* total_out = nullptr;
  std::int32_t* stage = nullptr;
  std::int32_t* grade = nullptr;
};

}  // namespace leadkit::kernels
