// leadkit C++ API: engagement (behavioural) scoring from events, batch and
// streaming, and the account roll-up. Header-only over leadkit.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "leadkit/error.hpp"
#include "leadkit/exec_options.hpp"
#include "leadkit/schema.hpp"

namespace leadkit {

// Events as parallel arrays (caller memory, not copied). value may be null (1 each).
struct Events {
  const std::int32_t* lead = nullptr;
  const std::int32_t* type = nullptr;  // type indices, see EngagementModel::type_index
  const double* time = nullptr;        // Unix seconds
  const float* value = nullptr;
  std::size_t n = 0;
};

// Per-lead engagement: total[n_leads] and per_type[n_leads * n_types] (if asked for).
struct EngagementScores {
  std::vector<float> total;
  std::vector<float> per_type;
  std::size_t n_types = 0;
};

// Event types with points, decay, caps; see lk_engagement_model_from_json.
// Immutable; copyable (shared handle).
class EngagementModel {
 public:
  static EngagementModel from_json(const std::string& json) {
    lk_engagement_model* m = nullptr;
    detail::check(lk_engagement_model_from_json(json.c_str(), &m));
    return EngagementModel(m);
  }

  std::string to_json() const {
    return detail::get_text([&](char* b, std::size_t c, std::size_t* n) {
      return lk_engagement_model_to_json(handle_.get(), b, c, n);
    });
  }
  std::size_t n_types() const {
    std::size_t n = 0;
    detail::check(lk_engagement_model_n_types(handle_.get(), &n));
    return n;
  }
  std::vector<std::string> type_names() const {
    std::vector<std::string> names(n_types());
    for (std::size_t i = 0; i < names.size(); ++i)
      names[i] = detail::get_text([&](char* b, std::size_t c, std::size_t* n) {
        return lk_engagement_model_type_name(handle_.get(), i, b, c, n);
      });
    return names;
  }
  std::int32_t type_index(const std::string& name) const {
    std::int32_t t = -1;
    detail::check(lk_engagement_model_type_index(handle_.get(), name.c_str(), &t));
    return t;
  }

  // Scores events as of `as_of` (events later than as_of are ignored).
  void score(const Events& ev, std::size_t n_leads, double as_of, float* out_total,
             float* out_per_type = nullptr, const ExecOptions& exec = {}) const {
    const lk_exec_options o = exec.to_c();
    detail::check(lk_engagement_model_score(handle_.get(), ev.lead, ev.type, ev.time, ev.value,
                                            ev.n, n_leads, as_of, &o, out_total, out_per_type));
  }
  EngagementScores score(const Events& ev, std::size_t n_leads, double as_of, bool per_type = false,
                         const ExecOptions& exec = {}) const {
    EngagementScores s;
    s.n_types = n_types();
    s.total.resize(n_leads);
    if (per_type) s.per_type.resize(n_leads * s.n_types);
    score(ev, n_leads, as_of, s.total.data(), per_type ? s.per_type.data() : nullptr, exec);
    return s;
  }

  const lk_engagement_model* handle() const noexcept { return handle_.get(); }

 private:
  friend class EngagementState;
  friend class Scorecard;  // hands out its engagement model
  explicit EngagementModel(lk_engagement_model* m) : handle_(m, lk_engagement_model_free) {}
  std::shared_ptr<lk_engagement_model> handle_;
};

// Running engagement of n_leads leads. Time only moves forward (see leadkit.h).
// One writer at a time. Move-only; to_bytes()/from_bytes() persist it.
class EngagementState {
 public:
  EngagementState(const EngagementModel& model, std::size_t n_leads) {
    lk_engagement_state* s = nullptr;
    detail::check(lk_engagement_state_create(model.handle(), n_leads, &s));
    handle_.reset(s);
  }
  static EngagementState from_bytes(const void* data, std::size_t size) {
    lk_engagement_state* s = nullptr;
    detail::check(lk_engagement_state_deserialize(data, size, &s));
    return EngagementState(s);
  }
  static EngagementState from_bytes(const std::string& bytes) {
    return from_bytes(bytes.data(), bytes.size());
  }

  void apply(const Events& ev, double as_of) {
    detail::check(lk_engagement_state_apply(handle_.get(), ev.lead, ev.type, ev.time, ev.value,
                                            ev.n, as_of));
  }
  void scores(double as_of, float* out_total, float* out_per_type = nullptr,
              const ExecOptions& exec = {}) const {
    const lk_exec_options o = exec.to_c();
    detail::check(lk_engagement_state_scores(handle_.get(), as_of, &o, out_total, out_per_type));
  }
  EngagementScores scores(double as_of, bool per_type = false, const ExecOptions& exec = {}) const {
    EngagementScores s;
    s.n_types = model().n_types();
    s.total.resize(n_leads());
    if (per_type) s.per_type.resize(s.total.size() * s.n_types);
    scores(as_of, s.total.data(), per_type ? s.per_type.data() : nullptr, exec);
    return s;
  }
  double now() const {
    double t = 0;
    detail::check(lk_engagement_state_now(handle_.get(), &t));
    return t;
  }
  std::size_t n_leads() const {
    std::size_t n = 0;
    detail::check(lk_engagement_state_n_leads(handle_.get(), &n));
    return n;
  }
  EngagementModel model() const {
    lk_engagement_model* m = nullptr;
    detail::check(lk_engagement_state_model(handle_.get(), &m));
    return EngagementModel(m);
  }
  std::string to_bytes() const {
    std::size_t n = 0;
    detail::check(lk_engagement_state_serialize(handle_.get(), nullptr, 0, &n));
    std::string b(n, '\0');
    detail::check(lk_engagement_state_serialize(handle_.get(), &b[0], b.size(), &n));
    return b;
  }

 private:
  explicit EngagementState(lk_engagement_state* s) : handle_(s) {}
  struct Free {
    void operator()(lk_engagement_state* s) const noexcept { lk_engagement_state_free(s); }
  };
  std::unique_ptr<lk_engagement_state, Free> handle_;
};

// Per-account aggregates of per-lead values (see lk_engagement_rollup).
struct Rollup {
  std::vector<float> sum, max, mean;
  std::vector<std::int64_t> count, leads;
};

inline Rollup rollup(const float* values, const std::int32_t* account, std::size_t n,
                     std::size_t n_accounts, float threshold = 0.0f) {
  Rollup r;
  r.sum.resize(n_accounts);
  r.max.resize(n_accounts);
  r.mean.resize(n_accounts);
  r.count.resize(n_accounts);
  r.leads.resize(n_accounts);
  detail::check(lk_engagement_rollup(values, account, n, n_accounts, threshold, r.sum.data(),
                                     r.max.data(), r.mean.data(), r.count.data(), r.leads.data()));
  return r;
}

}  // namespace leadkit
