#include "scoring/points_model.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "core/aligned.hpp"
#include "core/schema.hpp"
#include "core/thread_pool.hpp"
#include "core/topk.hpp"
#include "kernels/isa.hpp"
#include "kernels/prefetch.hpp"
#include "io/json_fields.hpp"

namespace leadkit::engine {

PointsModel::PointsModel(std::string name, std::vector<PointsRule> rules,
                         std::vector<PointsGroup> groups, std::size_t n_features, float limit,
                         bool floor_at_zero)
    : name_(std::move(name)),
      rules_(std::move(rules)),
      groups_(std::move(groups)),
      n_features_(n_features),
      limit_(limit),
      floor_(floor_at_zero) {
  if (n_features_ == 0) fail(LK_ERR_INVALID_ARGUMENT, "n_features: must be at least 1");
  if (rules_.empty()) fail(LK_ERR_INVALID_ARGUMENT, "rules: a points model needs at least one rule");
  if (std::isnan(limit_) || limit_ < 0.0f)
    fail(LK_ERR_INVALID_ARGUMENT, "limit: must be >= 0 (or infinite for no limit), got ", limit_);
  if (groups_.size() > kMaxGroups)
    fail(LK_ERR_INVALID_ARGUMENT, "groups: at most ", kMaxGroups, " groups, got ", groups_.size());
  std::set<std::string> group_names;
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    const PointsGroup& grp = groups_[g];
    if (grp.name.empty()) fail(LK_ERR_INVALID_ARGUMENT, "groups[", g, "].name: is empty");
    if (!group_names.insert(grp.name).second)
      fail(LK_ERR_INVALID_ARGUMENT, "groups[", g, "]: duplicate group name '", grp.name, "'");
    // A cap at or above 0 and a minimum at or below 0 keep "no points" at 0
    // points, which is what lets reasons scale contributions to the capped sum.
    if (std::isnan(grp.max) || grp.max < 0.0f)
      fail(LK_ERR_INVALID_ARGUMENT, "groups[", g, "].max: must be >= 0, got ", grp.max);
    if (std::isnan(grp.min) || grp.min > 0.0f)
      fail(LK_ERR_INVALID_ARGUMENT, "groups[", g, "].min: must be <= 0, got ", grp.min);
  }
  std::set<std::string> rule_names;
  for (std::size_t r = 0; r < rules_.size(); ++r) {
    const PointsRule& rule = rules_[r];
    if (rule.feature >= n_features_)
      fail(LK_ERR_DIMENSION_MISMATCH, "rules[", r, "].feature: column ", rule.feature,
           " is out of range for ", n_features_, " features");
    if (!std::isfinite(rule.points))
      fail(LK_ERR_NOT_FINITE, "rules[", r, "].points: must be finite");
    if (rule.group < -1 || rule.group >= static_cast<int>(groups_.size()))
      fail(LK_ERR_INVALID_ARGUMENT, "rules[", r, "].group: ", rule.group, " is not a group index");
    if (rule.name.empty()) fail(LK_ERR_INVALID_ARGUMENT, "rules[", r, "].name: is empty");
    if (!rule_names.insert(rule.name).second)
      fail(LK_ERR_INVALID_ARGUMENT, "rules[", r, "]: duplicate rule name '", rule.name, "'");
  }
  dense_.assign((groups_.size() + 1) * n_features_, 0.0f);
  feature_rule_.assign(n_features_, -1);
  for (std::size_t r = 0; r < rules_.size(); ++r) {
    const PointsRule& rule = rules_[r];
    const std::size_t row = rule.group >= 0 ? static_cast<std::size_t>(rule.group) : groups_.size();
    dense_[row * n_features_ + rule.feature] += rule.points;
    if (feature_rule_[rule.feature] >= 0) shared_features_ = true;
    feature_rule_[rule.feature] = static_cast<std::int32_t>(r);
  }
  term_end_.assign(1, 0);
  for (std::size_t g = 0; g <= groups_.size(); ++g) {
    for (const PointsRule& rule : rules_) {
      const std::size_t row = rule.group >= 0 ? static_cast<std::size_t>(rule.group) : groups_.size();
      if (row == g) {
        term_feature_.push_back(static_cast<std::uint32_t>(rule.feature));
        term_points_.push_back(rule.points);
      }
    }
    term_end_.push_back(static_cast<std::uint32_t>(term_feature_.size()));
  }
  first_feature_ = *std::min_element(term_feature_.begin(), term_feature_.end());
  last_feature_ = *std::max_element(term_feature_.begin(), term_feature_.end());
  for (const PointsGroup& grp : groups_) {
    group_lo_.push_back(grp.min);
    group_hi_.push_back(grp.max);
  }
  points_.assign(n_features_, 0.0f);
  for (const PointsRule& rule : rules_) points_[rule.feature] += rule.points;
}

