#include "train/logistic_fit.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/error.hpp"
#include "core/thread_pool.hpp"

namespace leadkit::engine {

namespace {

using Matrix = Eigen::MatrixXd;
using Vector = Eigen::VectorXd;

// Rows per task (the unit of the deterministic reduction) and per Eigen block.
constexpr std::size_t kRowsPerTask = 8192;
constexpr std::size_t kBlock = 256;

// log(1 + exp(z)) without overflow.
double softplus(double z) { return z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z)); }

struct Problem {
  const FeatureView& X;
  const float* y;
  const float* sw;
  std::size_t p;  // parameters: D weights (+ 1 intercept)
  bool intercept;
  ExecOptions exec;

  std::size_t n_tasks() const { return (X.rows + kRowsPerTask - 1) / kRowsPerTask; }
  unsigned threads() const { return threads_for(exec.threads, X.rows * X.cols, std::size_t{1} << 16, n_tasks()); }

  // x_i . w + b in double.
  double margin(std::size_t i, const Vector& theta) const {
    const float* x = X.row(i);
    double z = intercept ? theta[static_cast<Eigen::Index>(X.cols)] : 0.0;
    for (std::size_t j = 0; j < X.cols; ++j) z += static_cast<double>(x[j]) * theta[static_cast<Eigen::Index>(j)];
    return z;
  }
  double weight(std::size_t i) const { return sw ? static_cast<double>(sw[i]) : 1.0; }

  // The data part of the loss at theta.
  double loss(const Vector& theta) const {
    std::vector<double> part(n_tasks(), 0.0);
    ThreadPool::instance().run(n_tasks(), threads(), [&](std::size_t t) {
      const std::size_t r0 = t * kRowsPerTask, r1 = std::min(X.rows, r0 + kRowsPerTask);
      double l = 0.0;
      for (std::size_t i = r0; i < r1; ++i) {
        const double z = margin(i, theta);
        l += weight(i) * (softplus(z) - static_cast<double>(y[i]) * z);
      }
      part[t] = l;
    });
    double l = 0.0;
    for (double v : part) l += v;  // task order: the same for any thread count
    return l;
  }

  // Gradient and Hessian of the data part at theta; returns its loss.
  double derivatives(const Vector& theta, Vector& g, Matrix& H) const {
    const std::size_t T = n_tasks();
    std::vector<Vector> gs(T, Vector::Zero(static_cast<Eigen::Index>(p)));
    std::vector<Matrix> hs(T, Matrix::Zero(static_cast<Eigen::Index>(p), static_cast<Eigen::Index>(p)));
    std::vector<double> ls(T, 0.0);
    const auto D = static_cast<Eigen::Index>(X.cols);
    ThreadPool::instance().run(T, threads(), [&](std::size_t t) {
      const std::size_t r0 = t * kRowsPerTask, r1 = std::min(X.rows, r0 + kRowsPerTask);
      Matrix A(static_cast<Eigen::Index>(p), static_cast<Eigen::Index>(kBlock));  // sqrt(s_i) * [x_i; 1], one column per lead
      Matrix B(static_cast<Eigen::Index>(p), static_cast<Eigen::Index>(kBlock));  // [x_i; 1]
      Vector r(static_cast<Eigen::Index>(kBlock));
      double l = 0.0;
      for (std::size_t b0 = r0; b0 < r1; b0 += kBlock) {
        const auto m = static_cast<Eigen::Index>(std::min(r1, b0 + kBlock) - b0);
        for (Eigen::Index c = 0; c < m; ++c) {
          const std::size_t i = b0 + static_cast<std::size_t>(c);
          const double z = margin(i, theta), w = weight(i), yi = static_cast<double>(y[i]);
          const double prob = 1.0 / (1.0 + std::exp(-z));
          l += w * (softplus(z) - yi * z);
          r[c] = w * (prob - yi);
          const double s = std::sqrt(w * prob * (1.0 - prob));
          const float* x = X.row(i);
          for (Eigen::Index j = 0; j < D; ++j) {
            B(j, c) = static_cast<double>(x[j]);
            A(j, c) = s * B(j, c);
          }
          if (intercept) {
            B(D, c) = 1.0;
            A(D, c) = s;
          }
        }
        gs[t].noalias() += B.leftCols(m) * r.head(m);
        hs[t].selfadjointView<Eigen::Lower>().rankUpdate(A.leftCols(m));
      }
      ls[t] = l;
    });
    g.setZero();
    H.setZero();
    double l = 0.0;
    for (std::size_t t = 0; t < T; ++t) {  // task order: the same for any thread count
      g += gs[t];
      H += hs[t];
      l += ls[t];
    }
    H = H.selfadjointView<Eigen::Lower>();
    return l;
  }
};

}  // namespace

