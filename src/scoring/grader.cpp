#include "scoring/grader.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "core/error.hpp"
#include "io/json_fields.hpp"

namespace leadkit::engine {

namespace {

void check_bands(const std::vector<Band>& bands, const char* what, bool required) {
  if (required && bands.empty()) fail(LK_ERR_INVALID_ARGUMENT, what, ": needs at least one band");
  std::set<std::string> labels;
  for (std::size_t i = 0; i < bands.size(); ++i) {
    if (bands[i].label.empty()) fail(LK_ERR_INVALID_ARGUMENT, what, "[", i, "].label: is empty");
    if (!labels.insert(bands[i].label).second)
      fail(LK_ERR_INVALID_ARGUMENT, what, "[", i, "].label: '", bands[i].label, "' appears twice");
    if (i > 0 && !std::isfinite(bands[i].min))
      fail(LK_ERR_NOT_FINITE, what, "[", i, "].min: must be finite");
    if (i > 1 && !(bands[i - 1].min < bands[i].min))
      fail(LK_ERR_INVALID_ARGUMENT, what, ": band minimums must increase ('", bands[i - 1].label,
           "' at ", bands[i - 1].min, ", then '", bands[i].label, "' at ", bands[i].min, ")");
  }
}

}  // namespace

Grader::Grader(std::vector<Band> stages, std::vector<Band> grades,
               std::vector<std::vector<std::int32_t>> matrix)
    : stages_(std::move(stages)), grades_(std::move(grades)), matrix_(std::move(matrix)) {
  check_bands(stages_, "stages", true);
  check_bands(grades_, "grades", false);
  stages_.front().min = -std::numeric_limits<float>::infinity();
  if (!grades_.empty()) grades_.front().min = -std::numeric_limits<float>::infinity();
  for (std::size_t b = 1; b < stages_.size(); ++b) stage_min_.push_back(stages_[b].min);
  for (std::size_t b = 1; b < grades_.size(); ++b) grade_min_.push_back(grades_[b].min);
  if (!matrix_.empty()) {
    if (matrix_.size() != grades_.size())
      fail(LK_ERR_DIMENSION_MISMATCH, "matrix: has ", matrix_.size(), " rows but there are ",
           grades_.size(), " grades");
    for (std::size_t g = 0; g < matrix_.size(); ++g) {
      if (matrix_[g].size() != stages_.size())
        fail(LK_ERR_DIMENSION_MISMATCH, "matrix[", g, "]: has ", matrix_[g].size(),
             " cells but there are ", stages_.size(), " stages");
      for (std::int32_t s : matrix_[g])
        if (s < -1 || s >= static_cast<std::int32_t>(stages_.size()))
          fail(LK_ERR_INVALID_ARGUMENT, "matrix[", g, "]: stage index ", s, " is out of range");
    }
    // Cell (g, s) -> the stage a lead of grade g in stage s ends in (s itself
    // where there is no override): one load per lead, no branch.
    for (const auto& row : matrix_)
      for (std::size_t st = 0; st < row.size(); ++st)
        flat_matrix_.push_back(row[st] >= 0 ? row[st] : static_cast<std::int32_t>(st));
  }
}

std::int32_t Grader::band_of(const std::vector<Band>& bands, float x) noexcept {
  // The last band whose min <= x (bands[0].min is -inf, and the mins
  // increase): the number of later bands whose min is <= x. Counting instead
  // of searching has no branch to mispredict on random scores.
  std::int32_t n = 0;
  for (std::size_t b = 1; b < bands.size(); ++b) n += x >= bands[b].min ? 1 : 0;
  return n;
}

void Grader::apply(const float* score, const float* fit, std::size_t n, std::int32_t* out_stage,
                   std::int32_t* out_grade) const {
  if (score == nullptr) fail(LK_ERR_NULL_POINTER, "score: is NULL");
  if (out_stage == nullptr) fail(LK_ERR_NULL_POINTER, "out_stage: is NULL");
  if (!grades_.empty() && fit == nullptr)
    fail(LK_ERR_NULL_POINTER, "fit: is NULL but the grader has grades (they come from the fit score)");
  if (n == 0) fail(LK_ERR_INVALID_ARGUMENT, "n: empty batch (0 leads)");
  // Validate first: a NaN anywhere leaves the outputs untouched.
  for (std::size_t i = 0; i < n; ++i) {
    if (std::isnan(score[i])) fail(LK_ERR_NOT_FINITE, "score[", i, "]: is NaN");
    if (fit && !grades_.empty() && std::isnan(fit[i])) fail(LK_ERR_NOT_FINITE, "fit[", i, "]: is NaN");
  }
  // Band by band over a run of leads (the same count as band_of): loops the
  // compiler vectorises, instead of a few compares per lead.
  auto bands = [](const std::vector<Band>& b, const float* x, std::size_t m, std::int32_t* out) {
    for (std::size_t i = 0; i < m; ++i) out[i] = 0;
    for (std::size_t k = 1; k < b.size(); ++k) {
      const float min = b[k].min;
      for (std::size_t i = 0; i < m; ++i) out[i] += x[i] >= min ? 1 : 0;
    }
  };
  const bool need_grade = !grades_.empty() && (out_grade != nullptr || (out_stage != nullptr && !matrix_.empty()));
  constexpr std::size_t kRun = 64;
  for (std::size_t c = 0; c < n; c += kRun) {
    const std::size_t m = std::min(kRun, n - c);
    std::int32_t grade[kRun];
    if (need_grade) bands(grades_, fit + c, m, grade);
    if (out_stage != nullptr) {
      std::int32_t* stage = out_stage + c;
      bands(stages_, score + c, m, stage);
      if (need_grade && !matrix_.empty()) {
        const std::size_t S = stages_.size();
        for (std::size_t i = 0; i < m; ++i)
          stage[i] = flat_matrix_[static_cast<std::size_t>(grade[i]) * S + static_cast<std::size_t>(stage[i])];
      }
    }
    if (out_grade != nullptr)
      for (std::size_t i = 0; i < m; ++i) out_grade[c + i] = need_grade ? grade[i] : -1;
  }
}

Grader grader_from_json(const std::string& text) {
  return grader_from_json(parse_json(text, "grader"), "grader");
}

Grader grader_from_json(const json& node, const std::string& path) {
  Fields f(node, path);
  auto bands = [&](const char* key, bool required) {
    std::vector<Band> out;
    if (!required && !f.has(key)) return out;
    const json& a = f.at(key);
    if (!a.is_array()) fail(LK_ERR_INVALID_ARGUMENT, f.path(key), ": expected an array of bands");
    for (std::size_t i = 0; i < a.size(); ++i) {
      Fields bf(a[i], f.path(key) + "[" + std::to_string(i) + "]");
      Band b{bf.str("label"), -std::numeric_limits<float>::infinity()};
      if (i > 0) b.min = static_cast<float>(bf.num("min"));
      else if (bf.has("min")) b.min = static_cast<float>(bf.num("min"));
      bf.reject_unknown();
      out.push_back(b);
    }
    return out;
  };
  std::vector<Band> stages = bands("stages", true);
  std::vector<Band> grades = bands("grades", false);
  std::vector<std::vector<std::int32_t>> matrix;
  if (f.has("matrix")) {
    if (grades.empty()) fail(LK_ERR_INVALID_ARGUMENT, f.path("matrix"), ": needs \"grades\"");
    const json& m = f.at("matrix");
    if (!m.is_object()) fail(LK_ERR_INVALID_ARGUMENT, f.path("matrix"), ": expected {grade: {stage: stage}}");
    matrix.assign(grades.size(), std::vector<std::int32_t>(stages.size(), -1));
    auto index_of = [](const std::vector<Band>& b, const std::string& label) -> std::int32_t {
      for (std::size_t i = 0; i < b.size(); ++i)
        if (b[i].label == label) return static_cast<std::int32_t>(i);
      return -1;
    };
    for (auto gi = m.begin(); gi != m.end(); ++gi) {
      const std::string gpath = f.path("matrix") + "." + gi.key();
      const std::int32_t g = index_of(grades, gi.key());
      if (g < 0) fail(LK_ERR_INVALID_ARGUMENT, gpath, ": '", gi.key(), "' is not a grade");
      if (!gi.value().is_object()) fail(LK_ERR_INVALID_ARGUMENT, gpath, ": expected {stage: stage}");
      for (auto si = gi.value().begin(); si != gi.value().end(); ++si) {
        const std::string spath = gpath + "." + si.key();
        const std::int32_t s = index_of(stages, si.key());
        if (s < 0) fail(LK_ERR_INVALID_ARGUMENT, spath, ": '", si.key(), "' is not a stage");
        if (!si.value().is_string()) fail(LK_ERR_INVALID_ARGUMENT, spath, ": expected a stage label");
        const std::int32_t to = index_of(stages, si.value().get<std::string>());
        if (to < 0)
          fail(LK_ERR_INVALID_ARGUMENT, spath, ": '", si.value().get<std::string>(), "' is not a stage");
        matrix[static_cast<std::size_t>(g)][static_cast<std::size_t>(s)] = to;
      }
    }
  }
  f.reject_unknown();
  return Grader(std::move(stages), std::move(grades), std::move(matrix));
}

json grader_to_json(const Grader& grader) {
  auto bands = [](const std::vector<Band>& bs) {
    json a = json::array();
    for (std::size_t i = 0; i < bs.size(); ++i) {
      json b;
      b["label"] = bs[i].label;
      if (i > 0) b["min"] = bs[i].min;
      a.push_back(std::move(b));
    }
    return a;
  };
  json root;
  root["stages"] = bands(grader.stages());
  if (!grader.grades().empty()) root["grades"] = bands(grader.grades());
  const auto& m = grader.matrix();
  if (!m.empty()) {
    json matrix = json::object();
    for (std::size_t g = 0; g < m.size(); ++g) {
      json row = json::object();
      for (std::size_t s = 0; s < m[g].size(); ++s)
        if (m[g][s] >= 0) row[grader.stages()[s].label] = grader.stages()[static_cast<std::size_t>(m[g][s])].label;
      if (!row.empty()) matrix[grader.grades()[g].label] = std::move(row);
    }
    root["matrix"] = std::move(matrix);
  }
  return root;
}

}  // namespace leadkit::engine