float PointsModel::score_row(const float* x, std::vector<Contribution>* contributions) const {
  // Group sums on the stack: scoring a lead never allocates.
  float group_sums[kMaxGroups + 1];
  sums(x, group_sums);
  return finish(x, group_sums, contributions);
}

float PointsModel::finish_sums(const float* sums) const noexcept {
  const std::size_t G = groups_.size();
  float total = sums[G];
  for (std::size_t g = 0; g < G; ++g) total += std::min(std::max(sums[g], groups_[g].min), groups_[g].max);
  const float limited = std::min(total, limit_);
  return floor_ ? std::max(limited, 0.0f) : limited;
}

float PointsModel::scales(const float* sums, float* scale, bool* all_one) const noexcept {
  // Each group's contributions scale to its capped sum, then everything to
  // the limited/floored total, so that a lead's contributions add up to its
  // score (up to float rounding). A group within its caps keeps its points
  // as they are, even when they cancel out to 0.
  const std::size_t G = groups_.size();
  float total = sums[G];
  for (std::size_t g = 0; g < G; ++g) total += std::min(std::max(sums[g], groups_[g].min), groups_[g].max);
  const float limited = std::min(total, limit_);
  const float final_score = floor_ ? std::max(limited, 0.0f) : limited;
  // Divisions only where a cap or the limit bit (most leads need none).
  const float overall = final_score == total ? 1.0f : total != 0.0f ? final_score / total : 0.0f;
  bool one = overall == 1.0f;
  for (std::size_t g = 0; g < G; ++g) {
    const float capped = std::min(std::max(sums[g], groups_[g].min), groups_[g].max);
    if (capped == sums[g]) {
      scale[g] = overall;
    } else {
      scale[g] = (capped / sums[g]) * overall;
      one = false;
    }
  }
  scale[G] = overall;
  if (all_one != nullptr) *all_one = one;
  return final_score;
}

float PointsModel::finish(const float* x, const float* sums,
                          std::vector<Contribution>* contributions) const {
  if (contributions == nullptr) return finish_sums(sums);
  float scale[kMaxGroups + 1];
  const float final_score = scales(sums, scale, nullptr);
  contributions->clear();
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    const PointsRule& r = rules_[i];
    const float value = x[r.feature];
    if (r.points * value == 0.0f) continue;
    // A contribution scaled to nothing (its group or the whole score was
    // capped or floored away) explains nothing: leave it out. The product is
    // value * (points * scale), as the vectorised reasons compute it.
    const float scaled = value * (r.points * scale[r.group >= 0 ? static_cast<std::size_t>(r.group) : groups_.size()]);
    if (scaled != 0.0f) contributions->push_back({i, value, scaled});
  }
  return final_score;
}

