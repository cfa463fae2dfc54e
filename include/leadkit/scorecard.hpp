// leadkit C++ API: the Scorecard, the whole model in one object.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "leadkit/engagement.hpp"
#include "leadkit/error.hpp"
#include "leadkit/exec_options.hpp"
#include "leadkit/grader.hpp"
#include "leadkit/persona.hpp"
#include "leadkit/logistic_model.hpp"
#include "leadkit/schema.hpp"

namespace leadkit {

// Schema + named fit models + optional logistic model + optional grader, from
// one JSON definition (see lk_scorecard_from_json). Immutable; copyable
// (shares the handle); safe to share between threads.
class Scorecard {
 public:
  // What score() returns for n leads; the vectors a scorecard cannot fill
  // (probability without a logistic model, grade/stage without a grader,
  // reasons when k = 0) are empty.
  struct Result {
    std::size_t n = 0, n_fit = 0, k = 0;
    std::vector<float> fit;                  // n x n_fit
    std::vector<float> total;                // n
    std::vector<float> probability;          // n
    std::vector<std::int32_t> grade, stage;  // n, indices into grades() / stages()
    std::vector<std::int32_t> reason_rules;  // n x k, indices into rule_names(); -1 pads
    std::vector<float> reason_points;        // n x k
    std::vector<std::int32_t> persona;       // n, indices into persona_set().names(); -1 = none
    std::vector<float> persona_similarity;   // n
  };

  static Scorecard from_json(const std::string& json) {
    lk_scorecard* s = nullptr;
    detail::check(lk_scorecard_from_json(json.c_str(), &s));
    return Scorecard(s);
  }

  std::string to_json() const {
    return detail::get_text([&](char* b, std::size_t c, std::size_t* n) {
      return lk_scorecard_to_json(handle_.get(), b, c, n);
    });
  }
  std::string name() const {
    return detail::get_text([&](char* b, std::size_t c, std::size_t* n) {
      return lk_scorecard_name(handle_.get(), b, c, n);
    });
  }
  std::size_t n_features() const {
    std::size_t n = 0;
    detail::check(lk_scorecard_n_features(handle_.get(), &n));
    return n;
  }
  std::vector<std::string> fit_score_names() const {
    std::size_t n = 0;
    detail::check(lk_scorecard_n_fit_scores(handle_.get(), &n));
    std::vector<std::string> names(n);
    for (std::size_t i = 0; i < n; ++i)
      names[i] = detail::get_text([&](char* b, std::size_t c, std::size_t* len) {
        return lk_scorecard_fit_score_name(handle_.get(), i, b, c, len);
      });
    return names;
  }
  std::size_t primary() const {
    std::size_t i = 0;
    detail::check(lk_scorecard_primary(handle_.get(), &i));
    return i;
  }
  // The primary fit model's rules: what reasons refer to.
  std::vector<std::string> rule_names() const {
    std::size_t n = 0;
    detail::check(lk_scorecard_n_rules(handle_.get(), &n));
    std::vector<std::string> names(n);
    for (std::size_t i = 0; i < n; ++i)
      names[i] = detail::get_text([&](char* b, std::size_t c, std::size_t* len) {
        return lk_scorecard_rule_name(handle_.get(), i, b, c, len);
      });
    return names;
  }
  bool has_logistic() const {
    int h = 0;
    detail::check(lk_scorecard_has_logistic(handle_.get(), &h));
    return h != 0;
  }
  bool has_grader() const {
    int h = 0;
    detail::check(lk_scorecard_has_grader(handle_.get(), &h));
    return h != 0;
  }
  Schema schema() const {
    lk_schema* s = nullptr;
    detail::check(lk_scorecard_schema(handle_.get(), &s));
    return Schema(s);
  }
  Grader grader() const {
    lk_grader* g = nullptr;
    detail::check(lk_scorecard_grader(handle_.get(), &g));
    return Grader(g);
  }
  bool has_personas() const {
    int h = 0;
    detail::check(lk_scorecard_has_personas(handle_.get(), &h));
    return h != 0;
  }
  // The definition's buyer personas (names and profiles).
  PersonaSet persona_set() const {
    lk_persona_set* p = nullptr;
    detail::check(lk_scorecard_persona_set(handle_.get(), &p));
    return PersonaSet(p);
  }
  bool has_engagement() const {
    int h = 0;
    detail::check(lk_scorecard_has_engagement(handle_.get(), &h));
    return h != 0;
  }
  // The definition's engagement model: score events with it and pass the
  // result to score() as the engagement.
  EngagementModel engagement_model() const {
    lk_engagement_model* m = nullptr;
    detail::check(lk_scorecard_engagement_model(handle_.get(), &m));
    return EngagementModel(m);
  }

