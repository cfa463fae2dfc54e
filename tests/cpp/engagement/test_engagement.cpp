#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "engagement/engagement_model.hpp"
#include "engagement/engagement_state.hpp"
#include "engagement/rollup.hpp"
#include "engine_errors.hpp"

using namespace leadkit::engine;
using leadkit::test::message_of;
using leadkit::test::status_of;

namespace {

constexpr double kDay = 86400.0;
constexpr double kT0 = 1.7e9;  // a Unix time in 2023

struct Ev {
  std::vector<std::int32_t> lead, type;
  std::vector<double> time;
  std::vector<float> mult;
  void add(int l, int t, double s, float m = 1.0f) {
    lead.push_back(l);
    type.push_back(t);
    time.push_back(s);
    mult.push_back(m);
  }
  EventView view(bool with_mult = true) const {
    return EventView{lead.data(), type.data(), time.data(), with_mult ? mult.data() : nullptr, lead.size()};
  }
  EventView slice(std::size_t b, std::size_t e) const {
    return EventView{lead.data() + b, type.data() + b, time.data() + b, mult.data() + b, e - b};
  }
};

// Every feature at once: exponential with a total cap, linear (HubSpot-style),
// window + count once, a period cap on an exponential type, a negative type,
// a linear type with a period cap, groups, a limit and a floor.
const char* kFull = R"json({"name": "eng",
  "groups": [{"name": "Web", "max": 60}, {"name": "Neg", "min": -25}],
  "types": [
    {"name": "form_fill", "points": 10, "group": "Web",
     "decay": {"kind": "exponential", "half_life": 2592000}, "cap": 45},
    {"name": "email_open", "points": 2, "decay": {"kind": "linear", "percent": 25, "period": 604800}},
    {"name": "webinar", "points": 15, "count": "once", "group": "Web",
     "decay": {"kind": "window", "period": 86400, "periods": 30}},
    {"name": "page_view", "points": 1, "decay": {"kind": "exponential", "half_life": 86400},
     "period_cap": {"points": 5, "period": 86400}},
    {"name": "unsubscribe", "points": -20, "group": "Neg"},
    {"name": "click", "points": 3, "decay": {"kind": "linear", "percent": 10, "period": 86400},
     "period_cap": {"points": 7, "period": 3600}, "cap": 30},
    {"name": "demo", "points": 25, "count": "once", "decay": {"kind": "exponential", "half_life": 604800},
     "period_cap": {"points": 30, "period": 86400}}],
  "limit": 150, "floor": true})json";

// The definition, written as plainly as possible, in double.
std::vector<double> reference(const EngagementModel& m, const Ev& ev, std::size_t n_leads,
                              double as_of, std::vector<double>* per_type = nullptr) {
  const std::size_t T = m.n_types();
  std::vector<double> v(n_leads * T, 0.0);
  std::map<std::pair<int, int>, std::vector<std::size_t>> by;
  for (std::size_t i = 0; i < ev.lead.size(); ++i)
    if (ev.time[i] <= as_of) by[{ev.lead[i], ev.type[i]}].push_back(i);
  for (auto& [key, idx] : by) {
    const EventType& e = m.types()[static_cast<std::size_t>(key.second)];
    std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
      return std::make_tuple(ev.time[a], ev.mult[a]) < std::make_tuple(ev.time[b], ev.mult[b]);
    });
    auto fac = [&](double ts) {
      const double age = as_of - ts;
      switch (e.decay) {
        case DecayKind::none: return 1.0;
        case DecayKind::exponential: return std::pow(2.0, -age / e.half_life);
        case DecayKind::linear: {
          const double k = std::floor(as_of / e.period) - std::floor(ts / e.period);
          return std::max(0.0, 1.0 - e.percent / 100.0 * k);
        }
        case DecayKind::window: {
          const double k = std::floor(as_of / e.period) - std::floor(ts / e.period);
          return k < static_cast<double>(e.periods) ? 1.0 : 0.0;
        }
      }
      return 1.0;
    };
    double sum = 0.0;
    const double sign = e.points < 0 ? -1.0 : 1.0;
    if (e.count == CountMode::once) {
      const std::size_t i = idx.back();
      const double p = std::min(std::fabs(double(e.points) * double(ev.mult[i])), double(e.period_cap));
      sum = sign * p * fac(ev.time[i]);
    } else {
      std::map<long long, double> used;
      for (std::size_t i : idx) {
        double p = std::fabs(double(e.points) * double(ev.mult[i]));
        if (e.period_cap < EngagementModel::kInf) {
          double& u = used[static_cast<long long>(std::floor(ev.time[i] / e.cap_period))];
          p = std::min(p, double(e.period_cap) - u);
          u += p;
        }
        sum += sign * p * fac(ev.time[i]);
      }
    }
    v[std::size_t(key.first) * T + std::size_t(key.second)] = sum;
  }
  std::vector<double> out(n_leads);
  if (per_type) per_type->assign(n_leads * T, 0.0);
  for (std::size_t l = 0; l < n_leads; ++l) {
    std::vector<double> g(m.groups().size() + 1, 0.0);
    for (std::size_t t = 0; t < T; ++t) {
      const double cap = m.types()[t].cap;
      const double x = std::clamp(v[l * T + t], -cap, cap);
      if (per_type) (*per_type)[l * T + t] = x;
      const int gi = m.types()[t].group;
      g[gi < 0 ? m.groups().size() : std::size_t(gi)] += x;
    }
    double total = g.back();
    for (std::size_t k = 0; k < m.groups().size(); ++k)
      total += std::clamp(g[k], double(m.groups()[k].min), double(m.groups()[k].max));
    total = std::min(total, double(m.limit()));
    if (m.floor_at_zero()) total = std::max(total, 0.0);
    out[l] = total;
  }
  return out;
}

