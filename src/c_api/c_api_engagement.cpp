// C API: engagement models, streaming states and the account roll-up.
#include <cstring>
#include <memory>
#include <string>

#include "c_api/c_api_internal.hpp"
#include "c_api/handles.hpp"
#include "engagement/engagement_model.hpp"
#include "engagement/engagement_state.hpp"
#include "engagement/rollup.hpp"
#include "leadkit/leadkit.h"

using namespace leadkit::capi;
namespace eng = leadkit::engine;

namespace {

eng::EventView events(const int32_t* lead, const int32_t* type, const double* time,
                      const float* value, size_t n) {
  return eng::EventView{lead, type, time, value, n};
}

}  // namespace

lk_status lk_engagement_model_from_json(const char* json, lk_engagement_model** out_model) {
  return guarded([&] {
    require(json, "json");
    require(out_model, "out_model");
    auto m = std::make_shared<const eng::EngagementModel>(eng::engagement_model_from_json(std::string(json)));
    *out_model = new lk_engagement_model{std::move(m)};
  });
}

void lk_engagement_model_free(lk_engagement_model* model) { delete model; }

lk_status lk_engagement_model_to_json(const lk_engagement_model* model, char* buffer,
                                      size_t capacity, size_t* out_length) {
  return guarded([&] {
    require(model, "model");
    copy_text(eng::engagement_model_to_json(*model->model).dump(), buffer, capacity, out_length,
              "model JSON");
  });
}

lk_status lk_engagement_model_n_types(const lk_engagement_model* model, size_t* out_n_types) {
  return guarded([&] {
    require(model, "model");
    require(out_n_types, "out_n_types");
    *out_n_types = model->model->n_types();
  });
}

lk_status lk_engagement_model_type_name(const lk_engagement_model* model, size_t index,
                                        char* buffer, size_t capacity, size_t* out_length) {
  return guarded([&] {
    require(model, "model");
    const auto& types = model->model->types();
    if (index >= types.size())
      fail(LK_ERR_INVALID_ARGUMENT, "index: ", index, " is out of range; the model has ",
           types.size(), " event types");
    copy_text(types[index].name, buffer, capacity, out_length, "type name");
  });
}

lk_status lk_engagement_model_type_index(const lk_engagement_model* model, const char* name,
                                         int32_t* out_index) {
  return guarded([&] {
    require(model, "model");
    require(name, "name");
    require(out_index, "out_index");
    const int t = model->model->type_index(name);
    if (t < 0) fail(LK_ERR_INVALID_ARGUMENT, "name: '", name, "' is not an event type of the model");
    *out_index = t;
  });
}

lk_status lk_engagement_model_score(const lk_engagement_model* model, const int32_t* lead,
                                    const int32_t* type, const double* time, const float* value,
                                    size_t n_events, size_t n_leads, double as_of,
                                    const lk_exec_options* options, float* out_total,
                                    float* out_per_type) {
  return guarded([&] {
    require(model, "model");
    require(out_total, "out_total");
    const auto exec = exec_from(options);
    model->model->score(events(lead, type, time, value, n_events), n_leads, as_of, exec, out_total,
                        out_per_type);
  });
}

lk_status lk_engagement_state_create(const lk_engagement_model* model, size_t n_leads,
                                     lk_engagement_state** out_state) {
  return guarded([&] {
    require(model, "model");
    require(out_state, "out_state");
    auto s = std::make_unique<eng::EngagementState>(model->model, n_leads);
    *out_state = new lk_engagement_state{std::move(s)};
  });
}

void lk_engagement_state_free(lk_engagement_state* state) { delete state; }

lk_status lk_engagement_state_apply(lk_engagement_state* state, const int32_t* lead,
                                    const int32_t* type, const double* time, const float* value,
                                    size_t n_events, double as_of) {
  return guarded([&] {
    require(state, "state");
    state->state->apply(events(lead, type, time, value, n_events), as_of);
  });
}

lk_status lk_engagement_state_scores(const lk_engagement_state* state, double as_of,
                                     const lk_exec_options* options, float* out_total,
                                     float* out_per_type) {
  return guarded([&] {
    require(state, "state");
    require(out_total, "out_total");
    const auto exec = exec_from(options);
    state->state->scores(as_of, exec, out_total, out_per_type);
  });
}

lk_status lk_engagement_state_now(const lk_engagement_state* state, double* out_now) {
  return guarded([&] {
    require(state, "state");
    require(out_now, "out_now");
    *out_now = state->state->now();
  });
}

lk_status lk_engagement_state_n_leads(const lk_engagement_state* state, size_t* out_n_leads) {
  return guarded([&] {
    require(state, "state");
    require(out_n_leads, "out_n_leads");
    *out_n_leads = state->state->n_leads();
  });
}

lk_status lk_engagement_state_model(const lk_engagement_state* state, lk_engagement_model** out_model) {
  return guarded([&] {
    require(state, "state");
    require(out_model, "out_model");
    *out_model = new lk_engagement_model{state->state->model_ptr()};
  });
}

lk_status lk_engagement_state_serialize(const lk_engagement_state* state, void* buffer,
                                        size_t capacity, size_t* out_size) {
  return guarded([&] {
    require(state, "state");
    const std::string bytes = state->state->serialize();
    if (buffer == nullptr) {
      if (capacity != 0)
        fail(LK_ERR_NULL_POINTER, "buffer: is NULL with capacity ", capacity,
             "; pass NULL and 0 to query the size");
    } else if (capacity < bytes.size()) {
      fail(LK_ERR_BUFFER_TOO_SMALL, "capacity: ", capacity, " bytes, but the state needs ",
           bytes.size());
    } else {
      std::memcpy(buffer, bytes.data(), bytes.size());
    }
    if (out_size) *out_size = bytes.size();
  });
}

lk_status lk_engagement_state_deserialize(const void* data, size_t size,
                                          lk_engagement_state** out_state) {
  return guarded([&] {
    require(data, "data");
    require(out_state, "out_state");
    auto s = eng::EngagementState::deserialize(data, size);
    *out_state = new lk_engagement_state{std::move(s)};
  });
}

lk_status lk_engagement_rollup(const float* values, const int32_t* account, size_t n,
                               size_t n_accounts, float threshold, float* out_sum, float* out_max,
                               float* out_mean, int64_t* out_count, int64_t* out_leads) {
  return guarded([&] {
    eng::rollup(values, account, n, n_accounts, threshold, out_sum, out_max, out_mean, out_count,
                out_leads);
  });
}