  // Scores raw records into caller buffers (the allocation-free path; see
  // lk_scorecard_output for what each pointer receives).
  void score(const LeadBatch& batch, lk_scorecard_output& out, const float* engagement = nullptr,
             const ExecOptions& exec = {}) const {
    const lk_exec_options o = exec.to_c();
    detail::check(lk_scorecard_score(handle_.get(), batch.handle(), engagement, &o, &out));
  }
  // Everything the scorecard can compute, with k reasons per lead.
  Result score(const LeadBatch& batch, std::size_t k = 3, const float* engagement = nullptr,
               const ExecOptions& exec = {}) const {
    Result r = make_result(batch.n_rows(), k);
    lk_scorecard_output out = output_for(r);
    score(batch, out, engagement, exec);
    return r;
  }

  // The same from encoded features (n_cols == n_features()).
  void score_features(const float* X, std::size_t n_rows, std::size_t n_cols, lk_scorecard_output& out,
                      const float* engagement = nullptr, const ExecOptions& exec = {},
                      std::size_t row_stride = contiguous) const {
    const lk_exec_options o = exec.to_c();
    detail::check(lk_scorecard_score_features(handle_.get(), X, n_rows, n_cols,
                                              row_stride == contiguous ? n_cols : row_stride, engagement,
                                              &o, &out));
  }
  Result score_features(const float* X, std::size_t n_rows, std::size_t n_cols, std::size_t k = 3,
                        const float* engagement = nullptr, const ExecOptions& exec = {}) const {
    Result r = make_result(n_rows, k);
    lk_scorecard_output out = output_for(r);
    score_features(X, n_rows, n_cols, out, engagement, exec);
    return r;
  }

  const lk_scorecard* handle() const noexcept { return handle_.get(); }

 private:
  explicit Scorecard(lk_scorecard* s) : handle_(s, lk_scorecard_free) {}

  Result make_result(std::size_t n, std::size_t k) const {
    Result r;
    r.n = n;
    r.k = k;
    r.n_fit = fit_score_names().size();
    r.fit.resize(n * r.n_fit);
    r.total.resize(n);
    if (has_logistic()) r.probability.resize(n);
    if (has_grader()) {
      r.stage.resize(n);
      if (!grader().grades().empty()) r.grade.resize(n);
    }
    r.reason_rules.resize(n * k);
    r.reason_points.resize(n * k);
    if (has_personas()) {
      r.persona.resize(n);
      r.persona_similarity.resize(n);
    }
    return r;
  }
  static lk_scorecard_output output_for(Result& r) {
    lk_scorecard_output out;
    detail::check(lk_scorecard_output_init(&out));
    auto ptr = [](auto& v) { return v.empty() ? nullptr : v.data(); };
    out.fit = ptr(r.fit);
    out.total = ptr(r.total);
    out.probability = ptr(r.probability);
    out.grade = ptr(r.grade);
    out.stage = ptr(r.stage);
    out.n_reasons = r.k;
    out.reason_rules = ptr(r.reason_rules);
    out.reason_points = ptr(r.reason_points);
    out.persona = ptr(r.persona);
    out.persona_similarity = ptr(r.persona_similarity);
    return out;
  }

  std::shared_ptr<lk_scorecard> handle_;
};

}  // namespace leadkit
