#include "scoring/scorecard.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "engine_errors.hpp"
#include "io/schema_json.hpp"

using namespace leadkit::engine;

using leadkit::test::message_of;
using leadkit::test::status_of;

namespace {

const char* kSchema = R"J({"attributes": [
  {"name": "seniority", "type": "categorical", "missing": "slot", "vocabulary": ["c-level", "vp", "director", "student"]},
  {"name": "industry", "type": "categorical", "vocabulary": ["software", "fintech"]},
  {"name": "employees", "type": "numeric", "missing": "constant", "impute": 10, "bands": [50, 1000]},
  {"name": "visits", "type": "numeric", "missing": "constant", "impute": 0, "log1p": true},
  {"name": "interests", "type": "tags", "missing": "ignore", "vocabulary": ["security", "cloud"]}]})J";

const char* kFit = R"J({"name": "fit", "groups": [{"name": "Role", "max": 30}, {"name": "Company", "max": 25}],
  "rules": [{"feature": "seniority=c-level", "points": 30, "group": "Role"},
            {"feature": "seniority=vp", "points": 25, "group": "Role"},
            {"feature": "seniority=director", "points": 15, "group": "Role"},
            {"feature": "seniority=student", "points": -40},
            {"feature": "industry=software", "points": 15, "group": "Company"},
            {"feature": "employees in [50,1000)", "points": 10, "group": "Company"},
            {"feature": "employees >= 1000", "points": 20, "group": "Company"},
            {"feature": "interests:security", "points": 10}],
  "limit": 60, "floor": true})J";

const char* kActivity = R"J({"name": "activity", "rules": [{"feature": "visits", "points": 5, "name": "visits (log)"}],
  "limit": 20})J";

const char* kGrader = R"J({"stages": [{"label": "cold"}, {"label": "warm", "min": 30}, {"label": "MQL", "min": 60}],
  "grades": [{"label": "D"}, {"label": "C", "min": 20}, {"label": "B", "min": 35}, {"label": "A", "min": 50}],
  "matrix": {"A": {"warm": "MQL"}}})J";

std::string definition(const std::string& extra = "") {
  return std::string(R"J({"name": "test", "schema": )J") + kSchema + R"J(, "fit": [)J" + kFit + ", " + kActivity +
         R"J(], "total": ["fit", "activity"],
    "logistic": {"intercept": -2, "weights": {"seniority=vp": 1.2, "employees >= 1000": 0.8, "visits": 0.6}},
    "grader": )J" + kGrader + extra + "}";
}

// Raw records: n leads drawn with a seed, as columns the batch points into.
struct Records {
  std::vector<const char*> seniority, industry, interests;
  std::vector<double> employees, visits;
  explicit Records(std::size_t n, unsigned seed = 7) {
    static const char* kSen[] = {"c-level", "vp", "director", "student", "intern", nullptr};
    static const char* kInd[] = {"software", "fintech", "retail", nullptr};
    static const char* kTags[] = {"security", "cloud", "security;cloud", "ai", nullptr};
    std::mt19937 rng(seed);
    for (std::size_t i = 0; i < n; ++i) {
      seniority.push_back(kSen[rng() % 6]);
      industry.push_back(kInd[rng() % 4]);
      interests.push_back(kTags[rng() % 5]);
      employees.push_back(rng() % 10 == 0 ? std::numeric_limits<double>::quiet_NaN() : std::exp(static_cast<double>(rng() % 1000) / 100.0));
      visits.push_back(static_cast<double>(rng() % 40));
    }
  }
  LeadBatch batch() const {
    LeadBatch b(seniority.size());
    b.set_strings("seniority", seniority.data());
    b.set_strings("industry", industry.data());
    b.set_strings("interests", interests.data());
    b.set_numeric("employees", employees.data());
    b.set_numeric("visits", visits.data());
    return b;
  }
};

struct Outputs {
  std::size_t n, k;
  std::vector<float> fit, total, proba, points;
  std::vector<std::int32_t> grade, stage, rules;
  Outputs(std::size_t n_, std::size_t n_fit, std::size_t k_)
      : n(n_), k(k_), fit(n_ * n_fit), total(n_), proba(n_), points(n_ * k_), grade(n_), stage(n_), rules(n_ * k_) {}
  ScorecardOutput out() {
    ScorecardOutput o;
    o.fit = fit.data();
    o.total = total.data();
    o.probability = proba.data();
    o.grade = grade.data();
    o.stage = stage.data();
    o.k = k;
    o.reason_rules = rules.data();
    o.reason_points = points.data();
    return o;
  }
};

}  // namespace

