// PersonaSet matching against a float64 reference: the same best persona
// except for ties closer than 1e-6, similarities to float rounding, top-k,
// margin, "unmatched", identical results for any thread count, bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "engine_errors.hpp"
#include "persona/persona_set.hpp"

using namespace leadkit::engine;
using leadkit::test::message_of;
using leadkit::test::status_of;

namespace {

std::vector<std::string> names_of(std::size_t K) {
  std::vector<std::string> n(K);
  for (std::size_t k = 0; k < K; ++k) n[k] = "persona " + std::to_string(k);
  return n;
}

// The definition, in double: sim of lead x to persona k.
double reference(PersonaMetric m, const float* x, const float* p, const float* w, std::size_t D) {
  double xp = 0, xx = 0, pp = 0, dd = 0;
  for (std::size_t j = 0; j < D; ++j) {
    const double wj = w ? double(w[j]) : 1.0, xj = x[j], pj = p[j];
    xp += wj * xj * pj;
    xx += wj * xj * xj;
    pp += wj * pj * pj;
    dd += wj * (xj - pj) * (xj - pj);
  }
  switch (m) {
    case PersonaMetric::dot:
      return xp;
    case PersonaMetric::cosine:
      return xx > 0 ? xp / std::sqrt(xx) / std::sqrt(pp) : 0.0;
    case PersonaMetric::euclidean:
      return 1.0 / (1.0 + dd);
  }
  return 0;
}

struct Case {
  std::size_t N, K, D;
  PersonaMetric metric;
  bool weighted;
  std::size_t k = 3;  // 1: lane-wise top-1; 2..4: lane-wise lists; more: repeated maximum
};

void check_against_reference(const Case& c, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> nd(0.0f, 1.0f);
  std::uniform_real_distribution<float> ud(0.0f, 1.5f);
  std::vector<float> P(c.K * c.D), W, X(c.N * c.D);
  for (auto& v : P) v = nd(rng);
  for (auto& v : X) v = nd(rng);
  if (c.metric == PersonaMetric::euclidean)
    for (auto& v : X) v *= 0.1f;  // keep distances where 1/(1+d) still separates
  if (c.weighted) {
    W.resize(c.K * c.D);
    for (auto& v : W) v = ud(rng) < 0.3f ? 0.0f : ud(rng);
    for (std::size_t k = 0; k < c.K; ++k) W[k * c.D] = 1.0f;
  }
  const PersonaSet set(names_of(c.K), P, c.D, c.metric, W, 0.2f);
  const std::size_t k = std::min<std::size_t>(c.k, c.K);
  std::vector<std::int32_t> best(c.N), topi(c.N * k);
  std::vector<float> sim(c.N), margin(c.N), tops(c.N * k), all(c.N * c.K);
  set.match({X.data(), c.N, c.D, c.D}, k, ExecOptions{1},
            {best.data(), sim.data(), margin.data(), topi.data(), tops.data()});
  set.similarities({X.data(), c.N, c.D, c.D}, ExecOptions{1}, all.data());
  const std::string what = std::string(metric_name(c.metric)) + (c.weighted ? " weighted" : "") +
                           " K=" + std::to_string(c.K) + " D=" + std::to_string(c.D);
  std::vector<double> ref(c.K);
  std::size_t near_ties = 0;
  for (std::size_t i = 0; i < c.N; ++i) {
    const float* x = X.data() + i * c.D;
    for (std::size_t q = 0; q < c.K; ++q)
      ref[q] = reference(c.metric, x, P.data() + q * c.D, c.weighted ? W.data() + q * c.D : nullptr,
                         c.D);
    std::vector<std::size_t> order(c.K);
    for (std::size_t q = 0; q < c.K; ++q) order[q] = q;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return ref[a] > ref[b]; });
    const std::size_t ours = static_cast<std::size_t>(topi[i * k]);
    if (ours != order[0]) {
      ++near_ties;
      ASSERT_LT(ref[order[0]] - ref[ours], 1e-6)
          << what << " lead " << i << ": picked " << ours << " but " << order[0] << " is better";
    }
    const double tol = 2e-5 * (1.0 + std::fabs(ref[order[0]]));
    ASSERT_NEAR(sim[i], ref[order[0]], tol) << what << " lead " << i;
    ASSERT_EQ(best[i], sim[i] >= 0.2f ? static_cast<std::int32_t>(ours) : -1) << what;
    if (c.K >= 2) {
      ASSERT_NEAR(margin[i], ref[order[0]] - ref[order[1]], 2 * tol) << what;
    } else {
      ASSERT_EQ(margin[i], sim[i]) << what;
    }
    for (std::size_t e = 0; e < k; ++e) {
      ASSERT_NEAR(tops[i * k + e], ref[order[e]], tol) << what << " rank " << e;
      ASSERT_NEAR(ref[static_cast<std::size_t>(topi[i * k + e])], ref[order[e]], 1e-6) << what;
      if (e > 0) {
        ASSERT_GE(tops[i * k + e - 1], tops[i * k + e]);
      }
    }
    for (std::size_t q = 0; q < c.K; ++q) ASSERT_NEAR(all[i * c.K + q], ref[q], tol) << what;
  }
  EXPECT_LT(near_ties, c.N / 100 + 1) << what;
}

}  // namespace

