#include "scoring/points_model.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "core/schema.hpp"
#include "io/schema_json.hpp"
#include "engine_errors.hpp"

using namespace leadkit::engine;

using leadkit::test::message_of;
using leadkit::test::status_of;

namespace {

const Schema& schema() {
  static const Schema s = schema_from_json(R"({"attributes": [
    {"name": "seniority", "type": "categorical", "vocabulary": ["vp", "director", "student"]},
    {"name": "employees", "type": "numeric", "bands": [50, 1000]},
    {"name": "visits", "type": "numeric", "missing": "constant"}]})");
  return s;
}
// columns: seniority=vp director student <unknown> <missing> | employees <50 [50,1000) >=1000 | visits

const char* kModel = R"json({"name": "fit",
  "groups": [{"name": "Role", "max": 20}, {"name": "Company", "max": 25}],
  "rules": [
    {"feature": "seniority=vp", "points": 15, "group": "Role"},
    {"feature": "seniority=director", "points": 10, "group": "Role"},
    {"feature": "seniority=student", "points": -30},
    {"feature": "employees in [50,1000)", "points": 10, "group": "Company"},
    {"feature": "employees >= 1000", "points": 25, "group": "Company"},
    {"name": "engagement", "feature": "visits", "points": 2}],
  "limit": 50, "floor": true})json";

std::vector<float> row(int seniority, int band, float visits) {
  std::vector<float> x(9, 0.0f);
  x[static_cast<std::size_t>(seniority)] = 1.0f;
  x[5 + static_cast<std::size_t>(band)] = 1.0f;
  x[8] = visits;
  return x;
}

}  // namespace

TEST(PointsModel, AppliesPointsGroupCapsLimitAndFloor) {
  const PointsModel m = points_model_from_json(schema(), kModel);
  EXPECT_EQ(m.score_row(row(0, 2, 0).data(), nullptr), 15.0f + 25.0f);
  EXPECT_EQ(m.score_row(row(1, 1, 2).data(), nullptr), 10.0f + 10.0f + 4.0f);
  EXPECT_EQ(m.score_row(row(0, 2, 10).data(), nullptr), 50.0f);  // 15 + 25 + 20 = 60, limit 50
  EXPECT_EQ(m.score_row(row(2, 0, 3).data(), nullptr), 0.0f);    // -30 + 6 floored at 0
  // A group cap: two rules in "Role" on a (hypothetical) lead that has both.
  std::vector<float> both = row(0, 0, 0);
  both[1] = 1.0f;
  EXPECT_EQ(m.score_row(both.data(), nullptr), 20.0f);  // 15 + 10 capped at 20
}

TEST(PointsModel, ContributionsAddUpToTheScore) {
  const PointsModel m = points_model_from_json(schema(), kModel);
  std::mt19937 rng(5);
  std::vector<Contribution> c;
  for (int t = 0; t < 2000; ++t) {
    std::vector<float> x(9, 0.0f);
    for (auto& v : x) v = (rng() % 3 == 0) ? 1.0f : 0.0f;
    x[8] = static_cast<float>(rng() % 30);
    const float s = m.score_row(x.data(), &c);
    float sum = 0.0f;
    for (const auto& ci : c) sum += ci.points;
    ASSERT_NEAR(sum, s, 1e-4f * (1.0f + std::fabs(s))) << "trial " << t;
  }
}

TEST(PointsModel, BatchScoresAndReasonsMatchRowByRow) {
  const PointsModel m = points_model_from_json(schema(), kModel);
  const std::size_t n = 30000;
  std::vector<float> X;
  for (std::size_t i = 0; i < n; ++i) {
    auto r = row(static_cast<int>(i % 5), static_cast<int>(i % 3), static_cast<float>(i % 17));
    X.insert(X.end(), r.begin(), r.end());
  }
  std::vector<float> s1(n), s2(n), rs(n), pts(n * 3);
  std::vector<std::int32_t> rules(n * 3);
  m.score({X.data(), n, 9, 9}, ExecOptions{1}, s1.data());
  m.score({X.data(), n, 9, 9}, ExecOptions{2}, s2.data());
  EXPECT_EQ(s1, s2);
  m.reasons({X.data(), n, 9, 9}, 3, ExecOptions{2}, rs.data(), rules.data(), pts.data());
  EXPECT_EQ(rs, s1);
  // Lead 0: vp (15, Role), employees < 50 (no rule), visits 0 -> one reason.
  EXPECT_EQ(rules[0], 0);
  EXPECT_EQ(pts[0], 15.0f);
  EXPECT_EQ(rules[1], -1);
  // Lead 11: director, >= 1000, 11 visits = 10 + 25 + 22 = 57, limited to 50: every
  // contribution scaled by 50/57, largest first.
  EXPECT_EQ(std::vector<std::int32_t>(rules.begin() + 33, rules.begin() + 36), (std::vector<std::int32_t>{4, 5, 1}));
  EXPECT_NEAR(pts[33] + pts[34] + pts[35], 50.0f, 1e-4f);
  // Lead 7: student (-30), [50,1000) (+10), 7 visits (+14) = -6, floored at 0:
  // nothing counted, so there is no reason to give.
  EXPECT_EQ(rs[7], 0.0f);
  EXPECT_EQ(rules[21], -1);
  EXPECT_EQ(pts[21], 0.0f);
}

TEST(PointsModel, DefinitionErrorsNameTheJsonPath) {
  auto msg = [](const char* j) { return message_of([&] { points_model_from_json(schema(), j); }); };
  EXPECT_NE(msg(R"({"rules": [{"feature": "industry=software", "points": 5}]})").find("points.rules[0].feature: 'industry=software' is not a feature"),
            std::string::npos);
  EXPECT_NE(msg(R"({"rules": [{"feature": "visits", "points": "5"}]})").find("points.rules[0].points: expected a number, got string"),
            std::string::npos);
  EXPECT_NE(msg(R"({"rules": [{"feature": "visits", "points": 1, "group": "Role"}]})").find("'Role' is not a declared group"),
            std::string::npos);
  EXPECT_NE(msg(R"({"rules": [{"feature": "visits", "points": 1}, {"feature": "visits", "points": 2}]})").find("duplicate rule name 'visits'"),
            std::string::npos);
  EXPECT_NE(msg(R"({"groups": [{"name": "A"}, {"name": "A"}], "rules": [{"feature": "visits", "points": 1}]})").find("duplicate group name"),
            std::string::npos);
  EXPECT_NE(msg(R"({"groups": [{"name": "A", "max": -1}], "rules": [{"feature": "visits", "points": 1}]})").find("max: must be >= 0"),
            std::string::npos);
  EXPECT_NE(msg(R"({"rules": []})").find("at least one rule"), std::string::npos);
  EXPECT_NE(msg(R"({"rules": [{"feature": "visits", "points": 1}], "limt": 5})").find("unknown field \"limt\""),
            std::string::npos);
}

TEST(PointsModel, NonFiniteFeatureIsAnError) {
  const PointsModel m = points_model_from_json(schema(), kModel);
  auto X = row(0, 0, std::numeric_limits<float>::quiet_NaN());
  float s = 1.0f;
  EXPECT_NE(message_of([&] { m.score({X.data(), 1, 9, 9}, {}, &s); }).find("row 0"), std::string::npos);
  EXPECT_TRUE(std::isnan(s));
}
