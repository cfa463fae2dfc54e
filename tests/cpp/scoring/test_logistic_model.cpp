#include "scoring/logistic_model.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <algorithm>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "kernels/linear.hpp"
#include "engine_errors.hpp"

using leadkit::engine::Error;
using leadkit::engine::ExecOptions;
using leadkit::engine::FeatureView;
using leadkit::engine::LogisticModel;

using leadkit::test::message_of;
using leadkit::test::status_of;

namespace {

struct Data {
  std::size_t rows, cols, stride;
  std::vector<float> X, w;
  float b;
};

Data make_data(std::size_t rows, std::size_t cols, std::size_t stride, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> nd(0.0f, 1.0f);
  Data d{rows, cols, stride, std::vector<float>(rows * stride, 777.0f), std::vector<float>(cols), 0.3f};
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < cols; ++j) d.X[i * stride + j] = nd(rng);
  for (auto& v : d.w) v = 0.2f * nd(rng);
  return d;
}

double reference_proba(const Data& d, std::size_t i) {
  double s = d.b;
  for (std::size_t j = 0; j < d.cols; ++j)
    s += static_cast<double>(d.X[i * d.stride + j]) * static_cast<double>(d.w[j]);
  return 1.0 / (1.0 + std::exp(-s));
}

}  // namespace

TEST(LogisticModel, MatchesDoublePrecisionReference) {
  for (std::size_t cols : {1U, 3U, 7U, 16U, 64U, 129U}) {
    Data d = make_data(513, cols, cols, static_cast<unsigned>(cols));
    LogisticModel m(d.w.data(), cols, d.b);
    std::vector<float> p(d.rows);
    m.predict_proba({d.X.data(), d.rows, d.cols, d.stride}, ExecOptions{1}, p.data());
    for (std::size_t i = 0; i < d.rows; ++i)
      ASSERT_NEAR(p[i], reference_proba(d, i), 2e-6) << "cols=" << cols << " row=" << i;
  }
}

TEST(LogisticModel, HonoursRowStride) {
  Data d = make_data(300, 10, 13, 5);  // 3 floats of padding per row, set to 777
  LogisticModel m(d.w.data(), 10, d.b);
  std::vector<float> p(d.rows);
  m.predict_proba({d.X.data(), d.rows, d.cols, d.stride}, ExecOptions{1}, p.data());
  for (std::size_t i = 0; i < d.rows; ++i) ASSERT_NEAR(p[i], reference_proba(d, i), 2e-6);
}

TEST(LogisticModel, BitIdenticalForAnyThreadCount) {
  Data d = make_data(200000, 64, 64, 11);  // large enough to use several tasks and threads
  LogisticModel m(d.w.data(), 64, d.b);
  std::vector<float> p1(d.rows), p2(d.rows), p8(d.rows);
  const FeatureView v{d.X.data(), d.rows, d.cols, d.stride};
  m.predict_proba(v, ExecOptions{1}, p1.data());
  m.predict_proba(v, ExecOptions{2}, p2.data());
  m.predict_proba(v, ExecOptions{8}, p8.data());
  EXPECT_EQ(std::memcmp(p1.data(), p2.data(), p1.size() * sizeof(float)), 0);
  EXPECT_EQ(std::memcmp(p1.data(), p8.data(), p1.size() * sizeof(float)), 0);
}

TEST(LogisticModel, DecisionFunctionIsTheLogit) {
  Data d = make_data(50, 8, 8, 3);
  LogisticModel m(d.w.data(), 8, d.b);
  std::vector<float> s(d.rows), p(d.rows);
  const FeatureView v{d.X.data(), d.rows, d.cols, d.stride};
  m.decision_function(v, {}, s.data());
  m.predict_proba(v, {}, p.data());
  for (std::size_t i = 0; i < d.rows; ++i) ASSERT_NEAR(leadkit::kernels::sigmoid(s[i]), p[i], 1e-7);
}

TEST(LogisticModel, SigmoidIsStableAtTheExtremes) {
  using leadkit::kernels::sigmoid;
  EXPECT_EQ(sigmoid(0.0f), 0.5f);
  EXPECT_EQ(sigmoid(1000.0f), 1.0f);
  EXPECT_EQ(sigmoid(-1000.0f), 0.0f);
  EXPECT_FALSE(std::isnan(sigmoid(-std::numeric_limits<float>::max())));
  EXPECT_NEAR(sigmoid(-20.0f), 2.0611536e-9f, 1e-15f);
}

TEST(LogisticModel, RejectsBadParameters) {
  const float w[3] = {1.0f, 2.0f, 3.0f};
  const float nan_w[3] = {1.0f, std::numeric_limits<float>::quiet_NaN(), 3.0f};
  EXPECT_EQ(status_of([&] { LogisticModel(nullptr, 3, 0.0f); }), LK_ERR_NULL_POINTER);
  EXPECT_EQ(status_of([&] { LogisticModel(w, 0, 0.0f); }), LK_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(status_of([&] { LogisticModel(nan_w, 3, 0.0f); }), LK_ERR_NOT_FINITE);
  EXPECT_EQ(status_of([&] { LogisticModel(w, 3, std::numeric_limits<float>::infinity()); }),
            LK_ERR_NOT_FINITE);
  try {
    LogisticModel(nan_w, 3, 0.0f);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("weights[1]"), std::string::npos) << e.what();
  }
}

