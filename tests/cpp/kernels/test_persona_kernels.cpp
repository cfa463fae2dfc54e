// Every persona kernel variant this CPU runs agrees with the baseline variant,
// for every mode, K around the block and tile edges, odd D, strided rows and
// partial row ranges.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "kernels/isa.hpp"
#include "persona/persona_set.hpp"

using namespace leadkit;
using namespace leadkit::kernels;

namespace {

struct Out {
  std::vector<std::int32_t> best, topi;
  std::vector<float> sim, margin, tops, all, dist;
};

Out run(const KernelTable& t, const engine::PersonaSet& set, const std::vector<float>& X,
        std::size_t stride, std::size_t begin, std::size_t n, std::size_t k) {
  Out o;
  o.best.assign(n, -7);
  o.topi.assign(n * k, -7);
  o.sim.assign(n, -7.0f);
  o.margin.assign(n, -7.0f);
  o.tops.assign(n * k, -7.0f);
  o.all.assign(n * set.size(), -7.0f);
  o.dist.assign(n, -7.0f);
  std::vector<float> scratch(kPersonaScratchRows * set.n_features());
  PersonaOut po;
  po.k = k;
  po.min_similarity = set.min_similarity();
  po.best = o.best.data();
  po.similarity = o.sim.data();
  po.margin = o.margin.data();
  po.topk_index = o.topi.data();
  po.topk_score = o.tops.data();
  po.all = o.all.data();
  po.sq_distance = o.dist.data();
  po.scratch = scratch.data();
  EXPECT_EQ(t.persona_rows(X.data(), stride, begin, n, set.panel(), po), n);
  return o;
}

}  // namespace

TEST(PersonaKernels, EveryVariantAgreesWithBaseline) {
  std::mt19937 rng(11);
  std::normal_distribution<float> nd(0.0f, 1.0f);
  std::uniform_real_distribution<float> ud(0.0f, 2.0f);
  const KernelTable& base = *table_for(Isa::baseline);
  for (int i = 0; i < kIsaCount; ++i) {
    const KernelTable* t = table_for(static_cast<Isa>(i));
    if (t == nullptr) continue;
    for (std::size_t K : {1u, 2u, 15u, 16u, 17u, 33u, 64u, 65u, 130u}) {
      for (std::size_t D : {1u, 7u, 64u}) {
        for (auto metric : {engine::PersonaMetric::cosine, engine::PersonaMetric::dot,
                            engine::PersonaMetric::euclidean}) {
          for (bool weighted : {false, true}) {
            std::vector<std::string> names(K);
            for (std::size_t k = 0; k < K; ++k) names[k] = "p" + std::to_string(k);
            std::vector<float> P(K * D), W;
            for (auto& v : P) v = nd(rng);
            if (weighted) {
              W.resize(K * D);
              for (auto& v : W) v = ud(rng);
              for (std::size_t k = 0; k < K; ++k) W[k * D] = 1.0f;  // no zero-norm profile
            }
            const engine::PersonaSet set(names, P, D, metric, W, 0.1f);
            // Every tail length of a 6-row (and 3-row) tile, and several tiles.
            for (std::size_t count : {1u, 2u, 3u, 4u, 5u, 6u, 7u, 27u}) {
              const std::size_t begin = 2, n = begin + count, stride = D + 3;
              std::vector<float> X(n * stride);
              for (auto& v : X) v = nd(rng);
              const std::size_t k =
                  std::min<std::size_t>(K, 1 + (K + D) % 6);  // 1, lane lists, repeated max
              const Out a = run(base, set, X, stride, begin, n, k),
                        b = run(*t, set, X, stride, begin, n, k);
              const std::string what = std::string(isa_name(t->isa)) + " K=" + std::to_string(K) +
                                       " D=" + std::to_string(D) +
                                       " metric=" + engine::metric_name(metric) +
                                       (weighted ? " weighted" : "");
              for (std::size_t r = 0; r < n; ++r) {
                if (r < begin) {
                  ASSERT_EQ(b.best[r], -7) << "row outside [begin, end) written: " << what;
                  continue;
                }
                ASSERT_NEAR(a.sim[r], b.sim[r], 1e-4f * (1.0f + std::fabs(a.sim[r]))) << what;
                // Same persona unless two are tied to float rounding.
                if (a.topi[r * k] != b.topi[r * k]) {
                  ASSERT_NEAR(a.tops[r * k], a.tops[r * k + 1], 1e-4f) << what;
                }
                for (std::size_t q = 0; q < K; ++q)
                  ASSERT_NEAR(a.all[r * K + q], b.all[r * K + q],
                              1e-4f * (1.0f + std::fabs(a.all[r * K + q])))
                      << what;
                if (metric == engine::PersonaMetric::euclidean) {
                  ASSERT_NEAR(a.dist[r], b.dist[r], 1e-3f * (1.0f + a.dist[r])) << what;
                }
              }
            }
          }
        }
      }
    }
  }
}