TEST(PersonaSet, MatchesTheFloat64Reference) {
  std::uint32_t seed = 1;
  for (auto m : {PersonaMetric::cosine, PersonaMetric::dot, PersonaMetric::euclidean})
    for (bool w : {false, true})
      for (std::size_t K : {1u, 5u, 32u, 70u})
        for (std::size_t k : {1u, 3u, 7u}) check_against_reference({300, K, 64, m, w, k}, seed++);
  check_against_reference({300, 256, 64, PersonaMetric::cosine, false}, 99);
  check_against_reference({300, 19, 13, PersonaMetric::cosine, true}, 98);
}

TEST(PersonaSet, BitIdenticalForAnyThreadCountAndBatching) {
  std::mt19937 rng(3);
  std::normal_distribution<float> nd(0.0f, 1.0f);
  const std::size_t N = 50000, K = 40, D = 24, k = 4;
  std::vector<float> P(K * D), X(N * D);
  for (auto& v : P) v = nd(rng);
  for (auto& v : X) v = nd(rng);
  const PersonaSet set(names_of(K), P, D);
  auto go = [&](int threads, std::size_t from, std::size_t rows, std::vector<std::int32_t>& bi,
                std::vector<float>& s, std::vector<float>& ts) {
    set.match({X.data() + from * D, rows, D, D}, k, ExecOptions{threads},
              {bi.data() + from, s.data() + from, nullptr, nullptr, ts.data() + from * k});
  };
  std::vector<std::int32_t> b1(N), b2(N), b3(N);
  std::vector<float> s1(N), s2(N), s3(N), t1(N * k), t2(N * k), t3(N * k);
  go(1, 0, N, b1, s1, t1);
  go(2, 0, N, b2, s2, t2);
  for (std::size_t i = 0; i < N; i += 7) go(0, i, std::min<std::size_t>(7, N - i), b3, s3, t3);
  EXPECT_EQ(b1, b2);
  EXPECT_EQ(s1, s2);
  EXPECT_EQ(t1, t2);
  EXPECT_EQ(b1, b3);
  EXPECT_EQ(s1, s3);
}

