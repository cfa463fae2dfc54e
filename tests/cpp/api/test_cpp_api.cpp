// Black-box tests of the public C++ API (header-only over the C API).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "leadkit/leadkit.hpp"

TEST(CppApi, VersionMatchesTheHeader) {
  EXPECT_EQ(leadkit::version(), std::string(LEADKIT_VERSION_STRING));
  EXPECT_EQ(lk_version_number(), LEADKIT_VERSION);
}

TEST(CppApi, LogisticModelRoundTrip) {
  const std::vector<float> w = {0.5f, -1.0f, 2.0f};
  leadkit::LogisticModel m(w, -0.25f);
  EXPECT_EQ(m.n_features(), 3U);
  EXPECT_EQ(m.weights(), w);
  EXPECT_EQ(m.intercept(), -0.25f);

  const float X[6] = {1, 0, 0, 0, 1, 1};
  auto p = m.predict_proba(X, 2, 3, leadkit::ExecOptions{1});
  ASSERT_EQ(p.size(), 2U);
  EXPECT_NEAR(p[0], 1.0 / (1.0 + std::exp(-0.25)), 1e-6);
  EXPECT_NEAR(p[1], 1.0 / (1.0 + std::exp(-0.75)), 1e-6);
}

TEST(CppApi, ErrorsCarryStatusAndMessage) {
  const std::vector<float> w = {1.0f, std::numeric_limits<float>::quiet_NaN()};
  try {
    leadkit::LogisticModel m(w, 0.0f);
    FAIL() << "expected leadkit::Error";
  } catch (const leadkit::Error& e) {
    EXPECT_EQ(e.status(), LK_ERR_NOT_FINITE);
    EXPECT_STREQ(e.status_name(), "LK_ERR_NOT_FINITE");
    EXPECT_NE(std::string(e.what()).find("weights[1]"), std::string::npos);
  }
  leadkit::LogisticModel m(std::vector<float>{1.0f, 2.0f}, 0.0f);
  const float X[3] = {1, 2, 3};
  float out[1];
  try {
    m.predict_proba(X, 1, 3, out);
    FAIL() << "expected leadkit::Error";
  } catch (const leadkit::Error& e) {
    EXPECT_EQ(e.status(), LK_ERR_DIMENSION_MISMATCH);
    EXPECT_NE(std::string(e.what()).find("expects 2"), std::string::npos) << e.what();
  }
  EXPECT_THROW(m.predict_proba(X, 1, 2, out, leadkit::ExecOptions{-1}), leadkit::Error);
}

TEST(CppApi, OneModelSharedByManyThreads) {
  std::vector<float> w(32, 0.01f);
  const leadkit::LogisticModel m(w, 0.0f);
  std::vector<float> X(1000 * 32, 1.0f);
  std::vector<std::thread> ts;
  std::vector<int> ok(4, 0);
  for (int t = 0; t < 4; ++t) {
    ts.emplace_back([&, t] {
      auto p = m.predict_proba(X.data(), 1000, 32, leadkit::ExecOptions{2});
      ok[static_cast<std::size_t>(t)] = std::abs(p[999] - 1.0f / (1.0f + std::exp(-0.32f))) < 1e-6f;
    });
  }
  for (auto& t : ts) t.join();
  for (int v : ok) EXPECT_EQ(v, 1);
}

TEST(CppApi, SchemaEncodesAndRoundTrips) {
  const auto schema = leadkit::Schema::from_json(R"({"attributes": [
    {"name": "employees", "type": "numeric", "bands": [50, 1000]},
    {"name": "seniority", "type": "categorical", "vocabulary": ["vp", "director"], "missing": "ignore"}]})");
  EXPECT_EQ(schema.n_features(), 6U);
  EXPECT_EQ(schema.feature_names()[1], "employees in [50,1000)");
  EXPECT_EQ(schema.attribute_names(), (std::vector<std::string>{"employees", "seniority"}));
  const double employees[2] = {10, 5000};
  const char* seniority[2] = {"VP", nullptr};
  leadkit::LeadBatch batch(2);
  batch.set_numeric("employees", employees).set_strings("seniority", seniority);
  const auto X = schema.encode(batch);
  EXPECT_EQ(X, (std::vector<float>{1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0}));
  const auto again = leadkit::Schema::from_json(schema.to_json());
  EXPECT_EQ(again.encode(batch), X);
  try {
    leadkit::Schema::from_json(R"({"attributes": [{"name": "x", "type": "numeric", "bands": "no"}]})");
    FAIL();
  } catch (const leadkit::Error& e) {
    EXPECT_EQ(e.status(), LK_ERR_INVALID_ARGUMENT);
    EXPECT_NE(std::string(e.what()).find("schema.attributes[0].bands"), std::string::npos);
  }
}