TEST(PersonaKernels, AccumulateIsExactlyTheBaselineOnEveryVariant) {
  std::mt19937 rng(5);
  std::normal_distribution<float> nd(0.0f, 1.0f);
  const std::size_t n = 101, d = 37, stride = 40, k = 5;
  std::vector<float> X(n * stride);
  for (auto& v : X) v = nd(rng);
  std::vector<std::int32_t> labels(n);
  for (auto& l : labels) l = static_cast<std::int32_t>(rng() % k);
  std::vector<double> want(k * d, 0.0);
  for (std::size_t i = 3; i < n; ++i)
    for (std::size_t j = 0; j < d; ++j)
      want[std::size_t(labels[i]) * d + j] += double(X[i * stride + j]);
  for (int i = 0; i < kIsaCount; ++i) {
    const KernelTable* t = table_for(static_cast<Isa>(i));
    if (t == nullptr) continue;
    std::vector<double> got(k * d, 0.0);
    t->persona_accumulate(X.data(), stride, 3, n, d, labels.data(), got.data());
    EXPECT_EQ(got, want) << isa_name(t->isa);
  }
}

// A batch takes the rows-as-lanes path (no `all` output, unweighted, short
// top lists); a lead alone takes the tile path. Both must give the same bits,
// so a lead's persona never depends on the batch it came in.
TEST(PersonaKernels, RowsAsLanesGiveTheBitsOfTheTilePath) {
  std::mt19937 rng(23);
  std::normal_distribution<float> nd(0.0f, 1.0f);
  for (int i = 0; i < kIsaCount; ++i) {
    const KernelTable* t = table_for(static_cast<Isa>(i));
    if (t == nullptr) continue;
    for (std::size_t K : {1u, 3u, 16u, 17u, 32u, 40u, 256u, 300u}) {
      for (std::size_t D : {1u, 7u, 64u, 100u}) {
        for (auto metric : {engine::PersonaMetric::cosine, engine::PersonaMetric::dot,
                            engine::PersonaMetric::euclidean}) {
          std::vector<std::string> names(K);
          for (std::size_t q = 0; q < K; ++q) names[q] = "p" + std::to_string(q);
          std::vector<float> P(K * D);
          for (auto& v : P) v = nd(rng);
          // Two identical profiles: exact ties must go to the lower persona on both paths.
          if (K >= 3)
            for (std::size_t j = 0; j < D; ++j) P[2 * D + j] = P[1 * D + j];
          // Three more copies, in the last slot of a 16-persona panel block
          // and the first two of the next: ties across blocks and passes.
          if (K >= 300)
            for (std::size_t q : {255u, 256u, 257u})
              for (std::size_t j = 0; j < D; ++j) P[q * D + j] = P[1 * D + j];
          const engine::PersonaSet set(names, P, D, metric, {}, 0.1f);
          // 69 rows: on AVX-512 a group of three blocks (K >= 96) or two
          // groups of two (K < 96), then one block alone (K >= 96) and a
          // short block; on AVX2 groups of two blocks of 8 and a short one;
          // on the baseline blocks and a short one.
          const std::size_t n = 69, stride = D + 1;
          std::vector<float> X(n * stride);
          for (auto& v : X) v = nd(rng);
          // A lead of zeros (no cosine direction) inside a full block.
          for (std::size_t j = 0; j < D; ++j) X[5 * stride + j] = 0.0f;
          // A lead on persona 1's profile: its top list is all ties.
          if (K >= 3)
            for (std::size_t j = 0; j < D; ++j) X[7 * stride + j] = P[1 * D + j];
          for (std::size_t k = 1; k <= std::min<std::size_t>(4, K); ++k) {
            for (bool with_margin : {false, true}) {
              std::vector<std::int32_t> best(n, -7), topi(n * k, -7), best1(n, -7), topi1(n * k, -7);
              std::vector<float> sim(n), margin(n), tops(n * k), dist(n), sim1(n), margin1(n), tops1(n * k), dist1(n);
              auto out = [&](std::int32_t* b, float* s, float* m, std::int32_t* ti, float* ts, float* d) {
                PersonaOut po;
                po.k = k;
                po.min_similarity = set.min_similarity();
                po.best = b;
                po.similarity = s;
                po.margin = with_margin ? m : nullptr;
                po.topk_index = ti;
                po.topk_score = ts;
                po.sq_distance = d;
                return po;
              };
              ASSERT_EQ(t->persona_rows(X.data(), stride, 0, n, set.panel(),
                                        out(best.data(), sim.data(), margin.data(), topi.data(), tops.data(), dist.data())),
                        n);
              for (std::size_t r = 0; r < n; ++r)
                ASSERT_EQ(t->persona_rows(X.data(), stride, r, r + 1, set.panel(),
                                          out(best1.data(), sim1.data(), margin1.data(), topi1.data(), tops1.data(),
                                              dist1.data())),
                          r + 1);
              const std::string where = std::string(isa_name(t->isa)) + " K=" + std::to_string(K) +
                                        " D=" + std::to_string(D) + " k=" + std::to_string(k);
              // Lead 7's list: the copies of its own profile, lowest persona first.
              if (metric != engine::PersonaMetric::dot && D >= 7 && K >= 3) {
                const std::int32_t want[4] = {1, 2, K >= 300 ? 255 : -2, K >= 300 ? 256 : -2};
                for (std::size_t e = 0; e < k; ++e) {
                  if (want[e] != -2) {
                    EXPECT_EQ(topi[7 * k + e], want[e]) << where << " entry " << e;
                  }
                }
              }
              ASSERT_EQ(best, best1) << where;
              ASSERT_EQ(sim, sim1) << where;
              ASSERT_EQ(topi, topi1) << where;
              ASSERT_EQ(tops, tops1) << where;
              if (with_margin) {
                ASSERT_EQ(margin, margin1) << where;
              }
              if (metric == engine::PersonaMetric::euclidean) {
                ASSERT_EQ(dist, dist1) << where;
              }
            }
          }
        }
      }
    }
  }
}
