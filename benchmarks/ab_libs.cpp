// leadkit_ab: a same-process A/B of two builds of libleadkit, for measuring a
// kernel change on a shared, noisy machine. Both libraries are loaded into
// one process (each in a link namespace of its own, dlmopen), fed the same
// inputs, and called in alternation, the order flipped every round, so a
// slow phase of the machine hits both sides alike. Reported: each side's
// median throughput and the median of the per-round ratios B/A.
//
//   leadkit_ab LIB_A LIB_B persona K k THREADS ROWS ROUNDS   (D = 64, cosine)
//   leadkit_ab LIB_A LIB_B logistic THREADS ROWS ROUNDS      (D = 64, probabilities)
//   leadkit_ab LIB_A LIB_B engagement THREADS EVENTS ROUNDS  (1M leads, 8 exponential types)
//   leadkit_ab LIB_A LIB_B stream CHUNK EVENTS ROUNDS        (such events, times sorted, applied in order)
//   leadkit_ab LIB_A LIB_B scorecard THREADS ROWS ROUNDS     (the benchmark Scorecard, all outputs)
//
// e.g. with the old commit's library copied to /tmp/old.so:
//   build/release/benchmarks/leadkit_ab /tmp/old.so build/release/libleadkit.so.0 persona 256 3 1 200000 30
// (The same file on both sides loads twice, one copy per namespace: an A/A
// run shows the spread a ratio must clear to mean something.)
#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_scorecard_def.hpp"
#include "huge_pages.hpp"
#include "leadkit/leadkit.h"

namespace {

[[noreturn]] void usage(const std::string& why) {
  std::fprintf(stderr,
               "leadkit_ab: %s\n"
               "usage: leadkit_ab LIB_A LIB_B persona K k THREADS ROWS ROUNDS\n"
               "       leadkit_ab LIB_A LIB_B logistic THREADS ROWS ROUNDS\n"
               "       leadkit_ab LIB_A LIB_B engagement THREADS EVENTS ROUNDS\n"
               "       leadkit_ab LIB_A LIB_B stream CHUNK EVENTS ROUNDS\n"
               "       leadkit_ab LIB_A LIB_B scorecard THREADS ROWS ROUNDS\n",
               why.c_str());
  std::exit(2);
}

// A whole number in [lo, hi] from argument `name`, or a usage error naming it.
std::size_t arg(const char* text, const char* name, std::size_t lo, std::size_t hi) {
  char* end = nullptr;
  const unsigned long long v = std::strtoull(text, &end, 10);
  if (end == text || *end != '\0' || text[0] == '-' || v < lo || v > hi)
    usage(std::string(name) + ": expected a whole number in [" + std::to_string(lo) + ", " + std::to_string(hi) +
          "], got '" + text + "'");
  return static_cast<std::size_t>(v);
}

class Lib {
 public:
  explicit Lib(const char* path) : path_(path) {
    handle_ = dlmopen(LM_ID_NEWLM, path, RTLD_NOW | RTLD_LOCAL);
    if (handle_ == nullptr) throw std::runtime_error(std::string("cannot load ") + path + ": " + dlerror());
  }
  Lib(const Lib&) = delete;
  Lib& operator=(const Lib&) = delete;
  ~Lib() { dlclose(handle_); }

