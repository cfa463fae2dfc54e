// k-means: recovers separated clusters, is deterministic and bit-identical
// for any thread count, keeps the best restart, mini-batch is close to Lloyd,
// silhouette separates good from random labels, bad input is an error.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>
#include <set>
#include <vector>

#include "engine_errors.hpp"
#include "persona/kmeans.hpp"

using namespace leadkit::engine;
using leadkit::test::message_of;
using leadkit::test::status_of;

namespace {

struct Blobs {
  std::vector<float> X;
  std::vector<int> truth;
  std::size_t n, d;
};

Blobs blobs(std::size_t n, std::size_t d, std::size_t k, float spread, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> nd(0.0f, 1.0f);
  std::vector<float> centres(k * d);
  for (auto& v : centres) v = 10.0f * nd(rng);
  Blobs b{std::vector<float>(n * d), std::vector<int>(n), n, d};
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t c = i % k;
    b.truth[i] = static_cast<int>(c);
    for (std::size_t j = 0; j < d; ++j) b.X[i * d + j] = centres[c * d + j] + spread * nd(rng);
  }
  return b;
}

double inertia_of(const Blobs& b, const KMeansResult& r) {
  double s = 0;
  for (std::size_t i = 0; i < b.n; ++i)
    for (std::size_t j = 0; j < b.d; ++j) {
      const double diff =
          double(b.X[i * b.d + j]) - double(r.centers[std::size_t(r.labels[i]) * b.d + j]);
      s += diff * diff;
    }
  return s;
}

}  // namespace

TEST(KMeans, RecoversSeparatedClusters) {
  const Blobs b = blobs(3000, 8, 5, 0.5f, 1);
  KMeansParams p;
  p.k = 5;
  p.seed = 42;
  p.n_init = 3;
  const KMeansResult r = kmeans({b.X.data(), b.n, b.d, b.d}, p, {});
  std::map<int, std::set<int>> found;  // true cluster -> labels given
  for (std::size_t i = 0; i < b.n; ++i) found[b.truth[i]].insert(r.labels[i]);
  std::set<int> used;
  for (auto& [t, ls] : found) {
    EXPECT_EQ(ls.size(), 1u) << "true cluster " << t << " split";
    used.insert(*ls.begin());
  }
  EXPECT_EQ(used.size(), 5u);
  EXPECT_NEAR(r.inertia, inertia_of(b, r), 1e-3 * r.inertia);
  EXPECT_NEAR(silhouette({b.X.data(), b.n, b.d, b.d}, r.labels.data(), 5, 500, 7, {}), 0.9, 0.1);
  std::vector<std::int32_t> random_labels(b.n);
  std::mt19937 rng(5);
  for (auto& l : random_labels) l = std::int32_t(rng() % 5);
  EXPECT_LT(std::fabs(silhouette({b.X.data(), b.n, b.d, b.d}, random_labels.data(), 5, 500, 7, {})),
            0.1);
}

TEST(KMeans, DeterministicAndBitIdenticalForAnyThreadCount) {
  const Blobs b = blobs(60000, 16, 12, 3.0f, 2);
  KMeansParams p;
  p.k = 12;
  p.seed = 9;
  p.max_iter = 20;
  p.tol = 0;
  const KMeansResult one = kmeans({b.X.data(), b.n, b.d, b.d}, p, ExecOptions{1});
  const KMeansResult two = kmeans({b.X.data(), b.n, b.d, b.d}, p, ExecOptions{2});
  EXPECT_EQ(one.centers, two.centers);
  EXPECT_EQ(one.labels, two.labels);
  EXPECT_EQ(one.inertia, two.inertia);
  p.seed = 10;
  const KMeansResult other = kmeans({b.X.data(), b.n, b.d, b.d}, p, ExecOptions{2});
  EXPECT_NE(one.centers, other.centers);
  p.batch_size = 1024;
  p.max_iter = 100;
  const KMeansResult mb1 = kmeans({b.X.data(), b.n, b.d, b.d}, p, ExecOptions{1});
  const KMeansResult mb2 = kmeans({b.X.data(), b.n, b.d, b.d}, p, ExecOptions{2});
  EXPECT_EQ(mb1.centers, mb2.centers);
  EXPECT_LT(mb1.inertia, 1.15 * one.inertia);
}

