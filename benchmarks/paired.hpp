// A kernel's fraction of its machine limit, taken call by call: each
// iteration of a *Paired benchmark times one kernel call (the benchmark's
// manual time) and runs the limit loop (limits.h) on as many threads right
// before or after it (the order flipped every iteration), and the fraction
// reported is the median over the iterations of the call's rate over the
// limit's rate of the same iteration. On a shared VM whose throughput moves
// from one minute to the next, two runs milliseconds apart share their phase
// and their ratio moves far less than either; compare_peers.py pairs its
// Python rows the same way (paired_fractions).
#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <vector>

namespace leadkit_bench {

class Paired {
 public:
  // Runs one iteration: kernel() timed, limit() (returning its own rate, in
  // the unit of `work` per second) before or after it; `work` is what one
  // kernel call does (FLOPs, events).
  template <typename Kernel, typename Limit>
  void iteration(benchmark::State& state, double work, Kernel&& kernel, Limit&& limit) {
    const bool limit_first = (fraction_.size() & 1u) != 0;
    double rate = limit_first ? limit() : 0.0;
    const auto t0 = std::chrono::steady_clock::now();
    kernel();
    const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!limit_first) rate = limit();
    state.SetIterationTime(took);
    fraction_.push_back(work / took / rate);
    rate_.push_back(work / took);
    limit_.push_back(rate);
  }
  // Counters "of_limit", "rate" (the kernel's work per second) and "limit":
  // the medians over the iterations. (Google Benchmark's own time is the
  // mean over the iterations, which one slow call can move.)
  void report(benchmark::State& state) {
    if (fraction_.empty()) return;
    state.counters["of_limit"] = median(fraction_);
    state.counters["rate"] = median(rate_);
    state.counters["limit"] = median(limit_);
  }

 private:
  static double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t h = v.size() / 2;
    return v.size() % 2 != 0 ? v[h] : 0.5 * (v[h - 1] + v[h]);
  }
  std::vector<double> fraction_, rate_, limit_;
};

}  // namespace leadkit_bench