LogisticModel fit_logistic(const FeatureView& X, const float* y, const float* sample_weight,
                           const LogisticFitOptions& options, const ExecOptions& exec,
                           LogisticFitReport* report) {
  X.validate("X", X.cols);
  if (X.cols == 0) fail(LK_ERR_INVALID_ARGUMENT, "X: has no columns");
  if (y == nullptr) fail(LK_ERR_NULL_POINTER, "y: is NULL");
  if (!(options.C > 0.0) || !std::isfinite(options.C))
    fail(LK_ERR_INVALID_ARGUMENT, "C: must be a finite number > 0, got ", options.C);
  if (options.max_iter < 1) fail(LK_ERR_INVALID_ARGUMENT, "max_iter: must be at least 1, got ", options.max_iter);
  if (!(options.tol > 0.0) || !std::isfinite(options.tol))
    fail(LK_ERR_INVALID_ARGUMENT, "tol: must be a finite number > 0, got ", options.tol);
  // Validate everything before any work: outcomes, weights, features.
  std::size_t positives = 0, negatives = 0;
  double total_weight = 0.0;
  for (std::size_t i = 0; i < X.rows; ++i) {
    if (y[i] == 1.0f) ++positives;
    else if (y[i] == 0.0f) ++negatives;
    else fail(LK_ERR_INVALID_ARGUMENT, "y[", i, "]: is ", y[i], "; outcomes must be 0 or 1");
    if (sample_weight) {
      if (!std::isfinite(sample_weight[i]) || sample_weight[i] < 0.0f)
        fail(LK_ERR_INVALID_ARGUMENT, "sample_weight[", i, "]: is ", static_cast<double>(sample_weight[i]), "; weights must be finite and >= 0");
      total_weight += static_cast<double>(sample_weight[i]);
    } else {
      total_weight += 1.0;
    }
    const float* x = X.row(i);
    for (std::size_t j = 0; j < X.cols; ++j)
      if (!std::isfinite(x[j]))
        fail(LK_ERR_NOT_FINITE, "X: row ", i, ", column ", j, " is not finite; encode missing values first");
  }
  if (positives == 0 || negatives == 0)
    fail(LK_ERR_INVALID_ARGUMENT, "y: every lead has the outcome ", positives ? 1 : 0,
         "; learning needs both converted (1) and not converted (0) leads");
  if (!(total_weight > 0.0)) fail(LK_ERR_INVALID_ARGUMENT, "sample_weight: the weights sum to 0");

  const Problem pb{X, y, sample_weight, X.cols + (options.fit_intercept ? 1 : 0), options.fit_intercept, exec};
  const auto P = static_cast<Eigen::Index>(pb.p);
  const auto D = static_cast<Eigen::Index>(X.cols);
  const double lambda = 1.0 / options.C;
  auto objective = [&](const Vector& theta, double data_loss) {
    return data_loss + 0.5 * lambda * theta.head(D).squaredNorm();
  };

  Vector theta = Vector::Zero(P), g(P);
  Matrix H(P, P);
  LogisticFitReport rep;
  double f = 0.0;
  for (int it = 0; it < options.max_iter; ++it) {
    const double data_loss = pb.derivatives(theta, g, H);
    f = objective(theta, data_loss);
    g.head(D) += lambda * theta.head(D);
    H.diagonal().head(D).array() += lambda;
    rep.iterations = it + 1;
    if (g.cwiseAbs().maxCoeff() / total_weight <= options.tol) {
      rep.converged = true;
      break;
    }
    const Eigen::LDLT<Matrix> ldlt(H);
    if (ldlt.info() != Eigen::Success)
      fail(LK_ERR_INTERNAL, "fit: the Hessian could not be factorised (features may be constant or collinear "
           "without regularisation); lower C");
    const Vector step = ldlt.solve(g);
    // Backtracking: halve the step until the objective does not increase.
    double t = 1.0;
    Vector next = theta - step;
    double f_next = objective(next, pb.loss(next));
    for (int k = 0; k < 30 && !(f_next <= f); ++k) {
      t *= 0.5;
      next = theta - t * step;
      f_next = objective(next, pb.loss(next));
    }
    if (!(f_next <= f)) {  // no decrease along the Newton direction: at the optimum in float terms
      rep.converged = true;
      break;
    }
    theta = next;
    f = f_next;
    if ((t * step).cwiseAbs().maxCoeff() <= 1e-12 * (1.0 + theta.cwiseAbs().maxCoeff())) {
      rep.converged = true;
      break;
    }
  }
  rep.loss = f;
  std::vector<float> w(X.cols);
  for (std::size_t j = 0; j < X.cols; ++j) {
    w[j] = static_cast<float>(theta[static_cast<Eigen::Index>(j)]);
    if (!std::isfinite(w[j])) fail(LK_ERR_NOT_FINITE, "fit: weight ", j, " overflows float32; lower C");
  }
  const float b = options.fit_intercept ? static_cast<float>(theta[D]) : 0.0f;
  if (report) *report = rep;
  return LogisticModel(w.data(), w.size(), b);
}

}  // namespace leadkit::engine
