// Persona matching and k-means discovery through the public C API.
// Counters: items/s = leads/s; bytes/s = feature bytes read + results written;
// FLOP/s = 2 * K * D per lead (the FMA work of the similarities; the kernel is
// compute-bound for K >= 32, so FLOP/s against the core's FMA peak is the
// distance to the limit).
//
//   build/release/benchmarks/leadkit_bench --benchmark_filter=Persona
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "leadkit/leadkit.h"
#include "limits.h"
#include "paired.hpp"

#if defined(LEADKIT_BENCH_FAISS)
#include <dlfcn.h>
#include <faiss/IndexFlat.h>
#include <omp.h>
#endif

namespace {

std::vector<float> normalised_rows(std::size_t rows, std::size_t cols, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> nd(0.0f, 1.0f);
  std::vector<float> X(rows * cols);
  for (std::size_t i = 0; i < rows; ++i) {
    double n = 0;
    for (std::size_t j = 0; j < cols; ++j) {
      X[i * cols + j] = nd(rng);
      n += double(X[i * cols + j]) * double(X[i * cols + j]);
    }
    for (std::size_t j = 0; j < cols; ++j)
      X[i * cols + j] = float(double(X[i * cols + j]) / std::sqrt(n));
  }
  return X;
}

struct Personas {
  lk_persona_set* set = nullptr;
  Personas(std::size_t K, std::size_t D, lk_persona_metric metric = LK_PERSONA_COSINE) {
    const std::vector<float> P = normalised_rows(K, D, 7);
    std::vector<std::string> names(K);
    std::vector<const char*> ptr(K);
    for (std::size_t k = 0; k < K; ++k) {
      names[k] = "p" + std::to_string(k);
      ptr[k] = names[k].c_str();
    }
    if (lk_persona_set_from_profiles(P.data(), K, D, ptr.data(), nullptr, metric, 0.0f, &set) !=
        LK_OK)
      throw std::runtime_error(lk_last_error());
  }
  ~Personas() { lk_persona_set_free(set); }
  Personas(const Personas&) = delete;
  Personas& operator=(const Personas&) = delete;
};

// One point of the matching grid (see match_grid): args rows, K, top-k,
// threads; D = 64; the first `rows` of one fixed set of 1M unit leads.
struct MatchCase {
  static constexpr std::size_t D = 64;
  std::size_t rows, K, k;
  int threads;
  explicit MatchCase(const benchmark::State& state)
      : rows(static_cast<std::size_t>(state.range(0))),
        K(static_cast<std::size_t>(state.range(1))),
        k(static_cast<std::size_t>(state.range(2))),
        threads(static_cast<int>(state.range(3))) {}
  static const std::vector<float>& leads() {
    static const std::vector<float> X = normalised_rows(1000000, D, 1);
    return X;
  }
  // leads/s, and FLOP/s counting 2 * D per (lead, persona).
  void set_counters(benchmark::State& state) const {
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(rows));
    state.counters["FLOP/s"] =
        benchmark::Counter(2.0 * double(rows * K * D), benchmark::Counter::kIsIterationInvariantRate);
  }
};

// A MatchCase's call: its personas, outputs allocated once, the options.
struct MatchCall {
  const MatchCase& c;
  const std::vector<float>& X = MatchCase::leads();  // built here, before any timing
  Personas p;
  std::vector<std::int32_t> best, topi;
  std::vector<float> sim, margin, tops;
  lk_exec_options o;
  explicit MatchCall(const MatchCase& mc)
      : c(mc), p(mc.K, MatchCase::D), best(mc.rows), topi(mc.rows * mc.k), sim(mc.rows), margin(mc.rows),
        tops(mc.rows * mc.k) {
    lk_exec_options_init(&o);
    o.threads = mc.threads;
  }
  void operator()(benchmark::State& state) {
    const std::size_t D = MatchCase::D;
    if (lk_persona_match(p.set, X.data(), c.rows, D, D, c.k, &o, best.data(), sim.data(),
                         margin.data(), c.k > 1 ? topi.data() : nullptr, c.k > 1 ? tops.data() : nullptr) != LK_OK)
      state.SkipWithError(lk_last_error());
    benchmark::DoNotOptimize(best.data());
    benchmark::ClobberMemory();
  }
};