TEST(Scorecard, MatchesItsPartsExactly) {
  const Scorecard sc = scorecard_from_json(definition());
  ASSERT_EQ(sc.fit_models().size(), 2u);
  const std::size_t n = 5000, D = sc.n_features(), k = 3;
  const Records rec(n);
  std::vector<float> X(n * D);
  sc.schema().encode(rec.batch(), ExecOptions{1}, X.data(), D);
  const FeatureView view{X.data(), n, D, D};

  Outputs o(n, 2, k);
  sc.score(rec.batch(), nullptr, ExecOptions{2}, o.out());

  // Each part alone, on the encoded matrix.
  std::vector<float> fit(n), activity(n), proba(n), rscore(n), rpoints(n * k);
  std::vector<std::int32_t> rrules(n * k), stage(n), grade(n);
  sc.fit_models()[0].score(view, ExecOptions{1}, fit.data());
  sc.fit_models()[1].score(view, ExecOptions{1}, activity.data());
  sc.logistic()->predict_proba(view, ExecOptions{1}, proba.data());
  sc.fit_models()[0].reasons(view, k, ExecOptions{1}, rscore.data(), rrules.data(), rpoints.data());
  std::vector<float> total(n);
  for (std::size_t i = 0; i < n; ++i) total[i] = fit[i] + activity[i];
  sc.grader()->apply(total.data(), fit.data(), n, stage.data(), grade.data());

  for (std::size_t i = 0; i < n; ++i) {
    ASSERT_EQ(o.fit[i * 2], fit[i]) << i;
    ASSERT_EQ(o.fit[i * 2 + 1], activity[i]) << i;
    ASSERT_EQ(o.total[i], total[i]) << i;
    ASSERT_EQ(o.proba[i], proba[i]) << i;
  }
  EXPECT_EQ(o.stage, stage);
  EXPECT_EQ(o.grade, grade);
  EXPECT_EQ(o.rules, rrules);
  EXPECT_EQ(o.points, rpoints);
  // The reasons of a lead add up to its primary fit score.
  for (std::size_t i = 0; i < n; ++i) {
    float sum = 0.0f;
    bool full = true;
    for (std::size_t j = 0; j < k; ++j) {
      sum += o.points[i * k + j];
      full = full && o.rules[i * k + j] >= 0;
    }
    if (!full) {  // fewer than k reasons: all of them
      ASSERT_NEAR(sum, o.fit[i * 2], 1e-3f) << i;
    }
  }

  // From features: the same numbers.
  Outputs f(n, 2, k);
  sc.score_features(view, nullptr, ExecOptions{1}, f.out());
  EXPECT_EQ(f.fit, o.fit);
  EXPECT_EQ(f.proba, o.proba);
  EXPECT_EQ(f.rules, o.rules);
}

TEST(Scorecard, SameResultForAnyThreadCountAndSingleLeads) {
  const Scorecard sc = scorecard_from_json(definition());
  const std::size_t n = 9000;  // several pool tasks
  const Records rec(n, 11);
  Outputs a(n, 2, 2), b(n, 2, 2);
  sc.score(rec.batch(), nullptr, ExecOptions{1}, a.out());
  sc.score(rec.batch(), nullptr, ExecOptions{2}, b.out());
  EXPECT_EQ(a.fit, b.fit);
  EXPECT_EQ(a.proba, b.proba);
  EXPECT_EQ(a.stage, b.stage);
  EXPECT_EQ(a.points, b.points);
  // Lead 4321 scored on its own.
  for (std::size_t i : {std::size_t{0}, std::size_t{4321}, n - 1}) {
    LeadBatch one(1);
    one.set_strings("seniority", &rec.seniority[i]);
    one.set_strings("industry", &rec.industry[i]);
    one.set_strings("interests", &rec.interests[i]);
    one.set_numeric("employees", &rec.employees[i]);
    one.set_numeric("visits", &rec.visits[i]);
    Outputs s(1, 2, 2);
    sc.score(one, nullptr, {}, s.out());
    EXPECT_EQ(s.fit[0], a.fit[i * 2]);
    EXPECT_EQ(s.proba[0], a.proba[i]);
    EXPECT_EQ(s.stage[0], a.stage[i]);
    EXPECT_EQ(s.rules[0], a.rules[i * 2]);
  }
}