float PointsModel::explain(const float* x, const float* sums, std::size_t k, float* weights,
                           float* scratch, std::int32_t* out_rules, float* out_points) const noexcept {
  float scale[kMaxGroups + 1];
  bool all_one = false;
  const float score = scales(sums, scale, &all_one);
  if (shared_features_) {
    // Several rules on one feature: explain rule by rule.
    TopK top{out_rules, out_points, k};
    for (std::size_t r = 0; r < rules_.size(); ++r) {
      const PointsRule& rule = rules_[r];
      const float value = x[rule.feature];
      if (rule.points * value == 0.0f) continue;
      const std::size_t g = rule.group >= 0 ? static_cast<std::size_t>(rule.group) : groups_.size();
      const float scaled = value * (rule.points * scale[g]);
      if (scaled != 0.0f) top.offer(static_cast<std::int32_t>(r), scaled);
    }
    top.finish();
    return score;
  }
  // One rule per feature (the usual case): the contribution of feature j is
  // x_j * (points_j * scale of its group), so the lead's weights are the dense
  // rows combined with the group scales, and its reasons are the top-k of
  // x * weights: all SIMD, with the row in L1 throughout. With nothing
  // capped, limited or floored the weights are the points as they are.
  const auto& kernel = kernels::active();
  const float* w = points_.data();
  if (!all_one) {
    kernel.combine_rows(dense_.data(), scale, groups_.size() + 1, n_features_, weights);
    w = weights;
  }
  kernel.top_contributions(x, w, n_features_, k, scratch, out_rules, out_points);
  for (std::size_t j = 0; j < k; ++j)
    if (out_rules[j] >= 0) out_rules[j] = feature_rule_[static_cast<std::size_t>(out_rules[j])];
  return score;
}

std::size_t PointsModel::lanes_scratch_size() const noexcept {
  const std::size_t L = kernels::active().lanes;
  const std::size_t span = std::size_t{last_feature_} + 1 - first_feature_;
  return L * ((span + L - 1) / L * L) + L * n_sums() + L;
}

std::size_t PointsModel::score_rows(const float* X, std::size_t stride, std::size_t rows, float* sums,
                                   std::size_t ld, float* out, float* scratch) const noexcept {
  const auto& kernel = kernels::active();
  const std::size_t L = kernel.lanes;
  // A lead or two: the scalar code (the same bits) beats a transposition.
  if (rows < L / 2) {
    score_rows_scalar(X, stride, rows, sums, ld, out);
    return first_not_finite(out, rows);
  }
  // Blocks of L rows as lanes: the columns the rules read transposed, then
  // every group sum as vectors. A short last block is padded with zero rows.
  const kernels::PointsProgram p = program();
  const std::size_t c0 = p.first_feature, c1 = std::size_t{p.last_feature} + 1;
  float* T = scratch;
  float* block_sums = T + L * ((c1 - c0 + L - 1) / L * L);
  float* block_score = block_sums + L * n_sums();
  // The read columns of rows ~6 KiB ahead, prefetched block by block (as
  // the Scorecard does).
  const std::size_t ahead = std::max(L, kernels::rows_ahead(stride * sizeof(float)));
  for (std::size_t i = 0; i < rows; i += L) {
    const std::size_t m = std::min(L, rows - i);
    for (std::size_t r = i + ahead; r < std::min(rows, i + ahead + L); ++r)
      kernels::prefetch_span(X + r * stride + c0, (c1 - c0) * sizeof(float));
    kernel.transpose_rows(X + i * stride, stride, m, c0, c1, T);
    kernel.points_lanes(T, c0, p, sums ? block_sums : nullptr, L, block_score);
    for (std::size_t l = 0; l < m; ++l) out[i + l] = block_score[l];
    if (sums != nullptr)
      for (std::size_t g = 0; g < n_sums(); ++g)
        for (std::size_t l = 0; l < m; ++l) sums[g * ld + i + l] = block_sums[g * L + l];
  }
  return first_not_finite(out, rows);
}

void PointsModel::score_rows_scalar(const float* X, std::size_t stride, std::size_t rows, float* sums,
                                    std::size_t ld, float* out) const noexcept {
  float s[kMaxGroups + 1];
  for (std::size_t i = 0; i < rows; ++i) {
    this->sums(X + i * stride, s);
    if (sums != nullptr)
      for (std::size_t g = 0; g < n_sums(); ++g) sums[g * ld + i] = s[g];
    out[i] = finish_sums(s);
  }
}