// Random events over `days` days from kT0, many on the same lead/type, some ties.
Ev random_events(std::mt19937& rng, std::size_t n, int n_leads, int n_types, double days) {
  Ev ev;
  std::uniform_int_distribution<int> L(0, n_leads - 1), Ty(0, n_types - 1);
  std::uniform_real_distribution<double> S(0.0, days * kDay);
  std::uniform_int_distribution<int> M(0, 3);
  for (std::size_t i = 0; i < n; ++i) {
    double s = kT0 + S(rng);
    if (i % 7 == 3 && i > 0) s = ev.time.back();  // ties
    ev.add(L(rng), Ty(rng), std::floor(s), static_cast<float>(M(rng)) * 0.5f + 0.5f);
  }
  return ev;
}

void expect_close(const std::vector<double>& want, const float* got, std::size_t n, const char* what) {
  for (std::size_t i = 0; i < n; ++i)
    ASSERT_NEAR(want[i], double(got[i]), 1e-4 * std::max(1.0, std::fabs(want[i]))) << what << " at " << i;
}

}  // namespace

TEST(EngagementModel, HalfLifeHalvesPoints) {
  auto m = engagement_model_from_json(
      R"({"types": [{"name": "form", "points": 10, "decay": {"kind": "exponential", "half_life": 100}}]})");
  Ev ev;
  ev.add(0, 0, 1000.0);
  ev.add(1, 0, 1000.0);
  ev.add(1, 0, 1100.0);
  float out[2];
  m.score(ev.view(false), 2, 1100.0, {}, out, nullptr);
  EXPECT_NEAR(out[0], 5.0f, 1e-5f);
  EXPECT_NEAR(out[1], 15.0f, 1e-5f);
}

TEST(EngagementModel, LinearPercentPerPeriodIsStepwise) {
  // HubSpot's example: 50% a month turns a 10-point form fill into 5 after a month.
  const double month = 30 * kDay;
  auto m = engagement_model_from_json(R"({"types": [{"name": "form", "points": 10,
      "decay": {"kind": "linear", "percent": 50, "period": 2592000}}]})");
  Ev ev;
  ev.add(0, 0, 10 * month);
  float out[1];
  m.score(ev.view(), 1, 10 * month + 0.5 * month, {}, out, nullptr);
  EXPECT_FLOAT_EQ(out[0], 10.0f);  // same period: full points
  m.score(ev.view(), 1, 11 * month, {}, out, nullptr);
  EXPECT_FLOAT_EQ(out[0], 5.0f);
  m.score(ev.view(), 1, 12 * month + 1, {}, out, nullptr);
  EXPECT_FLOAT_EQ(out[0], 0.0f);
}