  template <typename F>
  F* fn(const char* name) const {
    void* p = dlsym(handle_, name);
    if (p == nullptr) throw std::runtime_error(path_ + ": no symbol " + name);
    return reinterpret_cast<F*>(p);
  }
  void check(lk_status s) const {
    if (s != LK_OK) throw std::runtime_error(path_ + ": " + fn<decltype(lk_last_error)>("lk_last_error")());
  }
  lk_exec_options options(std::size_t threads) const {
    lk_exec_options o;
    check(fn<decltype(lk_exec_options_init)>("lk_exec_options_init")(&o));
    o.threads = static_cast<std::int32_t>(threads);
    return o;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  void* handle_ = nullptr;
};

leadkit_bench::HugeVector<float> normal_rows(std::size_t rows, std::size_t cols, std::uint32_t seed) {
  leadkit_bench::HugeVector<float> X(rows * cols);
  std::mt19937 rng(seed);
  std::normal_distribution<float> g;
  for (auto& v : X) v = g(rng);
  return X;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Times call(side) for both sides, alternating, `rounds` rounds after two
// untimed ones; prints throughput as `items` per second. prepare(side), when
// given, runs untimed right before each call(side).
void run(const Lib* const lib[2], std::size_t rounds, double items, const char* unit,
         const std::function<void(int)>& call, const std::function<void(int)>& prepare = {}) {
  std::vector<double> t[2], ratio;
  for (std::size_t r = 0; r < rounds + 2; ++r) {
    double took[2];
    for (int q = 0; q < 2; ++q) {
      const int side = (r & 1) != 0 ? 1 - q : q;
      if (prepare) prepare(side);
      const auto t0 = std::chrono::steady_clock::now();
      call(side);
      took[side] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    }
    if (r < 2) continue;
    t[0].push_back(took[0]);
    t[1].push_back(took[1]);
    ratio.push_back(took[0] / took[1]);
  }
  for (int s = 0; s < 2; ++s)
    std::printf("%c  %-50s %10.3f M%s/s\n", "AB"[s], lib[s]->path().c_str(), items / median(t[s]) / 1e6, unit);
  std::vector<double> sorted = ratio;
  std::sort(sorted.begin(), sorted.end());
  std::printf("B/A  median of %zu round ratios %.3f (quartiles %.3f .. %.3f)\n", ratio.size(), median(ratio),
              sorted[sorted.size() / 4], sorted[sorted.size() * 3 / 4]);
}

void persona(const Lib* const lib[2], std::size_t K, std::size_t k, std::size_t threads, std::size_t N,
             std::size_t rounds) {
  constexpr std::size_t D = 64;
  const auto P = normal_rows(K, D, 7);
  const auto X = normal_rows(N, D, 1);
  std::vector<std::string> names(K);
  std::vector<const char*> name_ptrs(K);
  for (std::size_t q = 0; q < K; ++q) {
    names[q] = "p" + std::to_string(q);
    name_ptrs[q] = names[q].c_str();
  }
  lk_persona_set* set[2] = {nullptr, nullptr};
  for (int s = 0; s < 2; ++s)
    lib[s]->check(lib[s]->fn<decltype(lk_persona_set_from_profiles)>("lk_persona_set_from_profiles")(
        P.data(), K, D, name_ptrs.data(), nullptr, LK_PERSONA_COSINE, 0.0f, &set[s]));
  std::vector<std::int32_t> best(N), topi(N * k);
  std::vector<float> sim(N), margin(N), tops(N * k);
  std::printf("persona match: %zu leads, D = %zu, K = %zu, top-%zu, %zu thread(s), cosine\n", N, D, K, k, threads);
  run(lib, rounds, static_cast<double>(N), " leads", [&](int s) {
    const lk_exec_options o = lib[s]->options(threads);
    lib[s]->check(lib[s]->fn<decltype(lk_persona_match)>("lk_persona_match")(
        set[s], X.data(), N, D, D, k, &o, best.data(), sim.data(), margin.data(), k > 1 ? topi.data() : nullptr,
        k > 1 ? tops.data() : nullptr));
  });
  for (int s = 0; s < 2; ++s) lib[s]->fn<decltype(lk_persona_set_free)>("lk_persona_set_free")(set[s]);
}

void logistic(const Lib* const lib[2], std::size_t threads, std::size_t N, std::size_t rounds) {
  constexpr std::size_t D = 64;
  const auto X = normal_rows(N, D, 1);
  const auto w = normal_rows(1, D, 2);
  lk_logistic_model* model[2] = {nullptr, nullptr};
  for (int s = 0; s < 2; ++s)
    lib[s]->check(lib[s]->fn<decltype(lk_logistic_model_create)>("lk_logistic_model_create")(w.data(), D, 0.5f,
                                                                                             &model[s]));
  leadkit_bench::HugeVector<float> p(N);
  std::printf("logistic predict: %zu leads, D = %zu, %zu thread(s)\n", N, D, threads);
  run(lib, rounds, static_cast<double>(N), " leads", [&](int s) {
    const lk_exec_options o = lib[s]->options(threads);
    lib[s]->check(lib[s]->fn<decltype(lk_logistic_model_predict)>("lk_logistic_model_predict")(
        model[s], X.data(), N, D, D, &o, p.data()));
  });
  for (int s = 0; s < 2; ++s) lib[s]->fn<decltype(lk_logistic_model_free)>("lk_logistic_model_free")(model[s]);
}

// The engagement workloads' model and events, as compare_peers.py and
// bench_engagement.cpp build them: EVENTS events of 8 exponential types
// (half-lives 1-90 days) over a year, uniform over 1M leads.
struct Events {
  static constexpr std::size_t kLeads = 1000000, kTypes = 8;
  static constexpr double kStart = 1.7e9, kSpan = 365 * 86400.0;
  static constexpr const char* kModel =
      R"({"types": [{"name": "t0", "points": 1, "decay": {"kind": "exponential", "half_life": 86400}},)"
      R"({"name": "t1", "points": 2, "decay": {"kind": "exponential", "half_life": 259200}},)"
      R"({"name": "t2", "points": -2, "decay": {"kind": "exponential", "half_life": 604800}},)"
      R"({"name": "t3", "points": 4, "decay": {"kind": "exponential", "half_life": 1209600}},)"
      R"({"name": "t4", "points": 5, "decay": {"kind": "exponential", "half_life": 2592000}},)"
      R"({"name": "t5", "points": -2, "decay": {"kind": "exponential", "half_life": 3888000}},)"
      R"({"name": "t6", "points": 7, "decay": {"kind": "exponential", "half_life": 5184000}},)"
      R"({"name": "t7", "points": 8, "decay": {"kind": "exponential", "half_life": 7776000}}]})";
  leadkit_bench::HugeVector<std::int32_t> lead, type;
  leadkit_bench::HugeVector<double> time;

  // in_time_order: sorted by time (a stream's order), else as drawn.
  Events(std::size_t n, bool in_time_order) : lead(n), type(n), time(n) {
    std::mt19937_64 rng(5);
    std::uniform_int_distribution<std::int32_t> lead_of(0, static_cast<std::int32_t>(kLeads - 1));
    std::uniform_int_distribution<std::int32_t> type_of(0, static_cast<std::int32_t>(kTypes - 1));
    std::uniform_real_distribution<double> when(0.0, kSpan);
    for (std::size_t i = 0; i < n; ++i) {
      lead[i] = lead_of(rng);
      type[i] = type_of(rng);
      time[i] = std::floor(kStart + when(rng));
    }
    if (in_time_order) std::sort(time.begin(), time.end());  // leads and types stay random
  }
};

lk_engagement_model* engagement_model(const Lib& lib) {
  lk_engagement_model* model = nullptr;
  lib.check(lib.fn<decltype(lk_engagement_model_from_json)>("lk_engagement_model_from_json")(Events::kModel, &model));
  return model;
}

// Batch decay as compare_peers.py and BM_EngagementBatchDecay measure it:
// the events scored as of the year's end into one output array.
void engagement(const Lib* const lib[2], std::size_t threads, std::size_t n, std::size_t rounds) {
  const Events ev(n, false);
  lk_engagement_model* model[2] = {engagement_model(*lib[0]), engagement_model(*lib[1])};
  leadkit_bench::HugeVector<float> out(Events::kLeads);
  std::printf("engagement batch decay: %zu events, %zu leads, %zu exponential types, %zu thread(s)\n", n,
              Events::kLeads, Events::kTypes, threads);
  run(lib, rounds, static_cast<double>(n), " events", [&](int s) {
    const lk_exec_options o = lib[s]->options(threads);
    lib[s]->check(lib[s]->fn<decltype(lk_engagement_model_score)>("lk_engagement_model_score")(
        model[s], ev.lead.data(), ev.type.data(), ev.time.data(), nullptr, n, Events::kLeads,
        Events::kStart + Events::kSpan, &o, out.data(), nullptr));
  });
  for (int s = 0; s < 2; ++s) lib[s]->fn<decltype(lk_engagement_model_free)>("lk_engagement_model_free")(model[s]);
}

// Streaming engagement as BM_EngagementStreamApply measures it: events drawn
// as for batch decay with their times sorted (leads and types stay random),
// applied CHUNK at a time (as of each chunk's last event) to a state created
// untimed before each call.
void stream(const Lib* const lib[2], std::size_t chunk, std::size_t n, std::size_t rounds) {
  const Events ev(n, true);
  lk_engagement_model* model[2] = {engagement_model(*lib[0]), engagement_model(*lib[1])};
  lk_engagement_state* state[2] = {nullptr, nullptr};
  auto release = [&](int s) {
    lib[s]->fn<decltype(lk_engagement_state_free)>("lk_engagement_state_free")(state[s]);
    state[s] = nullptr;
  };
  std::printf("engagement stream apply: %zu events in chunks of %zu, %zu leads, %zu exponential types\n", n, chunk,
              Events::kLeads, Events::kTypes);
  run(
      lib, rounds, static_cast<double>(n), " events",
      [&](int s) {
        const auto apply = lib[s]->fn<decltype(lk_engagement_state_apply)>("lk_engagement_state_apply");
        for (std::size_t b = 0; b < n; b += chunk) {
          const std::size_t m = std::min(chunk, n - b);
          lib[s]->check(apply(state[s], ev.lead.data() + b, ev.type.data() + b, ev.time.data() + b, nullptr, m,
                              ev.time[b + m - 1]));
        }
      },
      [&](int s) {
        release(s);
        lib[s]->check(lib[s]->fn<decltype(lk_engagement_state_create)>("lk_engagement_state_create")(
            model[s], Events::kLeads, &state[s]));
      });
  for (int s = 0; s < 2; ++s) {
    release(s);
    lib[s]->fn<decltype(lk_engagement_model_free)>("lk_engagement_model_free")(model[s]);
  }
}

// The benchmark Scorecard (bench_scorecard_def.hpp, the logistic weights
// drawn as bench_scorecard.cpp draws them) over ROWS leads of random
// features, every output but reasons written into arrays allocated once.
void scorecard(const Lib* const lib[2], std::size_t threads, std::size_t N, std::size_t rounds) {
  constexpr std::size_t D = 64;
  std::string json;
  {
    const Lib& a = *lib[0];
    lk_scorecard* sc = nullptr;
    lk_schema* schema = nullptr;
    a.check(a.fn<decltype(lk_scorecard_from_json)>("lk_scorecard_from_json")(leadkit_bench::kScorecardDefinition, &sc));
    a.check(a.fn<decltype(lk_scorecard_schema)>("lk_scorecard_schema")(sc, &schema));
    std::size_t d = 0;
    a.check(a.fn<decltype(lk_schema_n_features)>("lk_schema_n_features")(schema, &d));
    if (d != D) throw std::runtime_error("the benchmark Scorecard has " + std::to_string(d) + " features, not 64");
    std::mt19937 rng(5);
    std::normal_distribution<float> nd(0.0f, 0.3f);
    std::string weights;
    for (std::size_t j = 0; j < d; ++j) {
      char name[64];
      a.check(a.fn<decltype(lk_schema_feature_name)>("lk_schema_feature_name")(schema, j, name, sizeof name, nullptr));
      weights += (j ? ", \"" : "\"") + std::string(name) + "\": " + std::to_string(nd(rng));
    }
    a.fn<decltype(lk_schema_free)>("lk_schema_free")(schema);
    a.fn<decltype(lk_scorecard_free)>("lk_scorecard_free")(sc);
    json = leadkit_bench::kScorecardDefinition;
    json.replace(json.find("\"weights\": {}"), 13, "\"weights\": {" + weights + "}");
  }
  lk_scorecard* sc[2] = {nullptr, nullptr};
  for (int s = 0; s < 2; ++s)
    lib[s]->check(lib[s]->fn<decltype(lk_scorecard_from_json)>("lk_scorecard_from_json")(json.c_str(), &sc[s]));
  const auto X = normal_rows(N, D, 1);
  leadkit_bench::HugeVector<float> fit(N), total(N), proba(N);
  leadkit_bench::HugeVector<std::int32_t> grade(N), stage(N);
  std::printf("scorecard features: %zu leads, D = %zu, fit, total, probability, grade and stage, %zu thread(s)\n", N,
              D, threads);
  run(lib, rounds, static_cast<double>(N), " leads", [&](int s) {
    lk_scorecard_output out;
    lib[s]->check(lib[s]->fn<decltype(lk_scorecard_output_init)>("lk_scorecard_output_init")(&out));
    out.fit = fit.data();
    out.total = total.data();
    out.probability = proba.data();
    out.grade = grade.data();
    out.stage = stage.data();
    const lk_exec_options o = lib[s]->options(threads);
    lib[s]->check(lib[s]->fn<decltype(lk_scorecard_score_features)>("lk_scorecard_score_features")(
        sc[s], X.data(), N, D, D, nullptr, &o, &out));
  });
  for (int s = 0; s < 2; ++s) lib[s]->fn<decltype(lk_scorecard_free)>("lk_scorecard_free")(sc[s]);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) usage("expected two libraries and a workload");
  const std::string work = argv[3];
  // The arguments first, so that a usage error never waits for a library.
  std::size_t K = 0, k = 0, threads = 0, chunk = 0, rows = 0, rounds = 0;
  if (work == "persona") {
    if (argc != 9) usage("persona takes K k THREADS ROWS ROUNDS");
    K = arg(argv[4], "K", 1, 1u << 16);
    k = arg(argv[5], "k", 1, std::min<std::size_t>(K, LK_PERSONA_MAX_TOPK));
    threads = arg(argv[6], "THREADS", 0, 1024);
    rows = arg(argv[7], "ROWS", 1, std::size_t{1} << 28);
    rounds = arg(argv[8], "ROUNDS", 1, 100000);
  } else if (work == "logistic" || work == "engagement" || work == "scorecard" || work == "stream") {
    // THREADS COUNT ROUNDS (stream: CHUNK EVENTS ROUNDS), COUNT being leads or, for engagement, events.
    const bool events = work == "engagement" || work == "stream";
    const char* first = work == "stream" ? "CHUNK" : "THREADS";
    const char* count = events ? "EVENTS" : "ROWS";
    if (argc != 7) usage(work + " takes " + first + " " + count + " ROUNDS");
    if (work == "stream")
      chunk = arg(argv[4], first, 1, std::size_t{1} << 30);
    else
      threads = arg(argv[4], first, 0, 1024);
    rows = arg(argv[5], count, 1, std::size_t{1} << (events ? 30 : 28));
    rounds = arg(argv[6], "ROUNDS", 1, 100000);
  } else {
    usage("workload: expected persona, logistic, engagement, stream or scorecard, got '" + work + "'");
  }
  try {
    const Lib a(argv[1]), b(argv[2]);
    const Lib* const lib[2] = {&a, &b};
    if (work == "persona")
      persona(lib, K, k, threads, rows, rounds);
    else if (work == "logistic")
      logistic(lib, threads, rows, rounds);
    else if (work == "engagement")
      engagement(lib, threads, rows, rounds);
    else if (work == "stream")
      stream(lib, chunk, rows, rounds);
    else
      scorecard(lib, threads, rows, rounds);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "leadkit_ab: %s\n", e.what());
    return 1;
  }
  return 0;
}
