// Logistic (linear + sigmoid) scoring through the public C API, the door a
// product uses. Counters: items/s = leads/s, bytes/s = feature bytes read +
// probabilities written (the memory-bandwidth bound), FLOP/s = 2*D per lead.
//
//   build/release/benchmarks/leadkit_bench --benchmark_filter=Logistic
#include <benchmark/benchmark.h>

#include <random>
#include <stdexcept>
#include <vector>

#include "huge_pages.hpp"
#include "leadkit/leadkit.h"

namespace {

struct Fixture {
  leadkit_bench::HugeVector<float> X;  // numpy's kind of memory (huge_pages.hpp)
  std::vector<float> w;
  lk_logistic_model* model = nullptr;
  Fixture(std::size_t rows, std::size_t cols) : X(rows * cols), w(cols) {
    std::mt19937 rng(42);
    std::normal_distribution<float> nd(0.0f, 1.0f);
    for (auto& v : X) v = nd(rng);
    for (auto& v : w) v = 0.1f * nd(rng);
    if (lk_logistic_model_create(w.data(), cols, 0.5f, &model) != LK_OK)
      throw std::runtime_error(lk_last_error());
  }
  ~Fixture() { lk_logistic_model_free(model); }
  Fixture(const Fixture&) = delete;
  Fixture& operator=(const Fixture&) = delete;
};

void set_counters(benchmark::State& state, std::size_t rows, std::size_t cols) {
  const auto items = static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(rows);
  state.SetItemsProcessed(items);
  state.SetBytesProcessed(items * static_cast<int64_t>((cols + 1) * sizeof(float)));
  state.counters["FLOP/s"] = benchmark::Counter(2.0 * static_cast<double>(rows * cols),
                                                benchmark::Counter::kIsIterationInvariantRate);
}

using ScoreFn = lk_status (*)(const lk_logistic_model*, const float*, size_t, size_t, size_t,
                               const lk_exec_options*, float*);

// Batch scoring through `fn`: args = rows, cols, threads.
void run_batch(benchmark::State& state, ScoreFn fn) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  const auto cols = static_cast<std::size_t>(state.range(1));
  Fixture f(rows, cols);
  leadkit_bench::HugeVector<float> out(rows);
  lk_exec_options o;
  lk_exec_options_init(&o);
  o.threads = static_cast<int32_t>(state.range(2));
  for (auto _ : state) {
    if (fn(f.model, f.X.data(), rows, cols, cols, &o, out.data()) != LK_OK)
      state.SkipWithError(lk_last_error());
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, rows, cols);
}

void BM_LogisticPredict(benchmark::State& state) { run_batch(state, &lk_logistic_model_predict); }
BENCHMARK(BM_LogisticPredict)
    ->ArgNames({"rows", "cols", "threads"})
    ->Args({2000000, 64, 1})
    ->Args({2000000, 64, 2})
    ->Args({100000, 64, 1})  // 25 MiB: still out of cache
    ->Args({10000, 64, 1})   // 2.5 MiB: in L2/L3
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The raw score (no sigmoid): the floor the fused sigmoid is measured against.
void BM_LogisticDecision(benchmark::State& state) {
  run_batch(state, &lk_logistic_model_decision_function);
}
BENCHMARK(BM_LogisticDecision)
    ->ArgNames({"rows", "cols", "threads"})
    ->Args({2000000, 64, 1})
    ->Args({2000000, 64, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Probabilities plus the top-3 reasons per lead (issue target: >= 10M leads/s
// on one thread).
void BM_LogisticReasonsTop3(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  const auto cols = static_cast<std::size_t>(state.range(1));
  constexpr std::size_t k = 3;
  Fixture f(rows, cols);
  std::vector<float> p(rows), c(rows * k);
  std::vector<int32_t> feat(rows * k);
  lk_exec_options o;
  lk_exec_options_init(&o);
  o.threads = static_cast<int32_t>(state.range(2));
  for (auto _ : state) {
    if (lk_logistic_model_reasons(f.model, f.X.data(), rows, cols, cols, k, &o, p.data(), feat.data(),
                                  c.data()) != LK_OK)
      state.SkipWithError(lk_last_error());
    benchmark::DoNotOptimize(c.data());
  }
  set_counters(state, rows, cols);
}
BENCHMARK(BM_LogisticReasonsTop3)
    ->ArgNames({"rows", "cols", "threads"})
    ->Args({1000000, 64, 1})
    ->Args({1000000, 64, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// One lead at a time through the C API: the real-time path of a product.
void BM_LogisticSingleLead(benchmark::State& state) {
  const auto cols = static_cast<std::size_t>(state.range(0));
  Fixture f(1, cols);
  float out = 0.0f;
  lk_exec_options o;
  lk_exec_options_init(&o);
  o.threads = 1;
  for (auto _ : state) {
    if (lk_logistic_model_predict(f.model, f.X.data(), 1, cols, cols, &o, &out) != LK_OK)
      state.SkipWithError(lk_last_error());
    benchmark::DoNotOptimize(out);
  }
  set_counters(state, 1, cols);
}
BENCHMARK(BM_LogisticSingleLead)->ArgNames({"cols"})->Arg(64);

}  // namespace
