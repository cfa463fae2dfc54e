// leadkit C++ API: predictive scoring, P(conversion) = sigmoid(x . w + b).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "leadkit/error.hpp"
#include "leadkit/exec_options.hpp"

namespace leadkit {

// Row stride meaning "rows are back to back" (n_cols floats apart). A
// sentinel rather than 0, so that a computed stride of 0 reaches the C API and
// is rejected there instead of being read as contiguous.
inline constexpr std::size_t contiguous = static_cast<std::size_t>(-1);

// How LogisticModel::fit learns (see lk_logistic_fit_options) and what it reports.
struct LogisticFitOptions {
  double C = 1.0;
  int max_iter = 100;
  double tol = 1e-6;
  bool fit_intercept = true;
};
struct LogisticFitReport {
  int iterations = 0;
  bool converged = false;
  double loss = 0.0;
};

// An immutable logistic model; safe to share across threads. Move-only.
class LogisticModel {
 public:
  LogisticModel(const float* weights, std::size_t n_features, float intercept) {
    lk_logistic_model* h = nullptr;
    detail::check(lk_logistic_model_create(weights, n_features, intercept, &h));
    handle_.reset(h);
  }
  LogisticModel(const std::vector<float>& weights, float intercept)
      : LogisticModel(weights.data(), weights.size(), intercept) {}

  using FitOptions = LogisticFitOptions;
  using FitReport = LogisticFitReport;

  // Learns a model from encoded leads X (n_rows x n_cols) and their outcomes
  // y (0 or 1); sample_weight may be null. See lk_logistic_model_fit.
  static LogisticModel fit(const float* X, std::size_t n_rows, std::size_t n_cols, const float* y,
                           const float* sample_weight = nullptr, const FitOptions& fit_options = {},
                           const ExecOptions& exec = {}, FitReport* report = nullptr,
                           std::size_t row_stride = contiguous) {
    lk_logistic_fit_options fo;
    detail::check(lk_logistic_fit_options_init(&fo));
    fo.C = fit_options.C;
    fo.max_iter = fit_options.max_iter;
    fo.tol = fit_options.tol;
    fo.fit_intercept = fit_options.fit_intercept ? 1 : 0;
    lk_logistic_fit_report rep;
    detail::check(lk_logistic_fit_report_init(&rep));
    const lk_exec_options o = exec.to_c();
    lk_logistic_model* h = nullptr;
    detail::check(lk_logistic_model_fit(X, n_rows, n_cols, row_stride == contiguous ? n_cols : row_stride, y,
                                        sample_weight, &fo, &o, &h, &rep));
    if (report) *report = FitReport{rep.iterations, rep.converged != 0, rep.loss};
    return LogisticModel(h);
  }

  std::size_t n_features() const {
    std::size_t n = 0;
    detail::check(lk_logistic_model_n_features(handle_.get(), &n));
    return n;
  }
  std::vector<float> weights() const {
    std::vector<float> w(n_features());
    float b = 0.0f;
    detail::check(lk_logistic_model_params(handle_.get(), w.data(), w.size(), &b));
    return w;
  }
  float intercept() const {
    std::vector<float> w(n_features());
    float b = 0.0f;
    detail::check(lk_logistic_model_params(handle_.get(), w.data(), w.size(), &b));
    return b;
  }

  // Probabilities for n_rows row-major leads (row_stride in floats)
  // into out[0 .. n_rows).
  void predict_proba(const float* X, std::size_t n_rows, std::size_t n_cols, float* out,
                     const ExecOptions& exec = {}, std::size_t row_stride = contiguous) const {
    const lk_exec_options o = exec.to_c();
    detail::check(lk_logistic_model_predict(handle_.get(), X, n_rows, n_cols,
                                            row_stride == contiguous ? n_cols : row_stride, &o, out));
  }
  std::vector<float> predict_proba(const float* X, std::size_t n_rows, std::size_t n_cols,
                                   const ExecOptions& exec = {}) const {
    std::vector<float> out(n_rows);
    predict_proba(X, n_rows, n_cols, out.data(), exec);
    return out;
  }

  // Raw scores x . w + b (log-odds).
  void decision_function(const float* X, std::size_t n_rows, std::size_t n_cols, float* out,
                         const ExecOptions& exec = {}, std::size_t row_stride = contiguous) const {
    const lk_exec_options o = exec.to_c();
    detail::check(lk_logistic_model_decision_function(handle_.get(), X, n_rows, n_cols,
                                                      row_stride == contiguous ? n_cols : row_stride, &o, out));
  }

  // Probabilities plus, per lead, the k features contributing most to the
  // log-odds (indices into the features, -1 pads; contributions w_j * x_j).
  struct Reasons {
    std::vector<float> probabilities;
    std::vector<std::int32_t> features;
    std::vector<float> contributions;
    std::size_t k = 0;
  };
  Reasons reasons(const float* X, std::size_t n_rows, std::size_t n_cols, std::size_t k,
                  const ExecOptions& exec = {}) const {
    Reasons r;
    r.k = k;
    r.probabilities.resize(n_rows);
    r.features.resize(n_rows * k);
    r.contributions.resize(n_rows * k);
    const lk_exec_options o = exec.to_c();
    detail::check(lk_logistic_model_reasons(handle_.get(), X, n_rows, n_cols, n_cols, k, &o,
                                            r.probabilities.data(), r.features.data(),
                                            r.contributions.data()));
    return r;
  }

  // The C handle, for mixing with C API calls. Owned by this object.
  const lk_logistic_model* handle() const noexcept { return handle_.get(); }

 private:
  explicit LogisticModel(lk_logistic_model* h) { handle_.reset(h); }
  struct Free {
    void operator()(lk_logistic_model* m) const noexcept { lk_logistic_model_free(m); }
  };
  std::unique_ptr<lk_logistic_model, Free> handle_;
};

}  // namespace leadkit
