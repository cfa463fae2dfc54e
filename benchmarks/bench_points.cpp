// Rule-based fit scoring and its reasons through the C API: 1M encoded leads,
// D = 64 features (one-hot style, ~1 in 8 set), 24 rules in 4 capped groups,
// a limit and a floor. items/s = leads/s.
//
//   build/release/benchmarks/leadkit_bench --benchmark_filter=Points
#include <benchmark/benchmark.h>

#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "huge_pages.hpp"
#include "leadkit/leadkit.h"

namespace {

struct PointsFixture {
  static constexpr std::size_t kRows = 1000000, kCols = 64;
  leadkit_bench::HugeVector<float> X;  // numpy's kind of memory (huge_pages.hpp)
  lk_schema* schema = nullptr;
  lk_points_model* model = nullptr;
  PointsFixture() : X(kRows * kCols) {
    // A schema whose 64 features are the 64 values of one categorical, so the
    // rules can name them; the matrix itself is filled directly.
    std::string s = R"({"attributes": [{"name": "f", "type": "categorical", "unknown": "ignore", "missing": "ignore", "vocabulary": [)";
    for (std::size_t j = 0; j < kCols; ++j) s += (j ? ",\"v" : "\"v") + std::to_string(j) + "\"";
    s += "]}]}";
    std::string m = R"({"groups": [{"name": "A", "max": 30}, {"name": "B", "max": 25}, {"name": "C", "max": 20}, {"name": "D", "max": 40}], "rules": [)";
    const char* groups[] = {"A", "B", "C", "D"};
    for (int r = 0; r < 24; ++r) {
      if (r) m += ",";
      m += R"({"feature": "f=v)" + std::to_string(r * 2 + 1) + R"(", "points": )" +
           std::to_string(r % 5 == 0 ? -10 : 5 + r % 7) + R"(, "group": ")" + groups[r % 4] + "\"}";
    }
    m += R"(], "limit": 100, "floor": true})";
    if (lk_schema_from_json(s.c_str(), &schema) != LK_OK ||
        lk_points_model_from_json(schema, m.c_str(), &model) != LK_OK)
      throw std::runtime_error(lk_last_error());
    std::mt19937 rng(11);
    for (auto& v : X) v = (rng() % 8 == 0) ? 1.0f : 0.0f;
  }
  ~PointsFixture() {
    lk_points_model_free(model);
    lk_schema_free(schema);
  }
};

const PointsFixture& fixture() {
  static const PointsFixture f;
  return f;
}

void BM_PointsScore(benchmark::State& state) {
  const auto& f = fixture();
  leadkit_bench::HugeVector<float> out(f.kRows);
  lk_exec_options o;
  lk_exec_options_init(&o);
  o.threads = static_cast<int32_t>(state.range(0));
  for (auto _ : state) {
    if (lk_points_model_score(f.model, f.X.data(), f.kRows, f.kCols, f.kCols, &o, out.data()) != LK_OK)
      state.SkipWithError(lk_last_error());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(f.kRows));
}
BENCHMARK(BM_PointsScore)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_PointsReasonsTop3(benchmark::State& state) {
  const auto& f = fixture();
  constexpr std::size_t k = 3;
  std::vector<float> scores(f.kRows), points(f.kRows * k);
  std::vector<int32_t> rules(f.kRows * k);
  lk_exec_options o;
  lk_exec_options_init(&o);
  o.threads = static_cast<int32_t>(state.range(0));
  for (auto _ : state) {
    if (lk_points_model_reasons(f.model, f.X.data(), f.kRows, f.kCols, f.kCols, k, &o, scores.data(),
                                rules.data(), points.data()) != LK_OK)
      state.SkipWithError(lk_last_error());
    benchmark::DoNotOptimize(points.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(f.kRows));
}
BENCHMARK(BM_PointsReasonsTop3)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