// A batch large enough for pool tasks of more than 2048 rows (their size
// grows with n): the same bits on 1 and 2 threads, and with two bad leads in
// different tasks, the first one is reported whichever thread finds which.
TEST(Scorecard, LargeBatchesGiveTheSameBitsAndTheSameFirstBadLeadOnAnyThreads) {
  const Scorecard sc = scorecard_from_json(definition());
  const std::size_t n = 300000, D = sc.n_features();
  const Records rec(n, 13);
  std::vector<float> X(n * D);
  sc.schema().encode(rec.batch(), ExecOptions{2}, X.data(), D);
  const FeatureView view{X.data(), n, D, D};
  Outputs a(n, 2, 0), b(n, 2, 0);
  sc.score_features(view, nullptr, ExecOptions{1}, a.out());
  sc.score_features(view, nullptr, ExecOptions{2}, b.out());
  EXPECT_EQ(a.fit, b.fit);
  EXPECT_EQ(a.proba, b.proba);
  EXPECT_EQ(a.stage, b.stage);
  X[250000 * D + 1] = std::numeric_limits<float>::quiet_NaN();
  X[123457 * D] = std::numeric_limits<float>::infinity();
  for (int t : {1, 2}) {
    const std::string m = message_of([&] { sc.score_features(view, nullptr, ExecOptions{t}, a.out()); });
    EXPECT_NE(m.find("lead 123457"), std::string::npos) << t << " threads: " << m;
  }
}

// Every lead of a batch scored alone from its features (the path a product's
// per-lead call takes) equals the batch, output by output, bit for bit: fit
// scores, total, probability, grade, stage (through the grade x stage matrix)
// and reasons; and with an engagement score added to the total.
TEST(Scorecard, EveryLeadAloneHasTheBitsOfTheBatch) {
  const Scorecard sc = scorecard_from_json(definition());
  const std::size_t n = 700, D = sc.n_features(), k = 2;
  const Records rec(n, 23);
  std::vector<float> X(n * D), engagement(n);
  sc.schema().encode(rec.batch(), ExecOptions{1}, X.data(), D);
  for (std::size_t i = 0; i < n; ++i) engagement[i] = static_cast<float>(i % 37) * 1.25f - 9.0f;
  for (const float* eng : {static_cast<const float*>(nullptr), static_cast<const float*>(engagement.data())}) {
    Outputs all(n, 2, k);
    sc.score_features(FeatureView{X.data(), n, D, D}, eng, ExecOptions{1}, all.out());
    for (std::size_t i = 0; i < n; ++i) {
      Outputs one(1, 2, k);
      sc.score_features(FeatureView{X.data() + i * D, 1, D, D}, eng ? eng + i : nullptr, ExecOptions{1}, one.out());
      ASSERT_EQ(one.fit[0], all.fit[i * 2]) << i;
      ASSERT_EQ(one.fit[1], all.fit[i * 2 + 1]) << i;
      ASSERT_EQ(one.total[0], all.total[i]) << i;
      ASSERT_EQ(std::memcmp(&one.proba[0], &all.proba[i], sizeof(float)), 0) << i;
      ASSERT_EQ(one.grade[0], all.grade[i]) << i;
      ASSERT_EQ(one.stage[0], all.stage[i]) << i;
      for (std::size_t j = 0; j < k; ++j) {
        ASSERT_EQ(one.rules[j], all.rules[i * k + j]) << i;
        ASSERT_EQ(one.points[j], all.points[i * k + j]) << i;
      }
    }
    // The grades and stages the leads reach are not all alike (the check means something).
    EXPECT_GT(std::set<std::int32_t>(all.grade.begin(), all.grade.end()).size(), 2u);
    EXPECT_GT(std::set<std::int32_t>(all.stage.begin(), all.stage.end()).size(), 1u);
  }
}