void BM_PersonaMatch(benchmark::State& state) {
  const MatchCase c(state);
  MatchCall call(c);
  for (auto _ : state) call(state);
  c.set_counters(state);
  const std::size_t out_bytes = 4 * 3 + (c.k > 1 ? 8 * c.k : 0);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(c.rows) *
                          static_cast<int64_t>(MatchCase::D * sizeof(float) + out_bytes));
}
// 1M leads; K = 32 and 256; top-1 and top-3; 1 and 2 threads (the issue's
// grid, shared with the faiss peer below).
void match_grid(benchmark::internal::Benchmark* b) {
  b->ArgNames({"rows", "K", "k", "threads"});
  for (long k : {1, 3})
    for (long K : {32, 256})
      for (long t : {1, 2}) b->Args({1000000, K, k, t});
  b->Unit(benchmark::kMillisecond);
}
BENCHMARK(BM_PersonaMatch)->Apply(match_grid)->UseRealTime();

// BM_PersonaMatch paired call by call with the FMA peak on as many threads
// (lkb_fma_peak, the loop of BM_LimitFmaPeak, ~50 ms per run): "of_limit" is
// the median of each call's FLOP/s over the peak measured next to it
// (paired.hpp), "limit" the median peak. compare_peers.py's C API rows.
void BM_PersonaMatchPaired(benchmark::State& state) {
  const MatchCase c(state);
  MatchCall call(c);
  if (lkb_fma_lanes() == 0) {
    state.SkipWithError("no FMA unit the limits library knows: no limit to pair with");
    return;
  }
  // The peak's iterations for ~50 ms, from a short run.
  double flop = 0;
  const std::int64_t probe = 1 << 20;
  const auto t0 = std::chrono::steady_clock::now();
  if (lkb_fma_peak(c.threads, probe, &flop) != 0) state.SkipWithError("lkb_fma_peak failed");
  const double probe_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const auto iters = std::max<std::int64_t>(probe, static_cast<std::int64_t>(probe * 0.05 / probe_s));
  leadkit_bench::Paired paired;
  for (auto _ : state) {
    paired.iteration(state, 2.0 * double(c.rows * c.K * MatchCase::D), [&] { call(state); }, [&] {
      const auto s0 = std::chrono::steady_clock::now();
      if (lkb_fma_peak(c.threads, iters, &flop) != 0) state.SkipWithError("lkb_fma_peak failed");
      return flop / std::chrono::duration<double>(std::chrono::steady_clock::now() - s0).count();
    });
  }
  c.set_counters(state);
  paired.report(state);
}
BENCHMARK(BM_PersonaMatchPaired)->Apply(match_grid)->UseManualTime();

