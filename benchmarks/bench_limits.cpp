// The machine's limits that bound the kernels: streaming read bandwidth
// (scoring reads each byte once) and random scatter-add throughput
// (engagement decay adds every event into a random lead's sum).
// compare_peers.py reports each kernel's fraction of its limit. An integer XOR-reduction vectorises without
// -ffast-math and runs far above memory speed, so this measures memory only.
//
//   build/release/benchmarks/leadkit_bench --benchmark_filter=Limit
#include <benchmark/benchmark.h>

#include <cstdint>
#include <thread>
#include <vector>

#include "huge_pages.hpp"

namespace {

std::uint64_t xor_range(const std::uint64_t* p, std::size_t n) noexcept {
  std::uint64_t a = 0, b = 0, c = 0, d = 0;
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    a ^= p[i];
    b ^= p[i + 1];
    c ^= p[i + 2];
    d ^= p[i + 3];
  }
  for (; i < n; ++i) a ^= p[i];
  return a ^ b ^ c ^ d;
}

// args: threads. 512 MiB, far beyond any cache.
void BM_LimitReadBandwidth(benchmark::State& state) {
  const std::size_t n = (std::size_t{512} << 20) / sizeof(std::uint64_t);
  const auto threads = static_cast<std::size_t>(state.range(0));
  leadkit_bench::HugeVector<std::uint64_t> data(n);  // numpy's kind of memory (huge_pages.hpp)
  for (std::size_t i = 0; i < n; ++i) data[i] = i * 0x9E3779B97F4A7C15ULL;
  std::vector<std::uint64_t> sink(threads);
  for (auto _ : state) {
    std::vector<std::thread> pool;
    const std::size_t chunk = n / threads;
    for (std::size_t t = 1; t < threads; ++t)
      pool.emplace_back([&, t] { sink[t] = xor_range(data.data() + t * chunk, chunk); });
    sink[0] = xor_range(data.data(), chunk);
    for (auto& th : pool) th.join();
    benchmark::DoNotOptimize(sink.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(n * sizeof(std::uint64_t)));
}
BENCHMARK(BM_LimitReadBandwidth)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// sums[lead[i]] += w[i] over events in random lead order: the bound of
// engagement decay, where every event adds into a random lead's score (not
// the stream of events, which is read once). The fastest plain loop for it:
// the sum is prefetched 32 events ahead, as the engagement pass does. 20M
// events over 1M leads (the engagement benchmark's shape), each thread on its
// share of the events with its own 4 MiB of sums (no atomics); reading the
// events costs 8 bytes each. args: threads.
void scatter_range(const std::int32_t* lead, const float* w, std::size_t n, float* sums) noexcept {
  for (std::size_t i = 0; i < n; ++i) {
    if (i + 32 < n) __builtin_prefetch(sums + lead[i + 32], 1);
    sums[static_cast<std::size_t>(lead[i])] += w[i];
  }
}

void BM_LimitScatterAdd(benchmark::State& state) {
  constexpr std::size_t kEvents = 20000000, kLeads = 1000000;
  const auto threads = static_cast<std::size_t>(state.range(0));
  std::vector<std::int32_t> lead(kEvents);
  std::vector<float> w(kEvents);
  std::uint64_t x = 88172645463325252ULL;  // xorshift64: no <random> needed for uniform indices
  for (std::size_t i = 0; i < kEvents; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    lead[i] = static_cast<std::int32_t>(x % kLeads);
    w[i] = static_cast<float>(x >> 40) * 1e-7f;
  }
  std::vector<std::vector<float>> sums(threads, std::vector<float>(kLeads));
  for (auto _ : state) {
    std::vector<std::thread> pool;
    const std::size_t chunk = kEvents / threads;
    for (std::size_t t = 1; t < threads; ++t)
      pool.emplace_back([&, t] { scatter_range(lead.data() + t * chunk, w.data() + t * chunk, chunk, sums[t].data()); });
    scatter_range(lead.data(), w.data(), chunk, sums[0].data());
    for (auto& th : pool) th.join();
    benchmark::DoNotOptimize(sums.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(kEvents));
}
BENCHMARK(BM_LimitScatterAdd)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// The same scatter-add fed by events as the engagement pass reads them:
// lead (4 bytes), type (4) and time (8 bytes, a double), 16 bytes each, and
// no arithmetic beyond a table lookup and a conversion: sums[lead[i]] +=
// table[type[i]] + float(time[i]). The bound of engagement decay over the
// bytes it must read; BM_LimitScatterAdd above reads half as many. Same
// shape, prefetch and per-thread sums. args: threads.
void scatter_events(const std::int32_t* lead, const std::int32_t* type, const double* time, std::size_t n,
                    const float* table, float* sums) noexcept {
  for (std::size_t i = 0; i < n; ++i) {
    if (i + 32 < n) __builtin_prefetch(sums + lead[i + 32], 1);
    sums[static_cast<std::size_t>(lead[i])] += table[type[i]] + static_cast<float>(time[i]);
  }
}

void BM_LimitScatterAddEvents(benchmark::State& state) {
  constexpr std::size_t kEvents = 20000000, kLeads = 1000000, kTypes = 8;
  const auto threads = static_cast<std::size_t>(state.range(0));
  std::vector<std::int32_t> lead(kEvents), type(kEvents);
  std::vector<double> time(kEvents);
  std::uint64_t x = 88172645463325252ULL;
  for (std::size_t i = 0; i < kEvents; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    lead[i] = static_cast<std::int32_t>(x % kLeads);
    type[i] = static_cast<std::int32_t>((x >> 32) % kTypes);
    time[i] = static_cast<double>(x >> 40) * 1e-7;
  }
  const float table[kTypes] = {1, 2, -2, 4, 5, -2, 7, 8};
  std::vector<std::vector<float>> sums(threads, std::vector<float>(kLeads));
  for (auto _ : state) {
    std::vector<std::thread> pool;
    const std::size_t chunk = kEvents / threads;
    for (std::size_t t = 1; t < threads; ++t)
      pool.emplace_back([&, t] {
        scatter_events(lead.data() + t * chunk, type.data() + t * chunk, time.data() + t * chunk, chunk, table,
                       sums[t].data());
      });
    scatter_events(lead.data(), type.data(), time.data(), chunk, table, sums[0].data());
    for (auto& th : pool) th.join();
    benchmark::DoNotOptimize(sums.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(kEvents));
}
BENCHMARK(BM_LimitScatterAddEvents)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
