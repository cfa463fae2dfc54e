// Learning a LogisticModel from history: L2-regularised logistic regression
// fitted by Newton's method (iteratively reweighted least squares) in double,
// the way scikit-learn's LogisticRegression defines the problem:
//
//   minimise  sum_i s_i * logloss(y_i, sigmoid(x_i . w + b))  +  ||w||^2 / (2 C)
//
// (s_i the sample weights, the intercept b not penalised). Each iteration is
// one pass over X that accumulates the gradient and the (D+1) x (D+1) Hessian
// in fixed blocks of rows (partial sums combined in block order, so the
// result is the same for any thread count), then a Cholesky (LDLT) solve and
// a backtracking step that never increases the loss. A handful of iterations
// reach full precision where first-order solvers need dozens of passes.
#pragma once

#include <cstddef>

#include "core/exec.hpp"
#include "core/feature_view.hpp"
#include "scoring/logistic_model.hpp"

namespace leadkit::engine {

struct LogisticFitOptions {
  double C = 1.0;          // inverse regularisation strength, > 0
  int max_iter = 100;      // Newton iterations
  double tol = 1e-6;       // stop when the largest gradient entry / total weight <= tol
  bool fit_intercept = true;
};

struct LogisticFitReport {
  int iterations = 0;
  bool converged = false;
  double loss = 0.0;  // the objective above at the returned weights
};

// y holds 0 or 1 per lead (both must occur); sample_weight (may be null) is
// finite and >= 0 per lead, with a positive total.
LogisticModel fit_logistic(const FeatureView& X, const float* y, const float* sample_weight,
                           const LogisticFitOptions& options, const ExecOptions& exec,
                           LogisticFitReport* report);

}  // namespace leadkit::engine