TEST(Scorecard, EngagementAddsToTheTotalAndMovesTheStage) {
  const Scorecard sc = scorecard_from_json(definition());
  const char* sen[] = {"vp"};
  const char* ind[] = {"retail"};
  const char* tags[] = {nullptr};
  const double emp[] = {20}, vis[] = {0};
  LeadBatch b(1);
  b.set_strings("seniority", sen);
  b.set_strings("industry", ind);
  b.set_strings("interests", tags);
  b.set_numeric("employees", emp);
  b.set_numeric("visits", vis);
  Outputs o(1, 2, 3);
  sc.score(b, nullptr, {}, o.out());
  EXPECT_EQ(o.fit[0], 25.0f);  // vp
  EXPECT_EQ(o.total[0], 25.0f);
  EXPECT_EQ(o.stage[0], 0);  // cold
  EXPECT_EQ(o.grade[0], 1);  // C
  const float engagement[] = {40.0f};
  sc.score(b, engagement, {}, o.out());
  EXPECT_EQ(o.total[0], 65.0f);
  EXPECT_EQ(o.stage[0], 2);  // MQL
  EXPECT_EQ(o.rules[0], 1);  // the vp rule
  EXPECT_EQ(o.rules[1], -1);
}

TEST(Scorecard, JsonRoundTrip) {
  const Scorecard sc = scorecard_from_json(definition());
  const std::string exported = scorecard_to_json(sc).dump(2);
  const Scorecard back = scorecard_from_json(exported);
  EXPECT_EQ(scorecard_to_json(back).dump(2), exported);
  const Records rec(500, 3);
  Outputs a(500, 2, 3), b(500, 2, 3);
  sc.score(rec.batch(), nullptr, {}, a.out());
  back.score(rec.batch(), nullptr, {}, b.out());
  EXPECT_EQ(a.fit, b.fit);
  EXPECT_EQ(a.proba, b.proba);
  EXPECT_EQ(a.stage, b.stage);
  EXPECT_EQ(a.rules, b.rules);
  EXPECT_NE(exported.find("\"total\""), std::string::npos);
  EXPECT_NE(exported.find("\"seniority=vp\": 1.2"), std::string::npos);
}

TEST(Scorecard, DefinitionErrorsNameTheJsonPath) {
  auto msg = [](const std::string& j) { return message_of([&] { scorecard_from_json(j); }); };
  EXPECT_NE(msg(definition(R"J(, "grade": {})J")).find("scorecard: unknown field \"grade\""), std::string::npos);
  EXPECT_NE(msg(definition(R"J(, "primary": "nope")J")).find("scorecard.primary: 'nope' is not the name of a fit model"),
            std::string::npos);
  std::string d = definition();
  const std::string total = "\"total\": [\"fit\", \"activity\"]";
  d.replace(d.find(total), total.size(), "\"total\": [\"fit\", \"fit\"]");
  EXPECT_NE(msg(d).find("scorecard.total[1]: 'fit' is listed twice"), std::string::npos);
  d = definition();
  d.replace(d.find("\"visits\": 0.6"), 13, "\"visitz\": 0.6");
  EXPECT_NE(msg(d).find("scorecard.logistic.weights.visitz: 'visitz' is not a feature"), std::string::npos);
  d = definition();
  d.replace(d.find("seniority=director\", \"points\": 15"), 33, "seniority=director\", \"points\": \"x\"");
  EXPECT_NE(msg(d).find("scorecard.fit[0].rules[2].points: expected a number"), std::string::npos);
  d = definition();
  d.replace(d.find("\"name\": \"activity\""), 18, "\"name\": \"fit\"");
  EXPECT_NE(msg(d).find("scorecard.fit[1].name: duplicate fit score name 'fit'"), std::string::npos);
  d = definition();
  d.replace(d.find("\"min\": 30"), 9, "\"min\": \"30\"");
  EXPECT_NE(msg(d).find("scorecard.grader.stages[1].min: expected a number"), std::string::npos);
  EXPECT_NE(msg(std::string(R"J({"schema": )J") + kSchema + R"J(, "fit": []})J").find("scorecard.fit: is empty"), std::string::npos);
  EXPECT_NE(msg("{").find("scorecard JSON: not valid JSON"), std::string::npos);
  EXPECT_NE(msg(R"J({"fit": []})J").find("scorecard: missing required field \"schema\""), std::string::npos);
}