TEST(EngagementModel, WindowPerPeriodCapOnceGroupsLimitFloor) {
  auto m = engagement_model_from_json(R"({"types": [
      {"name": "visit", "points": 5, "period_cap": {"points": 20, "period": 86400}, "group": "G"},
      {"name": "webinar", "points": 15, "count": "once", "decay": {"kind": "window", "period": 86400, "periods": 2}, "group": "G"},
      {"name": "unsub", "points": -40}],
    "groups": [{"name": "G", "max": 30}], "limit": 28, "floor": true})");
  Ev ev;
  for (int k = 0; k < 6; ++k) ev.add(0, 0, 10 * kDay + k);  // 30 raw, capped at 20 that day
  ev.add(0, 0, 11 * kDay);                                   // +5 the next day
  ev.add(1, 0, 10 * kDay);
  ev.add(1, 1, 10 * kDay);
  ev.add(1, 1, 11 * kDay);  // once: 15, not 30
  ev.add(2, 0, 10 * kDay);
  ev.add(2, 2, 10 * kDay);  // 5 - 40 floored at 0
  float out[3], per[9];
  m.score(ev.view(), 3, 11 * kDay + 10, {}, out, per);
  EXPECT_FLOAT_EQ(per[0], 25.0f);
  EXPECT_FLOAT_EQ(out[0], 25.0f);
  EXPECT_FLOAT_EQ(per[4], 15.0f);
  EXPECT_FLOAT_EQ(out[1], 20.0f);
  EXPECT_FLOAT_EQ(out[2], 0.0f);
  // Window of 2 periods: the webinar (day 11) counts on day 12, not on day 13.
  m.score(ev.view(), 3, 12 * kDay, {}, out, per);
  EXPECT_FLOAT_EQ(per[4], 15.0f);
  m.score(ev.view(), 3, 13 * kDay, {}, out, per);
  EXPECT_FLOAT_EQ(per[4], 0.0f);
  // Limit: 25 + 15 = 40 -> group cap 30 -> limit 28.
  Ev both;
  for (int k = 0; k < 5; ++k) both.add(0, 0, 10 * kDay + k);
  both.add(0, 1, 10 * kDay);
  m.score(both.view(), 1, 10 * kDay + 10, {}, out, nullptr);
  EXPECT_FLOAT_EQ(out[0], 28.0f);
}

TEST(EngagementModel, EventsAfterAsOfAreIgnored) {
  auto m = engagement_model_from_json(R"({"types": [{"name": "a", "points": 3}]})");
  Ev ev;
  ev.add(0, 0, 100.0);
  ev.add(0, 0, 200.0);
  float out[1];
  m.score(ev.view(), 1, 150.0, {}, out, nullptr);
  EXPECT_FLOAT_EQ(out[0], 3.0f);
}

TEST(EngagementModel, MatchesTheDefinitionOnRandomEvents) {
  auto m = engagement_model_from_json(kFull);
  std::mt19937 rng(7);
  for (int rep = 0; rep < 5; ++rep) {
    const Ev ev = random_events(rng, 3000, 40, int(m.n_types()), 60);
    const double as_of = kT0 + 50 * kDay + rep * 3 * kDay;  // some events are later: ignored
    std::vector<double> ref_per;
    const auto ref = reference(m, ev, 40, as_of, &ref_per);
    std::vector<float> out(40), per(40 * m.n_types());
    m.score(ev.view(), 40, as_of, {}, out.data(), per.data());
    expect_close(ref, out.data(), 40, "total");
    expect_close(ref_per, per.data(), per.size(), "per type");
    std::vector<float> out2(40);
    m.score(ev.view(), 40, as_of, {}, out2.data(), nullptr);
    EXPECT_EQ(out, out2);
  }
}

