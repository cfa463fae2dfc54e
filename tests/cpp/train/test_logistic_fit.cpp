#include "train/logistic_fit.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "engine_errors.hpp"

using namespace leadkit::engine;

using leadkit::test::message_of;
using leadkit::test::status_of;

namespace {

// n leads with D features and outcomes drawn from a known logistic model.
struct Data {
  std::size_t n, d;
  std::vector<float> X, y, w_true;
  float b_true = -1.0f;
  Data(std::size_t n_, std::size_t d_, unsigned seed = 3) : n(n_), d(d_), X(n_ * d_), y(n_), w_true(d_) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> nd(0.0f, 1.0f);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    for (std::size_t j = 0; j < d; ++j) w_true[j] = (j % 3 == 0 ? 1.0f : -0.5f) * static_cast<float>(j % 4) * 0.5f;
    for (std::size_t i = 0; i < n; ++i) {
      double z = b_true;
      for (std::size_t j = 0; j < d; ++j) {
        // A one-hot-like block and a few dense columns, as encoded leads look.
        const float v = j < d / 2 ? (rng() % 4 == 0 ? 1.0f : 0.0f) : nd(rng);
        X[i * d + j] = v;
        z += static_cast<double>(v) * static_cast<double>(w_true[j]);
      }
      y[i] = static_cast<double>(u(rng)) < 1.0 / (1.0 + std::exp(-z)) ? 1.0f : 0.0f;
    }
  }
  FeatureView view() const { return {X.data(), n, d, d}; }
};

// The gradient of the objective at the model's weights, in double.
double max_gradient(const Data& data, const LogisticModel& m, double C, const float* sw = nullptr) {
  std::vector<double> g(data.d + 1, 0.0);
  for (std::size_t i = 0; i < data.n; ++i) {
    auto x = [&](std::size_t j) { return static_cast<double>(data.X[i * data.d + j]); };
    double z = static_cast<double>(m.intercept());
    for (std::size_t j = 0; j < data.d; ++j) z += x(j) * static_cast<double>(m.weights()[j]);
    const double wi = sw ? static_cast<double>(sw[i]) : 1.0;
    const double r = wi * (1.0 / (1.0 + std::exp(-z)) - static_cast<double>(data.y[i]));
    for (std::size_t j = 0; j < data.d; ++j) g[j] += r * x(j);
    g[data.d] += r;
  }
  double worst = 0.0;
  for (std::size_t j = 0; j <= data.d; ++j) {
    if (j < data.d) g[j] += static_cast<double>(m.weights()[j]) / C;
    worst = std::max(worst, std::fabs(g[j]));
  }
  return worst / static_cast<double>(data.n);
}

}  // namespace

TEST(LogisticFit, ReachesTheOptimumAndRecoversTheWeights) {
  const Data data(40000, 12);
  LogisticFitReport rep;
  LogisticFitOptions opt;
  opt.C = 100.0;
  const LogisticModel m = fit_logistic(data.view(), data.y.data(), nullptr, opt, ExecOptions{2}, &rep);
  EXPECT_TRUE(rep.converged);
  EXPECT_LE(rep.iterations, 15);
  // At the optimum the gradient vanishes (up to the float32 weights).
  EXPECT_LT(max_gradient(data, m, opt.C), 1e-5);
  for (std::size_t j = 0; j < data.d; ++j) EXPECT_NEAR(m.weights()[j], data.w_true[j], 0.1) << j;
  EXPECT_NEAR(m.intercept(), data.b_true, 0.1);
}

TEST(LogisticFit, SameWeightsForAnyThreadCount) {
  const Data data(30000, 8, 9);  // several tasks
  const LogisticModel a = fit_logistic(data.view(), data.y.data(), nullptr, {}, ExecOptions{1}, nullptr);
  const LogisticModel b = fit_logistic(data.view(), data.y.data(), nullptr, {}, ExecOptions{2}, nullptr);
  EXPECT_EQ(a.weights(), b.weights());
  EXPECT_EQ(a.intercept(), b.intercept());
}

TEST(LogisticFit, SampleWeightsCountLikeRepeatedLeads) {
  const Data data(3000, 5, 4);
  // Weight 2 on the first half equals those leads appearing twice.
  std::vector<float> sw(data.n, 1.0f);
  Data twice = data;
  for (std::size_t i = 0; i < data.n / 2; ++i) {
    sw[i] = 2.0f;
    twice.X.insert(twice.X.end(), data.X.begin() + static_cast<long>(i * data.d),
                   data.X.begin() + static_cast<long>((i + 1) * data.d));
    twice.y.push_back(data.y[i]);
  }
  twice.n = data.n + data.n / 2;
  const LogisticModel a = fit_logistic(data.view(), data.y.data(), sw.data(), {}, ExecOptions{1}, nullptr);
  const LogisticModel b = fit_logistic(twice.view(), twice.y.data(), nullptr, {}, ExecOptions{1}, nullptr);
  for (std::size_t j = 0; j < data.d; ++j) EXPECT_NEAR(a.weights()[j], b.weights()[j], 1e-4) << j;
  EXPECT_LT(max_gradient(data, a, 1.0, sw.data()), 1e-5);
  // Stronger regularisation shrinks the weights.
  LogisticFitOptions strong;
  strong.C = 1e-3;
  const LogisticModel s = fit_logistic(data.view(), data.y.data(), nullptr, strong, ExecOptions{1}, nullptr);
  double na = 0, ns = 0;
  for (std::size_t j = 0; j < data.d; ++j) {
    na += static_cast<double>(std::fabs(a.weights()[j]));
    ns += static_cast<double>(std::fabs(s.weights()[j]));
  }
  EXPECT_LT(ns, 0.5 * na);
}

TEST(LogisticFit, BadInputIsASpecificError) {
  Data data(200, 3);
  const FeatureView X = data.view();
  auto msg = [&](const std::vector<float>& y, const float* sw, LogisticFitOptions o = {}) {
    return message_of([&] { fit_logistic(X, y.data(), sw, o, {}, nullptr); });
  };
  std::vector<float> y = data.y;
  y[17] = 0.5f;
  EXPECT_NE(msg(y, nullptr).find("y[17]: is 0.5; outcomes must be 0 or 1"), std::string::npos);
  EXPECT_NE(msg(std::vector<float>(200, 1.0f), nullptr).find("every lead has the outcome 1"), std::string::npos);
  std::vector<float> sw(200, 1.0f);
  sw[3] = -1.0f;
  EXPECT_NE(msg(data.y, sw.data()).find("sample_weight[3]"), std::string::npos);
  LogisticFitOptions bad;
  bad.C = 0.0;
  EXPECT_NE(msg(data.y, nullptr, bad).find("C: must be a finite number > 0"), std::string::npos);
  bad = {};
  bad.max_iter = 0;
  EXPECT_NE(msg(data.y, nullptr, bad).find("max_iter"), std::string::npos);
  data.X[5 * 3 + 1] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(status_of([&] { fit_logistic(data.view(), data.y.data(), nullptr, {}, {}, nullptr); }), LK_ERR_NOT_FINITE);
  EXPECT_EQ(status_of([&] { fit_logistic(data.view(), nullptr, nullptr, {}, {}, nullptr); }), LK_ERR_NULL_POINTER);
}
