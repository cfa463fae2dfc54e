// Engagement scoring through the C API: 20M events over 1M leads, 8 event
// types with exponential decay (half-lives 1 day .. 90 days), timestamps over
// one year, scored as of the end of the year. items/s = events/s; bytes/s
// counts the event arrays read (lead 4 + type 4 + time 8 = 16 bytes/event)
// plus the totals written.
//
//   build/release/benchmarks/leadkit_bench --benchmark_filter=Engagement
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "huge_pages.hpp"
#include "leadkit/leadkit.h"
#include "limits.h"
#include "paired.hpp"

namespace {

struct EngagementFixture {
  static constexpr std::size_t kEvents = 20000000, kLeads = 1000000, kTypes = 8;
  static constexpr double kStart = 1.7e9, kSpan = 365 * 86400.0;
  std::vector<int32_t> lead, type;
  std::vector<double> time;
  // The same events in time order, for streaming.
  std::vector<int32_t> s_lead, s_type;
  std::vector<double> s_time;
  lk_engagement_model* model = nullptr;
  EngagementFixture() : lead(kEvents), type(kEvents), time(kEvents) {
    std::string m = R"({"types": [)";
    const double half_days[kTypes] = {1, 3, 7, 14, 30, 45, 60, 90};
    for (std::size_t t = 0; t < kTypes; ++t) {
      if (t) m += ",";
      m += R"({"name": "t)" + std::to_string(t) + R"(", "points": )" + std::to_string(t % 3 == 2 ? -2 : 1 + int(t)) +
           R"(, "decay": {"kind": "exponential", "half_life": )" + std::to_string(half_days[t] * 86400.0) + "}}";
    }
    m += "]}";
    if (lk_engagement_model_from_json(m.c_str(), &model) != LK_OK) throw std::runtime_error(lk_last_error());
    std::mt19937_64 rng(7);
    std::uniform_int_distribution<int32_t> L(0, kLeads - 1), T(0, kTypes - 1);
    std::uniform_real_distribution<double> S(0.0, kSpan);
    for (std::size_t i = 0; i < kEvents; ++i) {
      lead[i] = L(rng);
      type[i] = T(rng);
      time[i] = kStart + std::floor(S(rng));
    }
    std::vector<std::size_t> order(kEvents);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return time[a] < time[b]; });
    s_lead.resize(kEvents);
    s_type.resize(kEvents);
    s_time.resize(kEvents);
    for (std::size_t i = 0; i < kEvents; ++i) {
      s_lead[i] = lead[order[i]];
      s_type[i] = type[order[i]];
      s_time[i] = time[order[i]];
    }
  }
  ~EngagementFixture() { lk_engagement_model_free(model); }
};

const EngagementFixture& fixture() {
  static const EngagementFixture f;
  return f;
}

void BM_EngagementBatchDecay(benchmark::State& state) {
  const auto& f = fixture();
  std::vector<float> out(f.kLeads);
  lk_exec_options o;
  lk_exec_options_init(&o);
  o.threads = static_cast<int32_t>(state.range(0));
  // One untimed call first. The first call after other work (in a random
  // interleaving, a limit benchmark that mapped and freed its own 320 MB)
  // ran 1.7-7x slower than the calls after it; timing it made Google
  // Benchmark settle on one iteration per repetition and report that call.
  if (lk_engagement_model_score(f.model, f.lead.data(), f.type.data(), f.time.data(), nullptr, f.kEvents, f.kLeads,
                                f.kStart + f.kSpan, &o, out.data(), nullptr) != LK_OK)
    state.SkipWithError(lk_last_error());
  for (auto _ : state) {
    if (lk_engagement_model_score(f.model, f.lead.data(), f.type.data(), f.time.data(), nullptr,
                                  f.kEvents, f.kLeads, f.kStart + f.kSpan, &o, out.data(), nullptr) != LK_OK)
      state.SkipWithError(lk_last_error());
    benchmark::DoNotOptimize(out.data());
  }
  const auto it = static_cast<int64_t>(state.iterations());
  state.SetItemsProcessed(it * static_cast<int64_t>(f.kEvents));
  state.SetBytesProcessed(it * static_cast<int64_t>(f.kEvents * 16 + f.kLeads * 4));
}
BENCHMARK(BM_EngagementBatchDecay)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// BM_EngagementBatchDecay paired call by call with the scatter-add limit
// over the very same events on as many threads (lkb_scatter_add_events, the
// loop of BM_LimitScatterAddEvents, into sums in the same kind of memory as
// leadkit's): "of_limit" is the median of each call's events/s over the
// limit's events/s measured next to it (paired.hpp), "limit" the median
// limit. compare_peers.py's C API rows.
void BM_EngagementBatchDecayPaired(benchmark::State& state) {
  const auto& f = fixture();
  std::vector<float> out(f.kLeads);
  const auto threads = static_cast<int>(state.range(0));
  lk_exec_options o;
  lk_exec_options_init(&o);
  o.threads = threads;
  const float table[EngagementFixture::kTypes] = {1, 2, -2, 4, 5, -2, 7, 8};
  leadkit_bench::HugeVector<float> sums(static_cast<std::size_t>(threads) * f.kLeads);
  auto score = [&] {
    if (lk_engagement_model_score(f.model, f.lead.data(), f.type.data(), f.time.data(), nullptr, f.kEvents, f.kLeads,
                                  f.kStart + f.kSpan, &o, out.data(), nullptr) != LK_OK)
      state.SkipWithError(lk_last_error());
    benchmark::DoNotOptimize(out.data());
  };
  score();  // untimed, as BM_EngagementBatchDecay's first call
  leadkit_bench::Paired paired;
  for (auto _ : state) {
    paired.iteration(state, double(f.kEvents), score, [&] {
      const auto s0 = std::chrono::steady_clock::now();
      if (lkb_scatter_add_events(f.lead.data(), f.type.data(), f.time.data(), f.kEvents, table, f.kTypes, f.kLeads,
                                 threads, sums.data()) != 0)
        state.SkipWithError("lkb_scatter_add_events failed");
      benchmark::DoNotOptimize(sums.data());
      return double(f.kEvents) / std::chrono::duration<double>(std::chrono::steady_clock::now() - s0).count();
    });
  }
  const auto it = static_cast<int64_t>(state.iterations());
  state.SetItemsProcessed(it * static_cast<int64_t>(f.kEvents));
  state.SetBytesProcessed(it * static_cast<int64_t>(f.kEvents * 16 + f.kLeads * 4));
  paired.report(state);
}
BENCHMARK(BM_EngagementBatchDecayPaired)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseManualTime();