TEST(EngagementModel, BitIdenticalForAnyThreadCount) {
  auto m = engagement_model_from_json(R"({"types": [
      {"name": "a", "points": 10, "decay": {"kind": "exponential", "half_life": 604800}},
      {"name": "b", "points": -3, "decay": {"kind": "exponential", "half_life": 86400}},
      {"name": "c", "points": 1}]})");
  std::mt19937 rng(3);
  const std::size_t n_leads = 100000;
  const Ev ev = random_events(rng, std::size_t{3} << 20, int(n_leads), 3, 90);
  std::vector<float> t1(n_leads), t2(n_leads), t0(n_leads), p1(n_leads * 3), p2(n_leads * 3);
  m.score(ev.view(), n_leads, kT0 + 80 * kDay, ExecOptions{1}, t1.data(), p1.data());
  m.score(ev.view(), n_leads, kT0 + 80 * kDay, ExecOptions{2}, t2.data(), p2.data());
  m.score(ev.view(), n_leads, kT0 + 80 * kDay, ExecOptions{0}, t0.data(), nullptr);
  EXPECT_EQ(0, std::memcmp(t1.data(), t2.data(), n_leads * 4));
  EXPECT_EQ(0, std::memcmp(p1.data(), p2.data(), n_leads * 12));
  std::vector<float> t3(n_leads);
  m.score(ev.view(), n_leads, kT0 + 80 * kDay, ExecOptions{2}, t3.data(), nullptr);
  EXPECT_EQ(0, std::memcmp(t0.data(), t3.data(), n_leads * 4));
  // And the fast path agrees with the definition.
  Ev small;
  for (std::size_t i = 0; i < 20000; ++i) small.add(ev.lead[i] % 50, ev.type[i], ev.time[i], ev.mult[i]);
  const auto ref = reference(m, small, 50, kT0 + 80 * kDay);
  std::vector<float> out(50);
  m.score(small.view(), 50, kT0 + 80 * kDay, {}, out.data(), nullptr);
  expect_close(ref, out.data(), 50, "fast path");
}

TEST(EngagementModel, BadEventsAreSpecificErrorsAndWriteNothing) {
  auto m = engagement_model_from_json(kFull);
  Ev ev;
  ev.add(0, 0, kT0);
  ev.add(1, 1, kT0);
  float out[2] = {-7.0f, -7.0f};
  auto run = [&](Ev e, double as_of = kT0 + 10) {
    return [=, &m, &out]() { m.score(e.view(), 2, as_of, {}, out, nullptr); };
  };
  Ev bad = ev;
  bad.lead[1] = 2;
  EXPECT_EQ(status_of(run(bad)), LK_ERR_INVALID_ARGUMENT);
  EXPECT_NE(message_of(run(bad)).find("lead[1]"), std::string::npos);
  bad = ev;
  bad.lead[0] = -1;
  EXPECT_NE(message_of(run(bad)).find("lead[0]"), std::string::npos);
  bad = ev;
  bad.type[1] = 7;
  EXPECT_NE(message_of(run(bad)).find("type[1]: unknown event type 7"), std::string::npos);
  bad = ev;
  bad.time[1] = std::nan("");
  EXPECT_EQ(status_of(run(bad)), LK_ERR_NOT_FINITE);
  EXPECT_NE(message_of(run(bad)).find("time[1]"), std::string::npos);
  bad = ev;
  bad.time[0] = -5;
  EXPECT_NE(message_of(run(bad)).find("before the Unix epoch"), std::string::npos);
  bad = ev;
  bad.mult[1] = std::nanf("");
  EXPECT_EQ(status_of(run(bad)), LK_ERR_NOT_FINITE);
  EXPECT_NE(message_of(run(bad)).find("value[1]"), std::string::npos);
  bad = ev;
  bad.mult[0] = -1;
  EXPECT_NE(message_of(run(bad)).find("value[0]"), std::string::npos);
  EXPECT_EQ(status_of(run(ev, std::nan(""))), LK_ERR_NOT_FINITE);
  EXPECT_NE(message_of(run(ev, -1.0)).find("as_of"), std::string::npos);
  EXPECT_EQ(out[0], -7.0f);
  EXPECT_EQ(out[1], -7.0f);
  EXPECT_EQ(status_of([&] { m.score(ev.view(), 0, kT0, {}, out, nullptr); }), LK_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(status_of([&] { m.score(ev.view(), 2, kT0, {}, nullptr, nullptr); }), LK_ERR_NULL_POINTER);
  EventView nul = ev.view();
  nul.time = nullptr;
  EXPECT_EQ(status_of([&] { m.score(nul, 2, kT0, {}, out, nullptr); }), LK_ERR_NULL_POINTER);
}

TEST(EngagementModel, FusedScreenOfTheFastPathNamesTheFirstBadEvent) {
  // Every type goes through the kernel pass, which screens blocks as it goes.
  auto m = engagement_model_from_json(R"({"types": [
      {"name": "a", "points": 10, "decay": {"kind": "exponential", "half_life": 604800}},
      {"name": "b", "points": 1}]})");
  std::mt19937 rng(9);
  Ev ev = random_events(rng, std::size_t{5} << 20, 1000, 2, 30);
  std::vector<float> out(1000, -3.0f);
  const std::size_t last = ev.lead.size() - 1;
  Ev bad = ev;
  bad.lead[last] = 1000;
  bad.type[last - 5] = 2;
  for (int threads : {1, 2}) {
    EXPECT_NE(message_of([&] { m.score(bad.view(), 1000, kT0 + 40 * kDay, ExecOptions{threads}, out.data(), nullptr); })
                  .find("type[" + std::to_string(last - 5) + "]"),
              std::string::npos);
  }
  bad = ev;
  bad.time[3 << 20] = std::nan("");
  EXPECT_EQ(status_of([&] { m.score(bad.view(), 1000, kT0, {}, out.data(), nullptr); }), LK_ERR_NOT_FINITE);
  EXPECT_EQ(out, std::vector<float>(1000, -3.0f));
}

