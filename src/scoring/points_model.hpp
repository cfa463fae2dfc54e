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
#include <map>
#include <string>
#include <vector>

#include "core/exec.hpp"
#include "core/feature_view.hpp"
#include "kernels/points.hpp"
#include "io/json_fields.hpp"

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

  // How many group sums a lead has: one per group and one for the ungrouped rules.
  std::size_t n_sums() const noexcept { return groups_.size() + 1; }

  // The score from a lead's group sums (sums[groups] = ungrouped), with
  // contributions if asked for (x is then the lead's feature row).
  float finish(const float* x, const float* sums, std::vector<Contribution>* contributions) const;

  // Scores and explains one lead from its feature row x and group sums: the
  // k contributions of largest magnitude into out_rules / out_points (-1 / 0
  // pad), and returns the score. Buffers: `weights` holds n_features floats,
  // `scratch` scratch_size(). Never allocates.
  float explain(const float* x, const float* sums, std::size_t k, float* weights, float* scratch,
                std::int32_t* out_rules, float* out_points) const noexcept;
  std::size_t scratch_size() const noexcept { return (n_features_ + 15) / 16 * 16; }

  // x's group sums (sums[groups] = ungrouped) from the rules alone: each
  // group's rules in rule order, points * value added one by one. Rules
  // touch a few columns of a row, so reading just those beats a dense dot
  // product per group; a column no rule reads does not matter.
  // The points_rows kernel computes the same sums (the same bits) for many
  // rows at once.
  void sums(const float* x, float* out) const noexcept {
    std::size_t t = 0;
    for (std::size_t g = 0; g + 1 < term_end_.size(); ++g) {
      float s = 0.0f;
      for (; t < term_end_[g + 1]; ++t) s += term_points_[t] * x[term_feature_[t]];
      out[g] = s;
    }
  }

  // The model as the points_rows kernel reads it (points into this model).
  kernels::PointsProgram program() const noexcept {
    kernels::PointsProgram p;
    p.feature = term_feature_.data();
    p.points = term_points_.data();
    p.term_end = term_end_.data();
    p.n_sums = n_sums();
    p.lo = group_lo_.data();
    p.hi = group_hi_.data();
    p.first_feature = first_feature_;
    p.last_feature = last_feature_;
    p.limit = limit_;
    p.floor_at_zero = floor_;
    return p;
  }

  // Scores rows [0, rows) of X (row stride `stride`) into out, and their
  // group sums into sums[s * ld + i] when sums is not null: rows as lanes
  // through the dispatched kernels (or the scalar code for a lead or two),
  // the same bits either way. `scratch` holds lanes_scratch_size() floats.
  // Returns the first row whose score is not finite, or rows.
  std::size_t score_rows(const float* X, std::size_t stride, std::size_t rows, float* sums, std::size_t ld,
                         float* out, float* scratch) const noexcept;
  std::size_t lanes_scratch_size() const noexcept;
  // score_rows' scores and sums for a few rows, row by row (no scratch, and
  // no finiteness check: the caller makes it).
  void score_rows_scalar(const float* X, std::size_t stride, std::size_t rows, float* sums, std::size_t ld,
                         float* out) const noexcept;

  // The score from the group sums alone: caps, limit and floor.
  float finish_sums(const float* sums) const noexcept;

  // Per-group scale factors that turn raw contributions points * x into
  // contributions that add up to the score: scale[g] for group g,
  // scale[groups] for the ungrouped rules. Returns the score; *all_one (if
  // not null) tells whether every factor is exactly 1.
  float scales(const float* sums, float* scale, bool* all_one) const noexcept;

 private:
  std::string name_;
  // The rules grouped (group 0's, ..., the ungrouped) as terms: column and points.
  std::vector<std::uint32_t> term_feature_;
  std::vector<float> term_points_;
  std::vector<std::uint32_t> term_end_;   // group g's terms are [term_end_[g], term_end_[g + 1])
  std::vector<float> group_lo_, group_hi_;  // the groups' min and max, for the kernel
  std::uint32_t first_feature_ = 0, last_feature_ = 0;  // the columns the rules read
  std::vector<PointsRule> rules_;  // in the order given
  // The rules as a dense (groups + 1) x n_features matrix: row g holds group
  // g's points per feature, the last row the ungrouped ones. Reasons combine
  // its rows with a lead's group scale factors (the SIMD combine_rows kernel).
  std::vector<float> dense_;
  std::vector<float> points_;               // points per feature, all rules
  std::vector<std::int32_t> feature_rule_;  // the rule on each feature, -1 = none
  bool shared_features_ = false;            // some feature has several rules
  std::vector<PointsGroup> groups_;
  std::size_t n_features_;
  float limit_;
  bool floor_;
};

// The "groups" array of a points or engagement definition, if f has one:
// the groups in order ({"name", "max", "min"}), each name's index in
// `index`; a duplicate name is an error naming its JSON path.
std::vector<PointsGroup> points_groups_from_json(Fields& f, std::map<std::string, int>& index);

// Builds a points model from its JSON form, resolving feature names through
// the schema: {"name": "fit", "rules": [{"feature": "seniority=vp", "points": 15,
// "group": "Role"}, ...], "groups": [{"name": "Role", "max": 30}], "limit": 100,
// "floor": true}. Errors name the JSON path.
PointsModel points_model_from_json(const Schema& schema, const std::string& text);
// The same from a parsed node; errors start with `path` ("scorecard.fit[0]").
PointsModel points_model_from_json(const Schema& schema, const json& node, const std::string& path);

// The JSON form points_model_from_json() reads back to an equal model.
json points_model_to_json(const PointsModel& model, const Schema& schema);

}  // namespace leadkit::engine