TEST(KMeans, RestartsKeepTheLowestInertiaAndGivenInitIsUsed) {
  const Blobs b = blobs(2000, 4, 8, 2.0f, 3);
  KMeansParams p;
  p.k = 8;
  p.seed = 0;
  p.n_init = 4;  // restart 0 uses p.seed itself: never worse than a single run
  const KMeansResult r4 = kmeans({b.X.data(), b.n, b.d, b.d}, p, {});
  p.n_init = 1;
  EXPECT_LE(r4.inertia, kmeans({b.X.data(), b.n, b.d, b.d}, p, {}).inertia);
  // A batch bigger than the data is the data.
  KMeansParams huge = p;
  huge.n_init = 1;
  huge.batch_size = static_cast<std::size_t>(-1) / 2;
  huge.max_iter = 3;
  EXPECT_GT(kmeans({b.X.data(), b.n, b.d, b.d}, huge, {}).inertia, 0.0);
  // Given centres: two points per cluster on a line converge in one step.
  const std::vector<float> X = {0, 1, 10, 11};
  const std::vector<float> init = {0, 10};
  KMeansParams q;
  q.k = 2;
  q.init = init.data();
  const KMeansResult r = kmeans({X.data(), 4, 1, 1}, q, {});
  EXPECT_EQ(r.centers, (std::vector<float>{0.5f, 10.5f}));
  EXPECT_EQ(r.labels, (std::vector<std::int32_t>{0, 0, 1, 1}));
  EXPECT_DOUBLE_EQ(r.inertia, 1.0);
}

TEST(KMeans, BadInputIsASpecificError) {
  std::vector<float> X = {0, 1, 2, 3, 4, 5};
  KMeansParams p;
  p.k = 4;
  EXPECT_NE(message_of([&] {
              kmeans({X.data(), 3, 2, 2}, p, {});
            }).find("k: 4 personas but only 3 leads"),
            std::string::npos);
  p.k = 0;
  EXPECT_EQ(status_of([&] { kmeans({X.data(), 3, 2, 2}, p, {}); }), LK_ERR_INVALID_ARGUMENT);
  p.k = 2;
  p.n_init = 0;
  EXPECT_EQ(status_of([&] { kmeans({X.data(), 3, 2, 2}, p, {}); }), LK_ERR_INVALID_ARGUMENT);
  p.n_init = 2;
  p.init = X.data();
  EXPECT_EQ(status_of([&] { kmeans({X.data(), 3, 2, 2}, p, {}); }), LK_ERR_INVALID_ARGUMENT);
  p.n_init = 1;
  p.init = nullptr;
  X[5] = NAN;
  EXPECT_NE(message_of([&] {
              kmeans({X.data(), 3, 2, 2}, p, {});
            }).find("X: row 2"),
            std::string::npos);
  // With given centres and tol = 0 there is no scan: the assignment reports it.
  const std::vector<float> init = {0, 1, 2, 3};
  p.init = init.data();
  p.tol = 0;
  EXPECT_NE(message_of([&] {
              kmeans({X.data(), 3, 2, 2}, p, {});
            }).find("X: row 2"),
            std::string::npos);
  p.init = nullptr;
  X[5] = 1;
  const std::int32_t labels[3] = {0, 0, 0};
  EXPECT_EQ(status_of([&] {
              silhouette({X.data(), 3, 2, 2}, labels, 2, 0, 0, {});
            }),
            LK_ERR_INVALID_ARGUMENT);
  const std::int32_t bad[3] = {0, 1, 2};
  EXPECT_EQ(status_of([&] {
              silhouette({X.data(), 3, 2, 2}, bad, 2, 0, 0, {});
            }),
            LK_ERR_INVALID_ARGUMENT);
}
