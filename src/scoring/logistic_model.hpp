// Predictive scoring: P(conversion | x) = sigmoid(x . w + b).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/exec.hpp"
#include "core/feature_view.hpp"

namespace leadkit::engine {

class LogisticModel {
 public:
  // Validates: at least one weight, every weight and the intercept finite.
  LogisticModel(const float* weights, std::size_t n_features, float intercept);

  std::size_t n_features() const noexcept { return weights_.size(); }
  const std::vector<float>& weights() const noexcept { return weights_; }
  float intercept() const noexcept { return intercept_; }

  // Raw scores x.w + b into out[0 .. X.rows).
  void decision_function(const FeatureView& X, const ExecOptions& exec, float* out) const;
  // Probabilities sigmoid(x.w + b) into out[0 .. X.rows).
  void predict_proba(const FeatureView& X, const ExecOptions& exec, float* out) const;

  // Probabilities, and per lead the k features whose contributions w_j * x_j
  // to the log-odds are largest in magnitude (largest first; -1 / 0 pad).
  // The intercept plus all contributions is the lead's log-odds.
  void reasons(const FeatureView& X, std::size_t k, const ExecOptions& exec, float* out_proba,
               std::int32_t* out_features, float* out_contributions) const;

 private:
  void score(const FeatureView& X, const ExecOptions& exec, bool proba, float* out) const;

  std::vector<float> weights_;
  float intercept_;
};

}  // namespace leadkit::engine
