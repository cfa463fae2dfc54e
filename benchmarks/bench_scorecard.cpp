// The Scorecard through the C API: points (24 rules in 4 capped groups, a
// limit, a floor) + logistic (64 weights) + grader in one fused pass.
//
//   build/release/benchmarks/leadkit_bench --benchmark_filter=Scorecard
//
// Counters: items/s = leads/s; bytes/s = feature bytes read + outputs written
// (the memory-bandwidth bound for batches); FLOP/s = 2 * D per dot product.
// BM_PeerOpenBlasSgemv is numpy's X @ w kernel on the same leads, in this
// process.
#include <benchmark/benchmark.h>
#include <dlfcn.h>

#include <cstring>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_scorecard_def.hpp"
#include "huge_pages.hpp"
#include "leadkit/leadkit.h"

namespace {

constexpr std::size_t kCols = 64;

using leadkit_bench::kScorecardDefinition;

// The definition with a logistic weight on every feature.
std::string definition() {
  lk_scorecard* sc = nullptr;
  lk_schema* schema = nullptr;
  if (lk_scorecard_from_json(kScorecardDefinition, &sc) != LK_OK || lk_scorecard_schema(sc, &schema) != LK_OK)
    throw std::runtime_error(lk_last_error());
  std::size_t d = 0;
  lk_schema_n_features(schema, &d);
  if (d != kCols) throw std::runtime_error("bench scorecard: expected 64 features, got " + std::to_string(d));
  std::string weights;
  std::mt19937 rng(5);
  std::normal_distribution<float> nd(0.0f, 0.3f);
  for (std::size_t j = 0; j < d; ++j) {
    char name[64];
    lk_schema_feature_name(schema, j, name, sizeof name, nullptr);
    weights += (j ? ", \"" : "\"") + std::string(name) + "\": " + std::to_string(nd(rng));
  }
  lk_schema_free(schema);
  lk_scorecard_free(sc);
  std::string s = kScorecardDefinition;
  s.replace(s.find("\"weights\": {}"), 13, "\"weights\": {" + weights + "}");
  return s;
}

// Raw records drawn with a seed, as the columns a batch points into.
struct Records {
  std::vector<const char*> seniority, department, industry, country, interests, source;
  std::vector<double> employees, visits, forms, clicks;
  std::vector<std::int8_t> webinar;
  explicit Records(std::size_t n) {
    static const char* kSen[] = {"c-level", "vp", "director", "manager", "individual", "student", "Intern", nullptr};
    static const char* kDep[] = {"executive", "it", "engineering", "marketing", "sales", "finance", "operations", "other", nullptr};
    static const char* kInd[] = {"software", "fintech", "healthcare", "manufacturing", "retail", "education", "government", "media", "space"};
    static const char* kCty[] = {"US", "GB", "DE", "FR", "NL", "CA", "IN", "BR", "JP", "AU", "MX", nullptr};
    static const char* kTags[] = {"security", "cloud;ai", "analytics;crm", "devops;security;cloud", nullptr, "compliance", "gaming"};
    static const char* kSrc[] = {"web", "event", "referral", "partner", nullptr};
    std::mt19937 rng(11);
    std::lognormal_distribution<double> size(5.2, 1.7);
    for (std::size_t i = 0; i < n; ++i) {
      seniority.push_back(kSen[rng() % 8]);
      department.push_back(kDep[rng() % 9]);
      industry.push_back(kInd[rng() % 9]);
      country.push_back(kCty[rng() % 12]);
      interests.push_back(kTags[rng() % 7]);
      source.push_back(kSrc[rng() % 5]);
      employees.push_back(size(rng));
      visits.push_back(static_cast<double>(rng() % 40));
      forms.push_back(static_cast<double>(rng() % 4));
      clicks.push_back(static_cast<double>(rng() % 12));
      webinar.push_back(static_cast<std::int8_t>(rng() % 2));
    }
  }
  lk_batch* batch() const {
    lk_batch* b = nullptr;
    lk_batch_create(seniority.size(), &b);
    lk_batch_set_strings(b, "seniority", seniority.data());
    lk_batch_set_strings(b, "department", department.data());
    lk_batch_set_strings(b, "industry", industry.data());
    lk_batch_set_strings(b, "country", country.data());
    lk_batch_set_strings(b, "interests", interests.data());
    lk_batch_set_strings(b, "source", source.data());
    lk_batch_set_numeric(b, "employees", employees.data());
    lk_batch_set_numeric(b, "visits", visits.data());
    lk_batch_set_numeric(b, "forms", forms.data());
    lk_batch_set_numeric(b, "clicks", clicks.data());
    lk_batch_set_booleans(b, "webinar", webinar.data());
    return b;
  }
};

// n leads' records and their encoded features.
struct Fixture {
  Records records;
  leadkit_bench::HugeVector<float> X;  // numpy's kind of memory (huge_pages.hpp)
  lk_scorecard* sc = nullptr;
  explicit Fixture(std::size_t rows) : records(rows), X(rows * kCols) {
    lk_schema* schema = nullptr;
    lk_batch* b = records.batch();
    if (lk_scorecard_from_json(definition().c_str(), &sc) != LK_OK || lk_scorecard_schema(sc, &schema) != LK_OK ||
        lk_schema_encode(schema, b, nullptr, X.data(), kCols) != LK_OK)
      throw std::runtime_error(lk_last_error());
    lk_schema_free(schema);
    lk_batch_free(b);
  }
  ~Fixture() { lk_scorecard_free(sc); }
  Fixture(const Fixture&) = delete;
  Fixture& operator=(const Fixture&) = delete;
};

// The outputs asked for: every one (fit, total, probability, grade, stage and
// k reasons), or only the points and the logistic model's results (fit and
// probability: the like-for-like match for one matrix-vector product).
enum class Asked { all = 0, fit_and_probability = 1 };

struct Outputs {
  leadkit_bench::HugeVector<float> fit, total, proba, points;
  std::vector<std::int32_t> grade, stage, rules;
  lk_scorecard_output out;
  std::size_t n_outputs = 0;  // 4-byte values written per lead
  Outputs(std::size_t n, std::size_t k, Asked asked = Asked::all)
      : fit(n), total(n), proba(n), points(n * k), grade(n), stage(n), rules(n * k) {
    lk_scorecard_output_init(&out);
    out.fit = fit.data();
    out.probability = proba.data();
    n_outputs = 2;
    if (asked == Asked::all) {
      out.total = total.data();
      out.grade = grade.data();
      out.stage = stage.data();
      n_outputs = 5 + 2 * k;
    }
    out.n_reasons = k;
    out.reason_rules = k ? rules.data() : nullptr;
    out.reason_points = k ? points.data() : nullptr;
  }
};

void set_counters(benchmark::State& state, std::size_t rows, const Outputs& o) {
  const auto items = static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(rows);
  state.SetItemsProcessed(items);
  // Features read and the outputs written.
  state.SetBytesProcessed(items * static_cast<int64_t>((kCols + o.n_outputs) * 4));
  // The logistic dot product (2 FLOP per feature); the points' spans add less.
  state.counters["FLOP/s"] = benchmark::Counter(2.0 * static_cast<double>(rows * kCols),
                                                benchmark::Counter::kIsIterationInvariantRate);
}

// Encoded leads in, everything out: args = rows, threads, k.
Fixture& features_fixture() {
  static Fixture f(2000000);
  return f;
}

void BM_ScorecardFeatures(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  const auto k = static_cast<std::size_t>(state.range(2));
  Fixture& f = features_fixture();
  Outputs o(rows, k, static_cast<Asked>(state.range(3)));
  lk_exec_options opt;
  lk_exec_options_init(&opt);
  opt.threads = static_cast<int32_t>(state.range(1));
  for (auto _ : state) {
    if (lk_scorecard_score_features(f.sc, f.X.data(), rows, kCols, kCols, nullptr, &opt, &o.out) != LK_OK)
      state.SkipWithError(lk_last_error());
    benchmark::ClobberMemory();
  }
  set_counters(state, rows, o);
}
// out: 0 = every output, 1 = fit and probability only.
BENCHMARK(BM_ScorecardFeatures)
    ->ArgNames({"rows", "threads", "k", "out"})
    ->Args({2048, 1, 0, 0})  // in cache: the compute cost alone
    ->Args({2000000, 1, 0, 0})
    ->Args({2000000, 2, 0, 0})
    ->Args({2000000, 1, 0, 1})
    ->Args({2000000, 2, 0, 1})
    ->Args({1000000, 1, 3, 0})
    ->Args({1000000, 2, 3, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Raw records in (encoded tile by tile, never materialised), everything out.
void BM_ScorecardRecords(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  static Fixture f(1000000);
  lk_batch* b = f.records.batch();
  Outputs o(rows, 3);
  lk_exec_options opt;
  lk_exec_options_init(&opt);
  opt.threads = static_cast<int32_t>(state.range(1));
  for (auto _ : state) {
    if (lk_scorecard_score(f.sc, b, nullptr, &opt, &o.out) != LK_OK) state.SkipWithError(lk_last_error());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(rows));
  lk_batch_free(b);
}
BENCHMARK(BM_ScorecardRecords)
    ->ArgNames({"rows", "threads"})
    ->Args({1000000, 1})
    ->Args({1000000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// One encoded lead (D = 64): points + logistic + grade and stage, no reasons.
void BM_ScorecardSingleLead(benchmark::State& state) {
  static Fixture f(1);
  Outputs o(1, 0);
  for (auto _ : state) {
    if (lk_scorecard_score_features(f.sc, f.X.data(), 1, kCols, kCols, nullptr, nullptr, &o.out) != LK_OK)
      state.SkipWithError(lk_last_error());
    benchmark::DoNotOptimize(o.proba[0]);
  }
  set_counters(state, 1, o);
}
BENCHMARK(BM_ScorecardSingleLead);

// One raw record (strings and numbers, encoded on the fly) through the example
// scorecard shape: 6 attributes, reasons included.
void BM_ScorecardSingleRecord(benchmark::State& state) {
  const char* json = R"({"schema": {"attributes": [
      {"name": "seniority", "type": "categorical", "missing": "slot",
       "vocabulary": ["c-level", "vp", "director", "manager", "individual", "student"]},
      {"name": "industry", "type": "categorical", "missing": "slot",
       "vocabulary": ["software", "fintech", "healthcare", "manufacturing", "retail", "education"]},
      {"name": "employees", "type": "numeric", "missing": "constant", "impute": 100, "log1p": true,
       "bands": [50, 1000, 10000]},
      {"name": "interests", "type": "tags", "missing": "ignore", "vocabulary": ["security", "cloud", "ai"]},
      {"name": "visits", "type": "numeric", "missing": "constant", "log1p": true},
      {"name": "webinar", "type": "boolean", "missing": "false"}]},
    "fit": {"groups": [{"name": "Role", "max": 40}], "rules": [
      {"feature": "seniority=vp", "points": 35, "group": "Role"},
      {"feature": "seniority=director", "points": 25, "group": "Role"},
      {"feature": "industry=software", "points": 20}, {"feature": "employees >= 10000", "points": 25},
      {"feature": "interests:security", "points": 10}, {"feature": "webinar", "points": 10}], "limit": 100},
    "logistic": {"intercept": -3, "weights": {"seniority=vp": 1.1, "industry=software": 0.9, "visits": 0.5}},
    "grader": {"stages": [{"label": "cold"}, {"label": "MQL", "min": 50}],
               "grades": [{"label": "B"}, {"label": "A", "min": 40}]}})";
  lk_scorecard* sc = nullptr;
  if (lk_scorecard_from_json(json, &sc) != LK_OK) {
    state.SkipWithError(lk_last_error());
    return;
  }
  const char* seniority[1] = {"VP"};
  const char* industry[1] = {"Software"};
  const char* interests[1] = {"security;ai"};
  double employees[1] = {12000}, visits[1] = {7};
  std::int8_t webinar[1] = {1};
  lk_batch* b = nullptr;
  lk_batch_create(1, &b);
  lk_batch_set_strings(b, "seniority", seniority);
  lk_batch_set_strings(b, "industry", industry);
  lk_batch_set_strings(b, "interests", interests);
  lk_batch_set_numeric(b, "employees", employees);
  lk_batch_set_numeric(b, "visits", visits);
  lk_batch_set_booleans(b, "webinar", webinar);
  Outputs o(1, 3);
  for (auto _ : state) {
    if (lk_scorecard_score(sc, b, nullptr, nullptr, &o.out) != LK_OK) state.SkipWithError(lk_last_error());
    benchmark::DoNotOptimize(o.proba[0]);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  lk_batch_free(b);
  lk_scorecard_free(sc);
}
BENCHMARK(BM_ScorecardSingleRecord);

// The peer in the same process, on the same 2M encoded leads: OpenBLAS's
// sgemv, the kernel numpy's X @ w runs here (numpy links Debian's libblas.so.3,
// which is OpenBLAS once libopenblas0-pthread is installed), pinned to the
// thread count. Loaded at run time, so the benchmarks build without it and
// report an error row where it is missing.
struct OpenBlas {
  using Sgemv = void (*)(int order, int trans, int m, int n, float alpha, const float* a, int lda, const float* x,
                         int incx, float beta, float* y, int incy);
  using SetThreads = void (*)(int);
  Sgemv sgemv = nullptr;
  SetThreads set_threads = nullptr;
  OpenBlas() {
    void* lib = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_LOCAL);
    if (lib == nullptr) return;
    void* a = dlsym(lib, "cblas_sgemv");
    void* b = dlsym(lib, "openblas_set_num_threads");
    if (a == nullptr || b == nullptr) return;
    static_assert(sizeof sgemv == sizeof a, "function and object pointers differ in size");
    std::memcpy(&sgemv, &a, sizeof a);
    std::memcpy(&set_threads, &b, sizeof b);
  }
};

void BM_PeerOpenBlasSgemv(benchmark::State& state) {
  static const OpenBlas blas;
  if (blas.sgemv == nullptr) {
    state.SkipWithError("libopenblas.so.0 (Debian's libopenblas0-pthread) not found");
    return;
  }
  const auto rows = static_cast<std::size_t>(state.range(0));
  Fixture& f = features_fixture();
  std::vector<float> w(kCols), y(rows);
  std::mt19937 rng(5);
  std::normal_distribution<float> nd(0.0f, 0.3f);
  for (float& v : w) v = nd(rng);
  blas.set_threads(static_cast<int>(state.range(1)));
  constexpr int kRowMajor = 101, kNoTrans = 111;  // CblasRowMajor, CblasNoTrans
  for (auto _ : state) {
    blas.sgemv(kRowMajor, kNoTrans, static_cast<int>(rows), static_cast<int>(kCols), 1.0f, f.X.data(),
               static_cast<int>(kCols), w.data(), 1, 0.0f, y.data(), 1);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  const auto items = static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(rows);
  state.SetItemsProcessed(items);
  state.SetBytesProcessed(items * static_cast<int64_t>((kCols + 1) * 4));
}
BENCHMARK(BM_PeerOpenBlasSgemv)
    ->ArgNames({"rows", "threads"})
    ->Args({2000000, 1})
    ->Args({2000000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