TEST(Scorecard, BadCallsAreSpecificErrorsAndDataErrorsBlankTheOutput) {
  const Scorecard sc = scorecard_from_json(definition());
  const Records rec(10);
  Outputs o(10, 2, 3);
  ScorecardOutput none;
  EXPECT_NE(message_of([&] { sc.score(rec.batch(), nullptr, {}, none); }).find("asks for nothing"), std::string::npos);
  ScorecardOutput r = o.out();
  r.reason_points = nullptr;
  EXPECT_EQ(status_of([&] { sc.score(rec.batch(), nullptr, {}, r); }), LK_ERR_NULL_POINTER);
  std::vector<float> eng(10, 1.0f);
  eng[7] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_NE(message_of([&] { sc.score(rec.batch(), eng.data(), {}, o.out()); }).find("engagement[7]"),
            std::string::npos);

  // Without a logistic model or a grader, asking for their outputs is an error.
  const Scorecard bare = scorecard_from_json(std::string(R"J({"schema": )J") + kSchema + R"J(, "fit": )J" + kFit + "}");
  EXPECT_NE(message_of([&] { bare.score(rec.batch(), nullptr, {}, o.out()); }).find("output.probability: the scorecard has no logistic model"),
            std::string::npos);
  ScorecardOutput fit_only;
  fit_only.fit = o.fit.data();
  fit_only.stage = o.stage.data();
  EXPECT_NE(message_of([&] { bare.score(rec.batch(), nullptr, {}, fit_only); }).find("output.stage: the scorecard has no grader"),
            std::string::npos);

  // A record the schema refuses: every output is blanked, the error names the lead.
  const Scorecard strict = scorecard_from_json(std::string(R"J({"schema": {"attributes": [
      {"name": "seniority", "type": "categorical", "vocabulary": ["vp"], "missing": "error"}]},
      "fit": {"rules": [{"feature": "seniority=vp", "points": 10}]}})J"));
  const char* sen[] = {"vp", "vp", nullptr, "vp"};
  LeadBatch b(4);
  b.set_strings("seniority", sen);
  std::vector<float> fit(4, 5.0f);
  ScorecardOutput fo;
  fo.fit = fit.data();
  const std::string m = message_of([&] { strict.score(b, nullptr, {}, fo); });
  EXPECT_NE(m.find("row 2"), std::string::npos) << m;
  for (float v : fit) EXPECT_TRUE(std::isnan(v));

  // Features with a NaN.
  std::vector<float> X(3 * sc.n_features(), 0.0f);
  X[sc.n_features() + 2] = std::numeric_limits<float>::infinity();
  Outputs f(3, 2, 3);
  EXPECT_NE(message_of([&] { sc.score_features({X.data(), 3, sc.n_features(), sc.n_features()}, nullptr, {}, f.out()); })
                .find("lead 1"),
            std::string::npos);
  EXPECT_EQ(status_of([&] { sc.score_features({X.data(), 3, 5, 5}, nullptr, {}, f.out()); }), LK_ERR_DIMENSION_MISMATCH);
}

TEST(Scorecard, EngagementSectionScoresEventsIntoTheTotal) {
  std::string d = definition();
  d.insert(d.rfind('}'), R"J(, "engagement": {"types": [
      {"name": "form_fill", "points": 20, "decay": {"kind": "exponential", "half_life": 86400}},
      {"name": "unsubscribe", "points": -50}], "floor": true})J");
  const Scorecard sc = scorecard_from_json(d);
  const auto& model = sc.engagement();
  if (!model) FAIL() << "no engagement model";
  EXPECT_EQ(model->types().size(), 2u);
  // Exported and read back: the same engagement model.
  const std::string exported = scorecard_to_json(sc).dump();
  EXPECT_EQ(scorecard_to_json(scorecard_from_json(exported)).dump(), exported);

  // Two leads: one filled a form a day ago (10 points after one half-life).
  const std::int32_t lead[] = {0, 1};
  const std::int32_t type[] = {0, 1};
  const double t0 = 1.7e9, time[] = {t0, t0};
  float engagement[2];
  model->score(EventView{lead, type, time, nullptr, 2}, 2, t0 + 86400, ExecOptions{1}, engagement, nullptr);
  EXPECT_NEAR(engagement[0], 10.0f, 1e-4f);
  EXPECT_EQ(engagement[1], 0.0f);  // floored
  const Records rec(2);
  Outputs base(2, 2, 0), with(2, 2, 0);
  sc.score(rec.batch(), nullptr, {}, base.out());
  sc.score(rec.batch(), engagement, {}, with.out());
  EXPECT_EQ(with.total[0], base.total[0] + engagement[0]);
  EXPECT_EQ(with.total[1], base.total[1]);

  d.insert(d.rfind('}') - 1, R"J(, "halflife": 3)J");
  EXPECT_NE(message_of([&] { scorecard_from_json(d); }).find("scorecard.engagement"), std::string::npos);
}

