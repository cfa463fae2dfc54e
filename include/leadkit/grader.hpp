// leadkit C++ API: lifecycle stages and fit grades.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "leadkit/error.hpp"
#include "leadkit/schema.hpp"  // detail::get_text

namespace leadkit {

// Stages from score bands, grades from fit-score bands, and a Pardot-style
// grade x stage matrix; see lk_grader_from_json. Immutable; copyable.
class Grader {
 public:
  static Grader from_json(const std::string& json) {
    lk_grader* g = nullptr;
    detail::check(lk_grader_from_json(json.c_str(), &g));
    return Grader(g);
  }

  std::vector<std::string> stages() const { return labels(true); }
  std::vector<std::string> grades() const { return labels(false); }

  // Stage and grade indices per lead; fit may be null without grades.
  void apply(const float* score, const float* fit, std::size_t n, std::int32_t* out_stage,
             std::int32_t* out_grade = nullptr) const {
    detail::check(lk_grader_apply(handle_.get(), score, fit, n, out_stage, out_grade));
  }

  std::string to_json() const {
    return detail::get_text([&](char* b, std::size_t c, std::size_t* n) {
      return lk_grader_to_json(handle_.get(), b, c, n);
    });
  }

  const lk_grader* handle() const noexcept { return handle_.get(); }

 private:
  friend class Scorecard;  // hands out its parts
  explicit Grader(lk_grader* g) : handle_(g, lk_grader_free) {}
  std::vector<std::string> labels(bool stage) const {
    std::size_t n = 0;
    detail::check(stage ? lk_grader_n_stages(handle_.get(), &n) : lk_grader_n_grades(handle_.get(), &n));
    std::vector<std::string> out(n);
    for (std::size_t i = 0; i < n; ++i)
      out[i] = detail::get_text([&](char* b, std::size_t c, std::size_t* len) {
        return stage ? lk_grader_stage_label(handle_.get(), i, b, c, len)
                     : lk_grader_grade_label(handle_.get(), i, b, c, len);
      });
    return out;
  }
  std::shared_ptr<lk_grader> handle_;
};

}  // namespace leadkit
