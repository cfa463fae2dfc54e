// The machine's limits that bound the kernels: streaming read bandwidth
// (linear scoring and decay read each byte once). compare_peers.py reports
// each kernel's fraction of it. An integer XOR-reduction vectorises without
// -ffast-math and runs far above memory speed, so this measures memory only.
//
//   build/release/benchmarks/leadkit_bench --benchmark_filter=Limit
#include <benchmark/benchmark.h>

#include <cstdint>
#include <thread>
#include <vector>

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
  std::vector<std::uint64_t> data(n);
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

}  // namespace
