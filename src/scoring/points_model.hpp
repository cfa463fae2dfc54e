// Rule-based fit scoring, as marketing teams author it: points per feature
// (a categorical value, a numeric band, a tag, or points per unit of a numeric
// value), negative points allowed, rules grouped ("Role", "Company") with a
// cap per group, a limit on the total and an optional floor.
//
//   score = clamp_floor( min(limit, sum_g clamp(sum_{r in g} points_r * x_r, min_g, max_g)
//                                    + sum_{r ungrouped} points_r * x_r) )
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/exec.hpp"
#include "core/feature_view.hpp"

namespace leadkit::engine {

class Schema;

struct PointsGroup {
  std::string name;
  float max = std::numeric_limits<float>::infinity();
  float min = -std::numeric_limits<float>::infinity();
};

struct PointsRule {
  std::string name;         // shown in reasons; defaults to the feature name
  std::size_t feature = 0;  // column of the feature matrix
  float points = 0.0f;      // per unit of the feature (1 for one-hot columns)
  int group = -1;           // index into groups, or -1
};

// One contribution to a lead's score, for reasons.
struct Contribution {
  std::size_t rule;  // index into rules()
  float value;       // the lead's feature value
  float points;      // after group caps and the limit/floor, scaled so a lead's contributions sum to its score
};

class PointsModel {
 public:
  static constexpr std::size_t kMaxGroups = 64;

  PointsModel(std::string name, std::vector<PointsRule> rules, std::vector<PointsGroup> groups,
              std::size_t n_features, float limit, bool floor_at_zero);

  const std::string& name() const noexcept { return name_; }
  std::size_t n_features() const noexcept { return n_features_; }
  const std::vector<PointsRule>& rules() const noexcept { return rules_; }
  const std::vector<PointsGroup>& groups() const noexcept { return groups_; }
  float limit() const noexcept { return limit_; }
  bool floor_at_zero() const noexcept { return floor_; }

  // Scores every row of X into out[0 .. X.rows).
  void score(const FeatureView& X, const ExecOptions& exec, float* out) const;

  // Scores and explains every row: out_scores[i], and in out_rules[i*k ..
  // i*k+k) / out_points[i*k ..] the k contributions of largest magnitude
  // (positive or negative), largest first; -1 and 0 pad rows with fewer.
  void reasons(const FeatureView& X, std::size_t k, const ExecOptions& exec, float* out_scores,
               std::int32_t* out_rules, float* out_points) const;

  // The score of one row, and (if contributions != nullptr) every non-zero
  // contribution, scaled so they add up to the score.
  float score_row(const float* x, std::vector<Contribution>* contributions) const;

 private:
  // The score from a lead's group sums (sums[groups] = ungrouped), with
  // contributions if asked for.
  float finish(const float* x, const float* sums, std::vector<Contribution>* contributions) const;

  std::string name_;
  std::vector<PointsRule> rules_;  // in the order given
  // The rules as a dense (groups + 1) x n_features matrix: row g holds group
  // g's points per feature, the last row the ungrouped ones. Scoring is then
  // groups + 1 SIMD dot products per lead (the dispatched multi_dot kernel).
  std::vector<float> dense_;
  std::vector<PointsGroup> groups_;
  std::size_t n_features_;
  float limit_;
  bool floor_;
};

// Builds a points model from its JSON form, resolving feature names through
// the schema: {"name": "fit", "rules": [{"feature": "seniority=vp", "points": 15,
// "group": "Role"}, ...], "groups": [{"name": "Role", "max": 30}], "limit": 100,
// "floor": true}. Errors name the JSON path.
PointsModel points_model_from_json(const Schema& schema, const std::string& text);

}  // namespace leadkit::engine