TEST(Scorecard, PersonasMatchEveryLead) {
  std::string d = definition();
  d.insert(d.rfind('}'), R"J(, "personas": {"metric": "cosine", "min_similarity": 0.4, "personas": [
      {"name": "Security exec", "attributes": {"seniority": "c-level", "interests": ["security"]}},
      {"name": "Software VP", "attributes": {"seniority": "vp", "industry": "software"}}]})J");
  const Scorecard sc = scorecard_from_json(d);
  const PersonaSet* set = sc.personas();
  if (set == nullptr) FAIL() << "no personas";
  EXPECT_EQ(set->names().size(), 2u);
  const std::string exported = scorecard_to_json(sc).dump();
  EXPECT_EQ(scorecard_to_json(scorecard_from_json(exported)).dump(), exported);

  const std::size_t n = 3000, D = sc.n_features();
  const Records rec(n, 21);
  Outputs o(n, 2, 0);
  std::vector<std::int32_t> persona(n, 7);
  std::vector<float> similarity(n);
  ScorecardOutput out = o.out();
  out.persona = persona.data();
  out.persona_similarity = similarity.data();
  sc.score(rec.batch(), nullptr, ExecOptions{2}, out);
  // The same as matching the encoded leads with the persona set alone.
  std::vector<float> X(n * D);
  sc.schema().encode(rec.batch(), ExecOptions{1}, X.data(), D);
  std::vector<std::int32_t> best(n);
  std::vector<float> sim(n);
  MatchResult mr;
  mr.best = best.data();
  mr.similarity = sim.data();
  set->match({X.data(), n, D, D}, 1, ExecOptions{1}, mr);
  EXPECT_EQ(persona, best);
  EXPECT_EQ(similarity, sim);
  EXPECT_GT(std::count(persona.begin(), persona.end(), -1), 0);  // some leads fit no persona
  EXPECT_GT(std::count(persona.begin(), persona.end(), 1), 0);

  // Without a logistic model a feature no rule reads still reaches the
  // persona match: the error names the first bad lead, whichever check saw it.
  {
    std::string pd = std::string(R"J({"schema": )J") + kSchema + R"J(, "fit": )J" + kFit + "}";
    pd.insert(pd.rfind('}'), R"J(, "personas": {"personas": [{"name": "VP", "attributes": {"seniority": "vp"}}]})J");
    const Scorecard ps = scorecard_from_json(pd);
    const leadkit::kernels::PointsProgram prog = ps.fit_models()[0].program();
    const std::set<std::uint32_t> read(prog.feature, prog.feature + prog.term_end[prog.n_sums]);
    std::uint32_t unread = 0;
    while (read.count(unread) != 0) ++unread;
    ASSERT_LT(unread, D);
    const std::size_t m = 20;
    std::vector<float> Xb(X.begin(), X.begin() + static_cast<std::ptrdiff_t>(m * D));
    Xb[3 * D + unread] = std::numeric_limits<float>::quiet_NaN();          // personas see it
    Xb[10 * D + prog.feature[0]] = std::numeric_limits<float>::quiet_NaN();  // the fit score sees it
    std::vector<float> fit(m);
    std::vector<std::int32_t> who(m);
    ScorecardOutput po;
    po.fit = fit.data();
    po.persona = who.data();
    const std::string msg = message_of([&] { ps.score_features({Xb.data(), m, D, D}, nullptr, {}, po); });
    EXPECT_NE(msg.find("lead 3"), std::string::npos) << msg;
  }

  // Asking for personas from a scorecard without them is an error.
  const Scorecard bare = scorecard_from_json(definition());
  EXPECT_NE(message_of([&] { bare.score(rec.batch(), nullptr, {}, out); }).find("output.persona: the scorecard has no personas"),
            std::string::npos);
  std::string bad = definition();
  bad.insert(bad.rfind('}'), R"J(, "personas": {"personas": [{"name": "X", "attributes": {"seniority": "pope"}}]})J");
  EXPECT_NE(message_of([&] { scorecard_from_json(bad); }).find("scorecard.personas.personas[0].attributes.seniority"),
            std::string::npos);
}