// One product call: a handful of leads, one thread (latency).
void BM_PersonaMatchSmall(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  const auto K = static_cast<std::size_t>(state.range(1));
  constexpr std::size_t D = 64;
  const std::vector<float> X = normalised_rows(rows, D, 2);
  Personas p(K, D);
  std::vector<std::int32_t> best(rows);
  std::vector<float> sim(rows), margin(rows);
  lk_exec_options o;
  lk_exec_options_init(&o);
  o.threads = 1;
  for (auto _ : state) {
    if (lk_persona_match(p.set, X.data(), rows, D, D, 1, &o, best.data(), sim.data(), margin.data(),
                         nullptr, nullptr) != LK_OK)
      state.SkipWithError(lk_last_error());
    benchmark::DoNotOptimize(best.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(rows));
  state.counters["FLOP/s"] =
      benchmark::Counter(2.0 * double(rows * K * D), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_PersonaMatchSmall)
    ->ArgNames({"rows", "K"})
    ->Args({8, 32})
    ->Args({1, 32})
    ->Unit(benchmark::kMicrosecond);

// Lloyd k-means from fixed initial centres, a fixed number of iterations
// (tol = 0): args = rows, k, iterations, threads; D = 64. FLOP/s counts the
// assignment step (2 * k * D per lead per iteration).
void BM_PersonaKMeans(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  const auto k = static_cast<std::size_t>(state.range(1));
  const auto iters = static_cast<std::size_t>(state.range(2));
  constexpr std::size_t D = 64;
  std::mt19937 rng(5);
  std::normal_distribution<float> nd(0.0f, 1.0f);
  std::vector<float> centres(k * D), X(rows * D);
  // Weakly separated groups: Lloyd keeps moving for all the iterations asked.
  for (auto& v : centres) v = 0.5f * nd(rng);
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < D; ++j) X[i * D + j] = centres[(i % k) * D + j] + nd(rng);
  std::vector<float> init(X.begin(), X.begin() + static_cast<std::ptrdiff_t>(k * D));
  std::vector<float> out(k * D);
  std::vector<std::int32_t> labels(rows);
  lk_persona_kmeans_params p;
  lk_persona_kmeans_params_init(&p);
  p.k = k;
  p.max_iter = iters;
  p.tol = 0.0;
  p.init = init.data();
  lk_exec_options o;
  lk_exec_options_init(&o);
  o.threads = static_cast<int32_t>(state.range(3));
  double inertia = 0;
  std::size_t n_iter = 0;
  for (auto _ : state) {
    if (lk_persona_kmeans(X.data(), rows, D, D, &p, &o, out.data(), labels.data(), &inertia,
                          &n_iter) != LK_OK)
      state.SkipWithError(lk_last_error());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(rows * n_iter));
  state.counters["inertia"] = inertia;
  state.counters["n_iter"] = double(n_iter);
  state.counters["FLOP/s"] = benchmark::Counter(2.0 * double(rows * k * D * n_iter),
                                                benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_PersonaKMeans)
    ->ArgNames({"rows", "k", "iters", "threads"})
    ->Args({200000, 16, 20, 1})
    ->Args({200000, 16, 20, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

namespace {

// The machine limit for compute-bound kernels: the FP32 FMA peak of that many
// cores running at once (lkb_fma_peak, limits.h: 12 independent FMA chains at
// the widest width the CPU has); on a shared machine two cores together need
// not reach twice one core's peak. args: threads.
void BM_LimitFmaPeak(benchmark::State& state) {
  if (lkb_fma_lanes() == 0) {
    state.SkipWithError("no FMA unit this benchmark knows");
    return;
  }
  constexpr std::int64_t n = 1 << 22;
  const auto threads = static_cast<int>(state.range(0));
  double flop = 0;
  for (auto _ : state)
    if (lkb_fma_peak(threads, n, &flop) != 0) state.SkipWithError("lkb_fma_peak failed");
  state.counters["FLOP/s"] = benchmark::Counter(flop, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_LimitFmaPeak)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

#if defined(LEADKIT_BENCH_FAISS)
// The peer in the same process, on the same leads and personas (the
// normalised profiles Personas builds; inner product = cosine on unit
// vectors), outputs allocated once as for BM_PersonaMatch: faiss's exact
// IndexFlatIP search (BLAS sgemm + a heap per lead), OpenMP pinned to the
// thread count. Built when Debian's libfaiss-dev is installed.
void BM_PeerFaissFlatIP(benchmark::State& state) {
  const MatchCase c(state);
  const std::size_t rows = c.rows, K = c.K, k = c.k, D = MatchCase::D;
  const std::vector<float>& X = MatchCase::leads();
  const std::vector<float> P = normalised_rows(K, D, 7);
  faiss::IndexFlatIP index(static_cast<faiss::Index::idx_t>(D));
  index.add(static_cast<faiss::Index::idx_t>(K), P.data());
  std::vector<float> distances(rows * k);
  std::vector<faiss::Index::idx_t> labels(rows * k);
  // faiss runs OpenMP over query blocks and BLAS (OpenBLAS here) inside:
  // both pinned to the thread count, as threadpoolctl does for the Python peers.
  const int threads = c.threads;
  omp_set_num_threads(threads);
  using SetThreads = void (*)(int);
  if (void* f = dlsym(RTLD_DEFAULT, "openblas_set_num_threads")) {
    SetThreads set_threads;
    static_assert(sizeof set_threads == sizeof f, "function and object pointers differ in size");
    std::memcpy(&set_threads, &f, sizeof f);
    set_threads(threads);
  }
  for (auto _ : state) {
    index.search(static_cast<faiss::Index::idx_t>(rows), X.data(), static_cast<faiss::Index::idx_t>(k), distances.data(),
                 labels.data());
    benchmark::DoNotOptimize(labels.data());
    benchmark::ClobberMemory();
  }
  c.set_counters(state);
}
BENCHMARK(BM_PeerFaissFlatIP)->Apply(match_grid)->UseRealTime();
#endif

}  // namespace