TEST(EngagementModelJson, ErrorsNameThePathAndRoundTrip) {
  auto path_error = [](const char* text) {
    return message_of([&] { engagement_model_from_json(nlohmann::json::parse(text), "scorecard.engagement"); });
  };
  EXPECT_NE(path_error(R"({"types": [{"name": "a", "points": 1}, {"name": "b", "points": 1},
      {"name": "c", "points": 1, "decay": {"kind": "exponential", "half_life": -3}}]})")
                .find("scorecard.engagement.types[2].decay.half_life"),
            std::string::npos);
  EXPECT_NE(path_error(R"({"types": [{"name": "a", "points": 1, "decay": {"kind": "cubic"}}]})")
                .find("scorecard.engagement.types[0].decay.kind"),
            std::string::npos);
  EXPECT_NE(path_error(R"({"types": [{"name": "a", "points": 1, "decya": {}}]})").find("unknown field \"decya\""),
            std::string::npos);
  EXPECT_NE(path_error(R"({"types": [{"name": "a", "points": 1, "count": "twice"}]})")
                .find("types[0].count"),
            std::string::npos);
  EXPECT_NE(path_error(R"({"types": [{"name": "a", "points": 1, "group": "X"}]})").find("types[0].group"),
            std::string::npos);
  EXPECT_NE(path_error(R"({"types": [{"name": "a", "points": 1, "decay": {"kind": "linear", "percent": 0.001, "period": 60}}]})")
                .find("scorecard.engagement.types[0].decay.percent"),
            std::string::npos);
  EXPECT_NE(path_error(R"({"types": []})").find("scorecard.engagement.types"), std::string::npos);
  EXPECT_NE(path_error(R"({"types": [{"name": "a", "points": 1}, {"name": "a", "points": 2}]})").find("duplicate"),
            std::string::npos);
  EXPECT_EQ(status_of([] { engagement_model_from_json(std::string("{nope")); }), LK_ERR_INVALID_ARGUMENT);

  auto m = engagement_model_from_json(kFull);
  const auto j = engagement_model_to_json(m);
  auto m2 = engagement_model_from_json(j, "again");
  EXPECT_EQ(engagement_model_to_json(m2), j);
  EXPECT_EQ(m2.type_index("click"), 5);
  EXPECT_EQ(m2.type_index("nope"), -1);
}