TEST(LogisticModel, RejectsBadShapesWithoutWriting) {
  Data d = make_data(4, 3, 3, 1);
  LogisticModel m(d.w.data(), 3, d.b);
  std::vector<float> out(4, -1.0f);
  const std::vector<float> untouched = out;
  EXPECT_EQ(status_of([&] { m.predict_proba({nullptr, 4, 3, 3}, {}, out.data()); }), LK_ERR_NULL_POINTER);
  EXPECT_EQ(status_of([&] { m.predict_proba({d.X.data(), 0, 3, 3}, {}, out.data()); }), LK_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(status_of([&] { m.predict_proba({d.X.data(), 4, 2, 3}, {}, out.data()); }), LK_ERR_DIMENSION_MISMATCH);
  EXPECT_EQ(status_of([&] { m.predict_proba({d.X.data(), 4, 3, 2}, {}, out.data()); }), LK_ERR_DIMENSION_MISMATCH);
  EXPECT_EQ(status_of([&] { m.predict_proba({d.X.data(), 4, 3, 3}, {}, nullptr); }), LK_ERR_NULL_POINTER);
  EXPECT_EQ(out, untouched);
}

TEST(LogisticModel, NonFiniteFeatureIsAnErrorAndLeavesNoPartialResult) {
  Data d = make_data(100000, 16, 16, 9);
  d.X[70000 * 16 + 5] = std::numeric_limits<float>::quiet_NaN();
  d.X[90000 * 16 + 1] = std::numeric_limits<float>::infinity();
  LogisticModel m(d.w.data(), 16, d.b);
  for (int threads : {1, 2}) {
    std::vector<float> out(d.rows, 0.25f);
    try {
      m.predict_proba({d.X.data(), d.rows, d.cols, d.stride}, ExecOptions{threads}, out.data());
      FAIL() << "expected LK_ERR_NOT_FINITE";
    } catch (const Error& e) {
      EXPECT_EQ(e.status(), LK_ERR_NOT_FINITE);
      EXPECT_NE(std::string(e.what()).find("row 70000"), std::string::npos) << e.what();
    }
    for (float v : out) ASSERT_TRUE(std::isnan(v));
  }
}

TEST(LogisticModel, ALeadsScoreDoesNotDependOnItsBatch) {
  // The same lead scored alone, in a small batch and deep inside a large one
  // (other blocks, SIMD tails in different places) gets the same bits.
  Data small = make_data(37, 64, 64, 21);
  std::vector<float> big(100003 * 64);
  for (std::size_t i = 0; i < 100003; ++i)
    std::copy(small.X.begin() + static_cast<long>((i % 37) * 64),
              small.X.begin() + static_cast<long>((i % 37 + 1) * 64), big.begin() + static_cast<long>(i * 64));
  LogisticModel m(small.w.data(), 64, small.b);
  std::vector<float> p_small(37), p_big(100003), p_one(1);
  m.predict_proba({small.X.data(), 37, 64, 64}, ExecOptions{1}, p_small.data());
  m.predict_proba({big.data(), 100003, 64, 64}, ExecOptions{2}, p_big.data());
  for (std::size_t i = 0; i < 100003; ++i) ASSERT_EQ(p_big[i], p_small[i % 37]) << "row " << i;
  for (std::size_t i = 0; i < 37; ++i) {
    m.predict_proba({small.X.data() + i * 64, 1, 64, 64}, ExecOptions{1}, p_one.data());
    ASSERT_EQ(p_one[0], p_small[i]);
  }
}

TEST(LogisticModel, ReasonsAreTheLargestContributionsToTheLogOdds) {
  Data d = make_data(2000, 24, 24, 31);
  for (std::size_t i = 0; i < d.rows; ++i) d.X[i * 24 + (i % 24)] = 0.0f;  // some exact zeros
  LogisticModel m(d.w.data(), 24, d.b);
  const std::size_t k = 4;
  std::vector<float> p(d.rows), c(d.rows * k), all(d.rows * 24), p_all(d.rows);
  std::vector<std::int32_t> f(d.rows * k), f_all(d.rows * 24);
  m.reasons({d.X.data(), d.rows, 24, 24}, k, ExecOptions{2}, p.data(), f.data(), c.data());
  m.reasons({d.X.data(), d.rows, 24, 24}, 24, ExecOptions{1}, p_all.data(), f_all.data(), all.data());
  EXPECT_EQ(p, p_all);
  for (std::size_t i = 0; i < d.rows; ++i) {
    double logit = d.b;
    for (std::size_t j = 0; j < 24; ++j) logit += static_cast<double>(all[i * 24 + j]);
    ASSERT_NEAR(1.0 / (1.0 + std::exp(-logit)), p[i], 2e-6) << "row " << i;
    for (std::size_t j = 0; j < k; ++j) {
      ASSERT_EQ(f[i * k + j], f_all[i * 24 + j]);  // top-k is a prefix of the full ranking
      const auto fj = static_cast<std::size_t>(f[i * k + j]);
      ASSERT_EQ(c[i * k + j], d.w[fj] * d.X[i * 24 + fj]);
      if (j > 0) {
        ASSERT_GE(std::fabs(c[i * k + j - 1]), std::fabs(c[i * k + j]));
      }
    }
    ASSERT_EQ(f_all[i * 24 + 23], -1);  // the zero feature is never a reason
  }
}
