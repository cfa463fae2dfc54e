// Grades and lifecycle stages, as marketing teams define them:
//  - stages: bands of the total score, e.g. cold < 50 <= warm < 100 <= MQL;
//  - grades: bands of the fit score, e.g. D < 25 <= C < 50 <= B < 75 <= A;
//  - a Pardot-style matrix that overrides the stage for a grade x stage cell,
//    e.g. an A-grade "warm" lead is already an MQL.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "io/json_fields.hpp"
#include "kernels/scorecard.hpp"

namespace leadkit::engine {

struct Band {
  std::string label;
  float min;  // the band holds scores >= min, up to the next band's min
};

class Grader {
 public:
  // stages and grades are sorted by min; the first band of each starts at
  // -infinity whatever its min says (every score gets a label). matrix[g][s]
  // is a stage index or -1 (no override); empty = no matrix.
  Grader(std::vector<Band> stages, std::vector<Band> grades,
         std::vector<std::vector<std::int32_t>> matrix);

  const std::vector<Band>& stages() const noexcept { return stages_; }
  const std::vector<Band>& grades() const noexcept { return grades_; }
  const std::vector<std::vector<std::int32_t>>& matrix() const noexcept { return matrix_; }

  // The stage and grade of one lead (no validation: score and fit not NaN).
  std::int32_t stage_of(float score, float fit) const noexcept {
    std::int32_t s = band_of(stages_, score);
    if (!grades_.empty() && !matrix_.empty()) {
      const std::int32_t o = matrix_[static_cast<std::size_t>(band_of(grades_, fit))][static_cast<std::size_t>(s)];
      if (o >= 0) s = o;
    }
    return s;
  }
  std::int32_t grade_of(float fit) const noexcept { return grades_.empty() ? -1 : band_of(grades_, fit); }

  // For n leads: the stage of score[i] (after the matrix, when grades exist)
  // and the grade of fit[i]. fit may be null when there are no grades; then
  // out_grade (if not null) gets -1. NaN scores are an error naming the lead.
  void apply(const float* score, const float* fit, std::size_t n, std::int32_t* out_stage,
             std::int32_t* out_grade) const;
  // Points f's grader fields at this grader (the Scorecard's tile kernel).
  void describe(kernels::TileFinish& f) const noexcept {
    f.stage_min = stage_min_.data();
    f.n_stage_min = stage_min_.size();
    f.grade_min = grade_min_.data();
    f.n_grade_min = grade_min_.size();
    f.grades = !grades_.empty();
    f.matrix = flat_matrix_.empty() ? nullptr : flat_matrix_.data();
    f.n_stages = stages_.size();
  }

 private:
  static std::int32_t band_of(const std::vector<Band>& bands, float x) noexcept;

  std::vector<Band> stages_, grades_;
  std::vector<std::vector<std::int32_t>> matrix_;
  std::vector<std::int32_t> flat_matrix_;  // grades x stages: the stage after the matrix
  std::vector<float> stage_min_, grade_min_;  // where bands 1, 2, ... start
};

// {"stages": [{"label": "cold"}, {"label": "warm", "min": 50}, {"label": "MQL", "min": 100}],
//  "grades": [{"label": "D"}, {"label": "C", "min": 25}, {"label": "B", "min": 50}, {"label": "A", "min": 75}],
//  "matrix": {"A": {"warm": "MQL"}}}
Grader grader_from_json(const std::string& text);
// The same from a parsed node; errors start with `path` ("scorecard.grader").
Grader grader_from_json(const json& node, const std::string& path);

// The JSON form grader_from_json() reads back to an equal grader.
json grader_to_json(const Grader& grader);

}  // namespace leadkit::engine
