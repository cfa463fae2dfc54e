// The machine's limits that bound the kernels: streaming read bandwidth
// (scoring reads each byte once), random scatter-add throughput (engagement
// decay adds every event into a random lead's sum) and, in bench_persona.cpp,
// the FMA peak. compare_peers.py reports each kernel's fraction of its limit.
// The loops live in libleadkit_limits (limits.h), which compare_peers.py also
// runs through ctypes, alternating with leadkit's calls from Python.
//
//   build/release/benchmarks/leadkit_bench --benchmark_filter=Limit
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "huge_pages.hpp"
#include "limits.h"

namespace {

// args: threads. 512 MiB, far beyond any cache.
void BM_LimitReadBandwidth(benchmark::State& state) {
  const std::size_t n = (std::size_t{512} << 20) / sizeof(std::uint64_t);
  const auto threads = static_cast<int>(state.range(0));
  leadkit_bench::HugeVector<std::uint64_t> data(n);  // numpy's kind of memory (huge_pages.hpp)
  for (std::size_t i = 0; i < n; ++i) data[i] = i * 0x9E3779B97F4A7C15ULL;
  std::uint64_t sink = 0;
  for (auto _ : state) {
    if (lkb_read(data.data(), n, threads, &sink) != 0) state.SkipWithError("lkb_read failed");
    benchmark::DoNotOptimize(sink);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(n * sizeof(std::uint64_t)));
}
BENCHMARK(BM_LimitReadBandwidth)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// 20M events over 1M leads (the engagement benchmark's shape), uniform
// random leads from xorshift64 (no <random> needed for uniform indices).
// Built by each benchmark and freed after it (400 MB), not kept for the
// whole run of leadkit_bench.
struct ScatterEvents {
  static constexpr std::size_t kEvents = 20000000, kLeads = 1000000, kTypes = 8;
  std::vector<std::int32_t> lead, type;
  std::vector<double> time;
  std::vector<float> w;
  ScatterEvents() : lead(kEvents), type(kEvents), time(kEvents), w(kEvents) {
    std::uint64_t x = 88172645463325252ULL;
    for (std::size_t i = 0; i < kEvents; ++i) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      lead[i] = static_cast<std::int32_t>(x % kLeads);
      type[i] = static_cast<std::int32_t>((x >> 32) % kTypes);
      time[i] = static_cast<double>(x >> 40) * 1e-7;
      w[i] = static_cast<float>(x >> 40) * 1e-7f;
    }
  }
};
// sums[lead[i]] += w[i] over events in random lead order: the bare scatter
// (8 bytes read per event), each thread on its share of the events with its
// own 4 MiB of sums (no atomics), the sum prefetched 32 events ahead as the
// engagement pass does. args: threads.
void BM_LimitScatterAdd(benchmark::State& state) {
  const ScatterEvents e;
  const auto threads = static_cast<int>(state.range(0));
  leadkit_bench::HugeVector<float> sums(static_cast<std::size_t>(threads) * e.kLeads);  // as leadkit's sums
  for (auto _ : state) {
    if (lkb_scatter_add(e.lead.data(), e.w.data(), e.kEvents, e.kLeads, threads, sums.data()) != 0)
      state.SkipWithError("lkb_scatter_add failed");
    benchmark::DoNotOptimize(sums.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(e.kEvents));
}
BENCHMARK(BM_LimitScatterAdd)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// The same scatter-add fed by events as the engagement pass reads them:
// lead (4 bytes), type (4) and time (8 bytes, a double), 16 bytes each, and
// no arithmetic beyond a table lookup and a conversion: sums[lead[i]] +=
// table[type[i]] + float(time[i]). The bound of engagement decay over the
// bytes it must read; BM_LimitScatterAdd above reads half as many. Same
// shape, prefetch and per-thread sums. args: threads.
void BM_LimitScatterAddEvents(benchmark::State& state) {
  const ScatterEvents e;
  const auto threads = static_cast<int>(state.range(0));
  const float table[ScatterEvents::kTypes] = {1, 2, -2, 4, 5, -2, 7, 8};
  leadkit_bench::HugeVector<float> sums(static_cast<std::size_t>(threads) * e.kLeads);  // as leadkit's sums
  for (auto _ : state) {
    if (lkb_scatter_add_events(e.lead.data(), e.type.data(), e.time.data(), e.kEvents, table, e.kTypes, e.kLeads,
                               threads, sums.data()) != 0)
      state.SkipWithError("lkb_scatter_add_events failed");
    benchmark::DoNotOptimize(sums.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(e.kEvents));
}
BENCHMARK(BM_LimitScatterAddEvents)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