TEST(CppApi, PointsModelScoresAndExplains) {
  const auto schema = leadkit::Schema::from_json(R"({"attributes": [
    {"name": "seniority", "type": "categorical", "vocabulary": ["vp", "student"], "missing": "ignore", "unknown": "ignore"},
    {"name": "employees", "type": "numeric", "bands": [1000]}]})");
  const auto model = leadkit::PointsModel::from_json(schema, R"({"rules": [
    {"feature": "seniority=vp", "points": 20},
    {"feature": "seniority=student", "points": -15},
    {"name": "enterprise", "feature": "employees >= 1000", "points": 30}], "floor": true})");
  EXPECT_EQ(model.rule_names(), (std::vector<std::string>{"seniority=vp", "seniority=student", "enterprise"}));
  const double employees[3] = {5000, 10, 20000};
  const char* seniority[3] = {"VP", "student", "student"};
  leadkit::LeadBatch batch(3);
  batch.set_numeric("employees", employees).set_strings("seniority", seniority);
  const auto X = schema.encode(batch);
  EXPECT_EQ(model.score(X.data(), 3, schema.n_features()), (std::vector<float>{50, 0, 15}));
  const auto r = model.reasons(X.data(), 3, schema.n_features(), 2);
  EXPECT_EQ(r.rules, (std::vector<std::int32_t>{2, 0, -1, -1, 2, 1}));  // floored: no reasons
  EXPECT_EQ(r.points, (std::vector<float>{30, 20, 0, 0, 30, -15}));
  EXPECT_THROW(model.reasons(X.data(), 3, schema.n_features(), 0), leadkit::Error);
  EXPECT_THROW(leadkit::PointsModel::from_json(schema, R"({"rules": [{"feature": "nope", "points": 1}]})"),
               leadkit::Error);
}

TEST(CppApi, GraderLabelsLeads) {
  const auto g = leadkit::Grader::from_json(R"({"stages": [{"label": "cold"}, {"label": "MQL", "min": 100}],
    "grades": [{"label": "B"}, {"label": "A", "min": 50}], "matrix": {"A": {"cold": "MQL"}}})");
  EXPECT_EQ(g.stages(), (std::vector<std::string>{"cold", "MQL"}));
  EXPECT_EQ(g.grades(), (std::vector<std::string>{"B", "A"}));
  const float score[3] = {10, 150, 90}, fit[3] = {10, 10, 60};
  std::int32_t stage[3], grade[3];
  g.apply(score, fit, 3, stage, grade);
  EXPECT_EQ(std::vector<std::int32_t>(stage, stage + 3), (std::vector<std::int32_t>{0, 1, 1}));
  EXPECT_EQ(std::vector<std::int32_t>(grade, grade + 3), (std::vector<std::int32_t>{0, 0, 1}));
  EXPECT_THROW(g.apply(score, nullptr, 3, stage, grade), leadkit::Error);  // grades need fit
}