void PointsModel::score(const FeatureView& X, const ExecOptions& exec, float* out) const {
  X.validate("X", n_features_);
  if (out == nullptr) fail(LK_ERR_NULL_POINTER, "out: output buffer is NULL");
  constexpr std::size_t kRowsPerTask = 8192;
  const std::size_t n_tasks = (X.rows + kRowsPerTask - 1) / kRowsPerTask;
  const unsigned threads = threads_for(exec.threads, X.rows * rules_.size(), 1U << 18, n_tasks);
  std::vector<std::size_t> first_bad(n_tasks, X.rows);
  ThreadPool::instance().run(n_tasks, threads, [&](std::size_t t) {
    const std::size_t r0 = t * kRowsPerTask, r1 = std::min(X.rows, r0 + kRowsPerTask);
    AlignedVector<float> scratch(lanes_scratch_size());  // the transposed block: whole vectors
    const std::size_t bad = score_rows(X.row(r0), X.row_stride, r1 - r0, nullptr, 0, out + r0, scratch.data());
    if (bad != r1 - r0) first_bad[t] = r0 + bad;
  });
  for (std::size_t bad : first_bad) {
    if (bad != X.rows) {
      std::fill(out, out + X.rows, std::numeric_limits<float>::quiet_NaN());
      fail(LK_ERR_NOT_FINITE, "X: row ", bad,
           " holds a NaN or infinite feature; encode missing values with the schema's policy "
           "before scoring");
    }
  }
}

void PointsModel::reasons(const FeatureView& X, std::size_t k, const ExecOptions& exec,
                          float* out_scores, std::int32_t* out_rules, float* out_points) const {
  X.validate("X", n_features_);
  if (k == 0) fail(LK_ERR_INVALID_ARGUMENT, "k: must be at least 1");
  if (out_scores == nullptr) fail(LK_ERR_NULL_POINTER, "out_scores: is NULL");
  if (out_rules == nullptr) fail(LK_ERR_NULL_POINTER, "out_rules: is NULL");
  if (out_points == nullptr) fail(LK_ERR_NULL_POINTER, "out_points: is NULL");
  constexpr std::size_t kRowsPerTask = 4096;
  const std::size_t n_tasks = (X.rows + kRowsPerTask - 1) / kRowsPerTask;
  const unsigned threads = threads_for(exec.threads, X.rows * rules_.size(), 1U << 17, n_tasks);
  std::vector<std::size_t> first_bad(n_tasks, X.rows);
  const std::size_t D = n_features_;
  ThreadPool::instance().run(n_tasks, threads, [&](std::size_t t) {
    const std::size_t r0 = t * kRowsPerTask, r1 = std::min(X.rows, r0 + kRowsPerTask);
    // Per task, not per lead: explain()'s buffers.
    AlignedVector<float> weights(D), scratch(scratch_size());  // the kernels' vectors
    float group_sums[kMaxGroups + 1];
    for (std::size_t i = r0; i < r1; ++i) {
      const float* x = X.row(i);
      sums(x, group_sums);
      const float s = explain(x, group_sums, k, weights.data(), scratch.data(), out_rules + i * k, out_points + i * k);
      if (!std::isfinite(s) && first_bad[t] == X.rows) first_bad[t] = i;
      out_scores[i] = s;
    }
  });
  for (std::size_t bad : first_bad) {
    if (bad != X.rows) {
      const float nan = std::numeric_limits<float>::quiet_NaN();
      std::fill(out_scores, out_scores + X.rows, nan);
      std::fill(out_points, out_points + X.rows * k, nan);
      std::fill(out_rules, out_rules + X.rows * k, -1);
      fail(LK_ERR_NOT_FINITE, "X: row ", bad, " holds a NaN or infinite feature");
    }
  }
}

PointsModel points_model_from_json(const Schema& schema, const std::string& text) {
  return points_model_from_json(schema, parse_json(text, "points model"), "points");
}

