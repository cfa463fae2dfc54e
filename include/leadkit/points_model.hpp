// leadkit C++ API: rule-based fit scoring with reasons.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "leadkit/error.hpp"
#include "leadkit/exec_options.hpp"
#include "leadkit/logistic_model.hpp"
#include "leadkit/schema.hpp"

namespace leadkit {

// Points per schema feature, groups with caps, a limit and a floor; see
// lk_points_model_from_json in leadkit.h. Immutable; copyable (shared handle).
class PointsModel {
 public:
  // One lead's explanation: the k largest contributions, largest first.
  struct Reasons {
    std::vector<float> scores;          // n_rows
    std::vector<std::int32_t> rules;    // n_rows * k, -1 = none
    std::vector<float> points;          // n_rows * k
    std::size_t k = 0;
  };

  static PointsModel from_json(const Schema& schema, const std::string& json) {
    lk_points_model* m = nullptr;
    detail::check(lk_points_model_from_json(schema.handle(), json.c_str(), &m));
    return PointsModel(m);
  }

  std::size_t n_features() const {
    std::size_t n = 0;
    detail::check(lk_points_model_n_features(handle_.get(), &n));
    return n;
  }
  std::vector<std::string> rule_names() const {
    std::size_t n = 0;
    detail::check(lk_points_model_n_rules(handle_.get(), &n));
    std::vector<std::string> names(n);
    for (std::size_t i = 0; i < n; ++i)
      names[i] = detail::get_text([&](char* b, std::size_t c, std::size_t* len) {
        return lk_points_model_rule_name(handle_.get(), i, b, c, len);
      });
    return names;
  }

  void score(const float* X, std::size_t n_rows, std::size_t n_cols, float* out,
             const ExecOptions& exec = {}, std::size_t row_stride = contiguous) const {
    const lk_exec_options o = exec.to_c();
    detail::check(lk_points_model_score(handle_.get(), X, n_rows, n_cols,
                                        row_stride == contiguous ? n_cols : row_stride, &o, out));
  }
  std::vector<float> score(const float* X, std::size_t n_rows, std::size_t n_cols,
                           const ExecOptions& exec = {}) const {
    std::vector<float> out(n_rows);
    score(X, n_rows, n_cols, out.data(), exec);
    return out;
  }

  Reasons reasons(const float* X, std::size_t n_rows, std::size_t n_cols, std::size_t k,
                  const ExecOptions& exec = {}) const {
    Reasons r;
    r.k = k;
    r.scores.resize(n_rows);
    r.rules.resize(n_rows * k);
    r.points.resize(n_rows * k);
    const lk_exec_options o = exec.to_c();
    detail::check(lk_points_model_reasons(handle_.get(), X, n_rows, n_cols, n_cols, k, &o,
                                          r.scores.data(), r.rules.data(), r.points.data()));
    return r;
  }

  const lk_points_model* handle() const noexcept { return handle_.get(); }

 private:
  explicit PointsModel(lk_points_model* m) : handle_(m, lk_points_model_free) {}
  std::shared_ptr<lk_points_model> handle_;
};

}  // namespace leadkit