TEST(CppApi, ScorecardScoresRecordsAndExportsItself) {
  const auto sc = leadkit::Scorecard::from_json(R"({"name": "cpp",
    "schema": {"attributes": [
      {"name": "seniority", "type": "categorical", "vocabulary": ["vp", "student"], "missing": "slot"},
      {"name": "employees", "type": "numeric", "missing": "constant", "impute": 1, "bands": [1000]}]},
    "fit": [{"name": "fit", "rules": [{"feature": "seniority=vp", "points": 20},
                                      {"feature": "seniority=student", "points": -15},
                                      {"name": "enterprise", "feature": "employees >= 1000", "points": 30}],
             "floor": true},
            {"name": "size", "rules": [{"feature": "employees >= 1000", "points": 1}]}],
    "grader": {"stages": [{"label": "cold"}, {"label": "MQL", "min": 40}]}})");
  EXPECT_EQ(sc.name(), "cpp");
  EXPECT_EQ(sc.fit_score_names(), (std::vector<std::string>{"fit", "size"}));
  EXPECT_EQ(sc.rule_names(), (std::vector<std::string>{"seniority=vp", "seniority=student", "enterprise"}));
  EXPECT_FALSE(sc.has_logistic());
  EXPECT_TRUE(sc.has_grader());
  EXPECT_EQ(sc.grader().stages(), (std::vector<std::string>{"cold", "MQL"}));
  EXPECT_EQ(sc.schema().n_features(), sc.n_features());

  const double employees[3] = {5000, 10, 20000};
  const char* seniority[3] = {"VP", "student", nullptr};
  leadkit::LeadBatch batch(3);
  batch.set_numeric("employees", employees).set_strings("seniority", seniority);
  const auto r = sc.score(batch, 2);
  EXPECT_EQ(r.n_fit, 2u);
  EXPECT_EQ(r.fit, (std::vector<float>{50, 1, 0, 0, 30, 1}));
  EXPECT_EQ(r.total, (std::vector<float>{50, 0, 30}));
  EXPECT_TRUE(r.probability.empty());
  EXPECT_TRUE(r.grade.empty());  // a grader without grades
  EXPECT_EQ(r.stage, (std::vector<std::int32_t>{1, 0, 0}));
  EXPECT_EQ(r.reason_rules, (std::vector<std::int32_t>{2, 0, -1, -1, 2, -1}));

  const float engagement[3] = {0, 0, 15};
  EXPECT_EQ(sc.score(batch, 0, engagement).stage, (std::vector<std::int32_t>{1, 0, 1}));
  const auto back = leadkit::Scorecard::from_json(sc.to_json());
  EXPECT_EQ(back.to_json(), sc.to_json());
  EXPECT_THROW(leadkit::Scorecard::from_json(R"({"schema": {"attributes": []}})"), leadkit::Error);
  try {
    leadkit::Scorecard::from_json(R"({"schema": {"attributes": [{"name": "a", "type": "boolean"}]}, "fit": {"rules": [{"feature": "b", "points": 1}]}})");
    FAIL() << "expected an error";
  } catch (const leadkit::Error& e) {
    EXPECT_EQ(e.status(), LK_ERR_INVALID_ARGUMENT);
    EXPECT_NE(std::string(e.what()).find("scorecard.fit.rules[0].feature: 'b' is not a feature"), std::string::npos) << e.what();
  }
}

TEST(CppApi, LogisticModelLearnsFromOutcomes) {
  // Converted exactly when the first feature is set, with a little noise.
  std::vector<float> X, y;
  for (int i = 0; i < 1000; ++i) {
    const float hot = (i % 3 == 0) ? 1.0f : 0.0f;
    X.push_back(hot);
    X.push_back(static_cast<float>(i % 7) / 7.0f);
    y.push_back((hot == 1.0f) != (i % 50 == 0) ? 1.0f : 0.0f);
  }
  leadkit::LogisticModel::FitReport report;
  const auto m = leadkit::LogisticModel::fit(X.data(), 1000, 2, y.data(), nullptr, {}, {}, &report);
  EXPECT_TRUE(report.converged);
  EXPECT_GT(m.weights()[0], 3.0f);
  EXPECT_LT(std::abs(m.weights()[1]), 0.5f);
  const float hot[2] = {1.0f, 0.5f}, cold[2] = {0.0f, 0.5f};
  EXPECT_GT(m.predict_proba(hot, 1, 2)[0], 0.9f);
  EXPECT_LT(m.predict_proba(cold, 1, 2)[0], 0.1f);
  leadkit::LogisticFitOptions strong;
  strong.C = 1e-4;
  EXPECT_LT(leadkit::LogisticModel::fit(X.data(), 1000, 2, y.data(), nullptr, strong).weights()[0], 0.5f);
  std::vector<float> one_class(1000, 0.0f);
  EXPECT_THROW(leadkit::LogisticModel::fit(X.data(), 1000, 2, one_class.data()), leadkit::Error);
}