// Streaming: the year's events in time order, applied in chunks of
// state.range(0) events (as_of = the chunk's last event) to a fresh state.
void BM_EngagementStreamApply(benchmark::State& state) {
  const auto& f = fixture();
  const auto chunk = static_cast<std::size_t>(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    lk_engagement_state* st = nullptr;
    if (lk_engagement_state_create(f.model, f.kLeads, &st) != LK_OK) state.SkipWithError(lk_last_error());
    state.ResumeTiming();
    for (std::size_t b = 0; b < f.kEvents; b += chunk) {
      const std::size_t n = std::min(chunk, f.kEvents - b);
      if (lk_engagement_state_apply(st, f.s_lead.data() + b, f.s_type.data() + b, f.s_time.data() + b,
                                    nullptr, n, f.s_time[b + n - 1]) != LK_OK) {
        state.SkipWithError(lk_last_error());
        break;
      }
    }
    state.PauseTiming();
    lk_engagement_state_free(st);
    state.ResumeTiming();
  }
  const auto it = static_cast<int64_t>(state.iterations());
  state.SetItemsProcessed(it * static_cast<int64_t>(f.kEvents));
  state.SetBytesProcessed(it * static_cast<int64_t>(f.kEvents * 16));
}
BENCHMARK(BM_EngagementStreamApply)->ArgName("chunk")->Arg(1000)->Arg(65536)->Unit(benchmark::kMillisecond)->UseRealTime();

// Reading every lead's current score from the state (1M leads, 8 types).
void BM_EngagementStateScores(benchmark::State& state) {
  const auto& f = fixture();
  lk_engagement_state* st = nullptr;
  if (lk_engagement_state_create(f.model, f.kLeads, &st) != LK_OK ||
      lk_engagement_state_apply(st, f.s_lead.data(), f.s_type.data(), f.s_time.data(), nullptr,
                                f.kEvents, f.s_time.back()) != LK_OK)
    state.SkipWithError(lk_last_error());
  std::vector<float> out(f.kLeads);
  lk_exec_options o;
  lk_exec_options_init(&o);
  o.threads = static_cast<int32_t>(state.range(0));
  for (auto _ : state) {
    if (lk_engagement_state_scores(st, f.s_time.back() + 3600, &o, out.data(), nullptr) != LK_OK)
      state.SkipWithError(lk_last_error());
    benchmark::DoNotOptimize(out.data());
  }
  lk_engagement_state_free(st);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(f.kLeads));
}
BENCHMARK(BM_EngagementStateScores)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

namespace {

// Every feature at once (the order-dependent kinds run on one thread after the
// kernel pass): the same 20M events, 8 types: 2 exponential, linear, window,
// an exponential type with a per-day cap, count-once, a capped plain type and a
// negative type, with groups, a limit and a floor.
void BM_EngagementBatchMixed(benchmark::State& state) {
  const auto& f = fixture();
  static lk_engagement_model* model = [] {
    lk_engagement_model* m = nullptr;
    const char* json = R"({"types": [
      {"name": "a", "points": 10, "decay": {"kind": "exponential", "half_life": 2592000}, "group": "G"},
      {"name": "b", "points": 3, "decay": {"kind": "exponential", "half_life": 86400}},
      {"name": "c", "points": 2, "decay": {"kind": "linear", "percent": 25, "period": 604800}},
      {"name": "d", "points": 5, "decay": {"kind": "window", "period": 86400, "periods": 30}, "group": "G"},
      {"name": "e", "points": 1, "decay": {"kind": "exponential", "half_life": 86400},
       "period_cap": {"points": 3, "period": 86400}},
      {"name": "f", "points": 15, "count": "once", "decay": {"kind": "exponential", "half_life": 604800}},
      {"name": "g", "points": 4, "cap": 20},
      {"name": "h", "points": -20}],
      "groups": [{"name": "G", "max": 60}], "limit": 100, "floor": true})";
    if (lk_engagement_model_from_json(json, &m) != LK_OK) throw std::runtime_error(lk_last_error());
    return m;
  }();
  std::vector<float> out(f.kLeads);
  lk_exec_options o;
  lk_exec_options_init(&o);
  o.threads = static_cast<int32_t>(state.range(0));
  for (auto _ : state) {
    if (lk_engagement_model_score(model, f.lead.data(), f.type.data(), f.time.data(), nullptr,
                                  f.kEvents, f.kLeads, f.kStart + f.kSpan, &o, out.data(), nullptr) != LK_OK)
      state.SkipWithError(lk_last_error());
    benchmark::DoNotOptimize(out.data());
  }
  const auto it = static_cast<int64_t>(state.iterations());
  state.SetItemsProcessed(it * static_cast<int64_t>(f.kEvents));
  state.SetBytesProcessed(it * static_cast<int64_t>(f.kEvents * 16 + f.kLeads * 4));
}
BENCHMARK(BM_EngagementBatchMixed)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