// The streaming property: any split of a time-ordered event stream into
// apply() calls with increasing as_of reads the same as the batch.
TEST(EngagementState, EqualsBatchOnRandomStreams) {
  auto m = std::make_shared<const EngagementModel>(engagement_model_from_json(kFull));
  std::mt19937 rng(11);
  for (int rep = 0; rep < 12; ++rep) {
    const int n_leads = 30;
    Ev ev = random_events(rng, 2500, n_leads, int(m->n_types()), 200);
    // Apply in time order (the state's contract), chunked at random cut times.
    std::vector<std::size_t> order(ev.lead.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return ev.time[a] < ev.time[b]; });
    Ev sorted;
    for (auto i : order) sorted.add(ev.lead[i], ev.type[i], ev.time[i], ev.mult[i]);
    // Shuffle within each chunk: apply() takes a chunk's events in any order.
    EngagementState st(m, n_leads);
    std::size_t b = 0;
    std::uniform_int_distribution<std::size_t> step(1, 400);
    while (b < sorted.lead.size()) {
      std::size_t e = std::min(sorted.lead.size(), b + step(rng));
      while (e < sorted.lead.size() && sorted.time[e] == sorted.time[e - 1]) ++e;  // cut between times
      double as_of = sorted.time[e - 1] + (rep % 2 ? 0.0 : 3600.0);
      if (e < sorted.lead.size()) as_of = std::min(as_of, sorted.time[e]);
      Ev chunk;
      std::vector<std::size_t> idx;
      for (std::size_t i = b; i < e; ++i) idx.push_back(i);
      std::shuffle(idx.begin(), idx.end(), rng);
      for (auto i : idx) chunk.add(sorted.lead[i], sorted.type[i], sorted.time[i], sorted.mult[i]);
      st.apply(chunk.view(), as_of);
      // Read mid-stream: equal to the batch over the events so far.
      if (rng() % 5 == 0) {
        Ev so_far = sorted;
        so_far.lead.resize(e), so_far.type.resize(e), so_far.time.resize(e), so_far.mult.resize(e);
        const double at = as_of + double(rng() % 100000);
        std::vector<double> ref_per;
        const auto ref = reference(*m, so_far, n_leads, at, &ref_per);
        std::vector<float> got(n_leads), per(n_leads * m->n_types());
        st.scores(at, {}, got.data(), per.data());
        expect_close(ref, got.data(), n_leads, "stream total");
        expect_close(ref_per, per.data(), per.size(), "stream per type");
      }
      b = e;
    }
    const double end = st.now() + 40 * kDay;
    const auto ref = reference(*m, ev, n_leads, end);
    std::vector<float> got(n_leads), batch(n_leads);
    st.scores(end, {}, got.data(), nullptr);
    m->score(ev.view(), n_leads, end, {}, batch.data(), nullptr);
    expect_close(ref, got.data(), n_leads, "final stream");
    expect_close(ref, batch.data(), n_leads, "final batch");
  }
}

TEST(EngagementState, ReanchorsOverLongSpans) {
  // A 1-hour half-life over two years: 17520 half-lives, far beyond any float or
  // double exponent without re-anchoring.
  auto m = std::make_shared<const EngagementModel>(engagement_model_from_json(
      R"({"types": [{"name": "a", "points": 8, "decay": {"kind": "exponential", "half_life": 3600}}]})"));
  EngagementState st(m, 2);
  Ev all;
  for (int d = 0; d < 730; d += 3) {
    Ev ev;
    ev.add(d % 2, 0, kT0 + d * kDay);
    ev.add(0, 0, kT0 + d * kDay + 1800);
    st.apply(ev.view(), kT0 + d * kDay + 3600);
    for (std::size_t i = 0; i < 2; ++i) all.add(ev.lead[i], ev.type[i], ev.time[i]);
  }
  const double at = st.now() + 1800;
  const auto ref = reference(*m, all, 2, at);
  std::vector<float> got(2);
  st.scores(at, {}, got.data(), nullptr);
  expect_close(ref, got.data(), 2, "long span");
  EXPECT_GT(got[0], 1.0f);
}

