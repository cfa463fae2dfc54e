// Scoring one lead through the C API allocates nothing once warm: counted
// with a replaced global operator new (which libleadkit's calls reach too).
// Sanitizer runtimes bring their own allocator, so the count runs only in
// plain builds.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include "leadkit/leadkit.hpp"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define LEADKIT_COUNT_ALLOCATIONS 0
#else
#define LEADKIT_COUNT_ALLOCATIONS 1
#endif

#if LEADKIT_COUNT_ALLOCATIONS
namespace {
std::atomic<long> g_allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#endif

TEST(NoAllocation, SingleLeadThroughTheScorecard) {
#if !LEADKIT_COUNT_ALLOCATIONS
  GTEST_SKIP() << "allocation counting needs the plain allocator";
#else
  const auto sc = leadkit::Scorecard::from_json(R"({"schema": {"attributes": [
      {"name": "seniority", "type": "categorical", "vocabulary": ["c-level", "vp", "director"], "missing": "slot"},
      {"name": "employees", "type": "numeric", "missing": "constant", "impute": 10, "bands": [50, 1000]},
      {"name": "interests", "type": "tags", "vocabulary": ["security", "cloud"], "missing": "ignore"}]},
    "fit": {"groups": [{"name": "Role", "max": 30}], "rules": [
      {"feature": "seniority=vp", "points": 25, "group": "Role"},
      {"feature": "seniority=c-level", "points": 30, "group": "Role"},
      {"feature": "employees >= 1000", "points": 20},
      {"feature": "interests:security", "points": 10}], "limit": 50},
    "logistic": {"intercept": -1, "weights": {"seniority=vp": 1.0, "employees >= 1000": 0.5}},
    "grader": {"stages": [{"label": "cold"}, {"label": "MQL", "min": 40}],
               "grades": [{"label": "B"}, {"label": "A", "min": 30}]}})");
  // The product's one-lead buffers, bound to the batch once.
  const char* seniority[1] = {"VP "};  // normalised: trimmed, lower-cased
  double employees[1] = {5000};
  const char* interests[1] = {"Security;cloud"};
  leadkit::LeadBatch one(1);
  one.set_strings("seniority", seniority);
  one.set_numeric("employees", employees);
  one.set_strings("interests", interests);
  float fit = 0, total = 0, proba = 0, points[3];
  std::int32_t grade = 0, stage = 0, rules[3];
  lk_scorecard_output out;
  ASSERT_EQ(lk_scorecard_output_init(&out), LK_OK);
  out.fit = &fit;
  out.total = &total;
  out.probability = &proba;
  out.grade = &grade;
  out.stage = &stage;
  out.n_reasons = 3;
  out.reason_rules = rules;
  out.reason_points = points;
  ASSERT_EQ(lk_scorecard_score(sc.handle(), one.handle(), nullptr, nullptr, &out), LK_OK);  // warm-up
  EXPECT_EQ(fit, 50.0f);  // 25 + 20 + 10 = 55, limited to 50

  const long before = g_allocations.load();
  const char* titles[] = {"c-level", "director", "vp", "unknown title"};
  for (int i = 0; i < 400; ++i) {
    seniority[0] = titles[i % 4];
    employees[0] = 10.0 * i;
    ASSERT_EQ(lk_scorecard_score(sc.handle(), one.handle(), nullptr, nullptr, &out), LK_OK);
  }
  EXPECT_EQ(g_allocations.load() - before, 0) << "scoring one lead allocated";
  EXPECT_EQ(stage, 0);  // the last lead: an unknown title, 3990 employees: 20 points
#endif
}