std::vector<PointsGroup> points_groups_from_json(Fields& f, std::map<std::string, int>& index) {
  std::vector<PointsGroup> groups;
  if (!f.has("groups")) return groups;
  const json& gs = f.at("groups");
  if (!gs.is_array()) fail(LK_ERR_INVALID_ARGUMENT, f.path("groups"), ": expected an array");
  for (std::size_t g = 0; g < gs.size(); ++g) {
    Fields gf(gs[g], f.path("groups") + "[" + std::to_string(g) + "]");
    PointsGroup grp;
    grp.name = gf.str("name");
    if (gf.has("max")) grp.max = static_cast<float>(gf.num("max"));
    if (gf.has("min")) grp.min = static_cast<float>(gf.num("min"));
    gf.reject_unknown();
    if (!index.emplace(grp.name, static_cast<int>(groups.size())).second)
      fail(LK_ERR_INVALID_ARGUMENT, gf.path("name"), ": duplicate group name '", grp.name, "'");
    groups.push_back(grp);
  }
  return groups;
}

PointsModel points_model_from_json(const Schema& schema, const json& node, const std::string& path) {
  Fields f(node, path);
  const std::string name = f.has("name") ? f.str("name") : "fit";

  std::map<std::string, int> group_index;
  std::vector<PointsGroup> groups = points_groups_from_json(f, group_index);

  const auto& names = schema.feature_names();
  std::map<std::string, std::size_t> feature_index;
  for (std::size_t j = 0; j < names.size(); ++j) feature_index.emplace(names[j], j);

  std::vector<PointsRule> rules;
  const json& rs = f.at("rules");
  if (!rs.is_array()) fail(LK_ERR_INVALID_ARGUMENT, f.path("rules"), ": expected an array");
  std::set<std::string> rule_names;
  for (std::size_t r = 0; r < rs.size(); ++r) {
    const std::string rpath = f.path("rules") + "[" + std::to_string(r) + "]";
    Fields rf(rs[r], rpath);
    PointsRule rule;
    const std::string feature = rf.str("feature");
    auto it = feature_index.find(feature);
    if (it == feature_index.end())
      fail(LK_ERR_INVALID_ARGUMENT, rf.path("feature"), ": '", feature,
           "' is not a feature of the schema (features look like 'industry=software', "
           "'employees in [50,1000)', 'interests:cloud')");
    rule.feature = it->second;
    rule.points = static_cast<float>(rf.num("points"));
    rule.name = rf.has("name") ? rf.str("name") : feature;
    if (rf.has("group")) {
      const std::string g = rf.str("group");
      auto gi = group_index.find(g);
      if (gi == group_index.end())
        fail(LK_ERR_INVALID_ARGUMENT, rf.path("group"), ": '", g, "' is not a declared group");
      rule.group = gi->second;
    }
    rf.reject_unknown();
    if (!rule_names.insert(rule.name).second)
      fail(LK_ERR_INVALID_ARGUMENT, rpath, ": duplicate rule name '", rule.name,
           "' (give one of them a \"name\")");
    rules.push_back(rule);
  }
  float limit = std::numeric_limits<float>::infinity();
  if (f.has("limit")) limit = static_cast<float>(f.num("limit"));
  const bool floor = f.has("floor") ? f.boolean("floor") : false;
  f.reject_unknown();
  return PointsModel(name, std::move(rules), std::move(groups), schema.n_features(), limit, floor);
}

json points_model_to_json(const PointsModel& model, const Schema& schema) {
  json root;
  root["name"] = model.name();
  if (!model.groups().empty()) {
    json groups = json::array();
    for (const PointsGroup& g : model.groups()) {
      json j;
      j["name"] = g.name;
      if (std::isfinite(g.max)) j["max"] = g.max;
      if (std::isfinite(g.min)) j["min"] = g.min;
      groups.push_back(std::move(j));
    }
    root["groups"] = std::move(groups);
  }
  json rules = json::array();
  for (const PointsRule& r : model.rules()) {
    json j;
    const std::string& feature = schema.feature_names().at(r.feature);
    j["feature"] = feature;
    j["points"] = r.points;
    if (r.name != feature) j["name"] = r.name;
    if (r.group >= 0) j["group"] = model.groups()[static_cast<std::size_t>(r.group)].name;
    rules.push_back(std::move(j));
  }
  root["rules"] = std::move(rules);
  if (std::isfinite(model.limit())) root["limit"] = model.limit();
  root["floor"] = model.floor_at_zero();
  return root;
}

}  // namespace leadkit::engine