TEST(EngagementState, RejectsGoingBackInTimeAndLeavesStateUnchanged) {
  auto m = std::make_shared<const EngagementModel>(engagement_model_from_json(kFull));
  EngagementState st(m, 3);
  Ev ev;
  ev.add(0, 0, kT0);
  ev.add(1, 3, kT0 + 5);
  st.apply(ev.view(), kT0 + 10);
  const std::string before = st.serialize();
  Ev late;
  late.add(2, 1, kT0 + 20);
  late.add(2, 1, kT0 + 9);  // earlier than now
  EXPECT_NE(message_of([&] { st.apply(late.view(), kT0 + 30); }).find("time[1]"), std::string::npos);
  EXPECT_NE(message_of([&] { st.apply(late.view(), kT0 + 30); }).find("cannot go back in time"), std::string::npos);
  Ev future;
  future.add(2, 1, kT0 + 50);
  EXPECT_NE(message_of([&] { st.apply(future.view(), kT0 + 30); }).find("later than as_of"), std::string::npos);
  EXPECT_NE(message_of([&] { st.apply(Ev{}.view(), kT0 + 5); }).find("as_of"), std::string::npos);
  Ev badlead;
  badlead.add(0, 0, kT0 + 20);
  badlead.add(3, 0, kT0 + 20);
  EXPECT_EQ(status_of([&] { st.apply(badlead.view(), kT0 + 30); }), LK_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(st.serialize(), before);
  EXPECT_DOUBLE_EQ(st.now(), kT0 + 10);
  float out[3];
  EXPECT_NE(message_of([&] { st.scores(kT0 + 9, {}, out, nullptr); }).find("cannot go back in time"), std::string::npos);
}

TEST(EngagementState, SerializesAndRejectsBadBytes) {
  auto m = std::make_shared<const EngagementModel>(engagement_model_from_json(kFull));
  std::mt19937 rng(5);
  Ev ev = random_events(rng, 500, 10, int(m->n_types()), 10);
  std::vector<std::size_t> order(ev.lead.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  EngagementState st(m, 10);
  st.apply(ev.view(), kT0 + 10 * kDay);
  const std::string bytes = st.serialize();
  auto back = EngagementState::deserialize(bytes.data(), bytes.size());
  EXPECT_EQ(back->serialize(), bytes);
  std::vector<float> a(10), b(10);
  st.scores(kT0 + 12 * kDay, {}, a.data(), nullptr);
  back->scores(kT0 + 12 * kDay, {}, b.data(), nullptr);
  EXPECT_EQ(a, b);
  // Continues exactly where it left off.
  Ev more;
  more.add(3, 0, kT0 + 11 * kDay);
  st.apply(more.view(), kT0 + 11 * kDay);
  back->apply(more.view(), kT0 + 11 * kDay);
  EXPECT_EQ(back->serialize(), st.serialize());

  auto load = [&](const std::string& s) { return [s] { EngagementState::deserialize(s.data(), s.size()); }; };
  for (std::size_t cut : {std::size_t{0}, std::size_t{7}, std::size_t{19}, std::size_t{20}, bytes.size() / 2, bytes.size() - 1}) {
    EXPECT_EQ(status_of(load(bytes.substr(0, cut))), LK_ERR_FORMAT) << cut;
  }
  std::string corrupt = bytes;
  corrupt[bytes.size() / 2] ^= 0x40;
  EXPECT_NE(message_of(load(corrupt)).find("CRC-32"), std::string::npos);
  std::string magic = bytes;
  magic[0] = 'X';
  EXPECT_NE(message_of(load(magic)).find("magic"), std::string::npos);
  std::string version = bytes;
  version[4] = 9;
  EXPECT_NE(message_of(load(version)).find("format version"), std::string::npos);
  EXPECT_EQ(status_of(load(bytes + "x")), LK_ERR_FORMAT);
}

TEST(Rollup, AggregatesPerAccount) {
  const float v[] = {10, 0, 30, 5, 7};
  const std::int32_t acc[] = {0, 0, 2, -1, 0};
  float sum[3], mx[3], mean[3];
  std::int64_t cnt[3], leads[3];
  rollup(v, acc, 5, 3, 6.0f, sum, mx, mean, cnt, leads);
  EXPECT_FLOAT_EQ(sum[0], 17.0f);
  EXPECT_FLOAT_EQ(mx[0], 10.0f);
  EXPECT_NEAR(mean[0], 17.0f / 3, 1e-6f);
  EXPECT_EQ(cnt[0], 2);
  EXPECT_EQ(leads[0], 3);
  EXPECT_EQ(sum[1], 0.0f);
  EXPECT_TRUE(std::isnan(mx[1]));
  EXPECT_EQ(leads[1], 0);
  EXPECT_EQ(cnt[2], 1);
  const std::int32_t bad[] = {0, 3, 0, 0, 0};
  sum[0] = -1;
  EXPECT_NE(message_of([&] { rollup(v, bad, 5, 3, 0.f, sum, nullptr, nullptr, nullptr, nullptr); }).find("account[1]"),
            std::string::npos);
  EXPECT_EQ(sum[0], -1.0f);
  const float nanv[] = {1, std::nanf("")};
  EXPECT_EQ(status_of([&] { rollup(nanv, acc, 2, 3, 0.f, sum, nullptr, nullptr, nullptr, nullptr); }), LK_ERR_NOT_FINITE);
}