TEST(PersonaSet, UnmatchedBelowMinSimilarityAndZeroLead) {
  // Two personas on the axes; a lead at 45 degrees matches either at 0.707.
  const std::vector<float> P = {1, 0, 0, 1};
  const PersonaSet set({"a", "b"}, P, 2, PersonaMetric::cosine, {}, 0.8f);
  const std::vector<float> X = {1, 0.1f, 1, 1, 0, 0};
  std::int32_t best[3];
  float sim[3], margin[3];
  set.match({X.data(), 3, 2, 2}, 1, ExecOptions{1}, {best, sim, margin, nullptr, nullptr});
  EXPECT_EQ(best[0], 0);
  EXPECT_EQ(best[1], -1);  // 0.707 < 0.8
  EXPECT_NEAR(sim[1], std::sqrt(0.5f), 1e-6f);
  EXPECT_EQ(margin[1], 0.0f);  // an exact tie...
  EXPECT_EQ(best[2], -1);      // a zero lead is similar to nothing
  EXPECT_EQ(sim[2], 0.0f);
  const PersonaSet loose = set.with_min_similarity(0.5f);
  loose.match({X.data(), 2, 2, 2}, 2, ExecOptions{1}, {best, sim, margin, nullptr, nullptr});
  EXPECT_EQ(best[1], 0);  // ...goes to the first persona
}

TEST(PersonaSet, BadInputIsASpecificError) {
  const std::vector<float> P = {1, 0, 0, 0};
  EXPECT_EQ(status_of([&] { PersonaSet({"a", "b"}, P, 2); }), LK_ERR_INVALID_ARGUMENT);
  EXPECT_NE(message_of([&] {
              PersonaSet({"a", "b"}, P, 2);
            }).find("persona 'b' has a zero-norm profile"),
            std::string::npos);
  EXPECT_EQ(status_of([&] { PersonaSet({"a", "b"}, P, 2, PersonaMetric::dot); }), LK_OK);
  EXPECT_NE(message_of([&] {
              PersonaSet({"a", "a"}, {1, 0, 0, 1}, 2);
            }).find("duplicate persona name 'a'"),
            std::string::npos);
  EXPECT_EQ(status_of([&] { PersonaSet({"a"}, {1, 0, 0}, 2); }), LK_ERR_DIMENSION_MISMATCH);
  EXPECT_EQ(status_of([&] { PersonaSet({"a"}, {1, NAN}, 2); }), LK_ERR_NOT_FINITE);
  EXPECT_EQ(status_of([&] {
              PersonaSet({"a"}, {1, 1}, 2, PersonaMetric::cosine, {1, -1});
            }),
            LK_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(status_of([&] { PersonaSet({}, {}, 2); }), LK_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(status_of([&] {
              PersonaSet({"a"}, {1, 1}, 2, PersonaMetric::cosine, {}, NAN);
            }),
            LK_ERR_NOT_FINITE);

  const PersonaSet set({"a", "b"}, {1, 0, 0, 1}, 2);
  std::vector<float> X = {1, 2, 3, 4, 5, 6};
  std::int32_t best[2] = {9, 9};
  float sim[2] = {9, 9};
  EXPECT_EQ(status_of([&] {
              set.match({X.data(), 2, 3, 3}, 1, {}, {best, sim});
            }),
            LK_ERR_DIMENSION_MISMATCH);
  EXPECT_EQ(best[0], 9);  // untouched
  EXPECT_EQ(status_of([&] {
              set.match({X.data(), 2, 2, 2}, 3, {}, {best, sim});
            }),
            LK_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(status_of([&] {
              set.match({X.data(), 2, 2, 2}, 0, {}, {best, sim});
            }),
            LK_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(status_of([&] {
              set.match({X.data(), 2, 2, 2}, 1, {}, {nullptr, sim});
            }),
            LK_ERR_NULL_POINTER);
  X[3] = NAN;
  EXPECT_NE(message_of([&] {
              set.match({X.data(), 2, 2, 2}, 1, {}, {best, sim});
            }).find("X: row 1"),
            std::string::npos);
  EXPECT_EQ(best[0], -1);  // the whole output marks the failure
  EXPECT_TRUE(std::isnan(sim[0]));
}
