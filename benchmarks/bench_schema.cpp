// Encoding raw leads into features through the C API: 1M leads with two
// numeric attributes (one banded), two categoricals, a boolean and tags, the
// mix of a typical B2B scorecard. items/s = leads/s. codes:1 passes the three
// text columns as category codes (pandas.Categorical's layout) instead of
// strings.
//
//   build/release/benchmarks/leadkit_bench --benchmark_filter=SchemaEncode
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "leadkit/leadkit.h"

namespace {

const char* kSchema = R"({"attributes": [
  {"name": "employees", "type": "numeric", "missing": "constant", "impute": 10, "clip": [1, 1e6],
   "bands": [10, 50, 200, 1000, 5000]},
  {"name": "visits", "type": "numeric", "missing": "constant", "log1p": true},
  {"name": "industry", "type": "categorical",
   "vocabulary": ["software", "fintech", "healthcare", "manufacturing", "retail", "education",
                  "media", "telecom", "energy", "government"]},
  {"name": "seniority", "type": "categorical",
   "vocabulary": ["c-level", "vp", "director", "manager", "individual", "student"]},
  {"name": "is_customer", "type": "boolean", "missing": "false"},
  {"name": "interests", "type": "tags", "vocabulary": ["security", "cloud", "ai", "data", "devops"]}
]})";

struct Data {
  std::size_t n;
  std::vector<double> employees, visits;
  std::vector<const char*> industry, seniority, interests;
  std::vector<std::int8_t> customer;
  explicit Data(std::size_t rows) : n(rows) {
    static const char* ind[] = {"Software", "fintech", "healthcare", "manufacturing", "retail",
                                "education", "media", "telecom", "energy", "government", "other"};
    static const char* sen[] = {"c-level", "VP", "director", "manager", "individual", "student"};
    static const char* tags[] = {"security;cloud", "ai", "", "data;devops;cloud", "gaming"};
    industry_categories.assign(ind, ind + 11);
    seniority_categories.assign(sen, sen + 6);
    interests_categories.assign(tags, tags + 5);
    std::mt19937 rng(3);
    for (std::size_t i = 0; i < n; ++i) {
      employees.push_back(std::exp(std::uniform_real_distribution<double>(1, 11)(rng)));
      visits.push_back(static_cast<double>(rng() % 40));
      industry_codes.push_back(static_cast<std::int32_t>(rng() % 11));
      industry.push_back(ind[industry_codes.back()]);
      seniority_codes.push_back(static_cast<std::int32_t>(rng() % 6));
      seniority.push_back(sen[seniority_codes.back()]);
      interests_codes.push_back(static_cast<std::int32_t>(rng() % 5));
      interests.push_back(tags[interests_codes.back()]);
      customer.push_back(static_cast<std::int8_t>(rng() % 2));
    }
  }
  // The same text columns as pandas.Categorical holds them: codes into categories.
  std::vector<std::int32_t> industry_codes, seniority_codes, interests_codes;
  std::vector<const char*> industry_categories, seniority_categories, interests_categories;
};

void BM_SchemaEncode(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  static const Data data(1000000);
  lk_schema* schema = nullptr;
  lk_batch* batch = nullptr;
  size_t d = 0;
  if (lk_schema_from_json(kSchema, &schema) != LK_OK || lk_schema_n_features(schema, &d) != LK_OK ||
      lk_batch_create(rows, &batch) != LK_OK)
    throw std::runtime_error(lk_last_error());
  lk_batch_set_numeric(batch, "employees", data.employees.data());
  lk_batch_set_numeric(batch, "visits", data.visits.data());
  if (state.range(2) != 0) {
    lk_batch_set_codes(batch, "industry", data.industry_codes.data(), data.industry_categories.data(), 11);
    lk_batch_set_codes(batch, "seniority", data.seniority_codes.data(), data.seniority_categories.data(), 6);
    lk_batch_set_codes(batch, "interests", data.interests_codes.data(), data.interests_categories.data(), 5);
  } else {
    lk_batch_set_strings(batch, "industry", data.industry.data());
    lk_batch_set_strings(batch, "seniority", data.seniority.data());
    lk_batch_set_strings(batch, "interests", data.interests.data());
  }
  lk_batch_set_booleans(batch, "is_customer", data.customer.data());
  std::vector<float> out(rows * d);
  lk_exec_options o;
  lk_exec_options_init(&o);
  o.threads = static_cast<int32_t>(state.range(1));
  for (auto _ : state) {
    if (lk_schema_encode(schema, batch, &o, out.data(), d) != LK_OK) state.SkipWithError(lk_last_error());
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(static_cast<std::size_t>(state.iterations()) * rows));
  state.SetBytesProcessed(static_cast<int64_t>(static_cast<std::size_t>(state.iterations()) * rows * d * sizeof(float)));
  state.counters["features"] = static_cast<double>(d);
  lk_batch_free(batch);
  lk_schema_free(schema);
}
BENCHMARK(BM_SchemaEncode)
    ->ArgNames({"rows", "threads", "codes"})
    ->Args({1000000, 1, 0})
    ->Args({1000000, 2, 0})
    ->Args({1000000, 1, 1})
    ->Args({1000000, 2, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
