// The C API: every entry point validates its arguments, calls the engine, and
// turns any exception into an lk_status plus a thread-local message. Nothing
// is thrown across the boundary.
#include <cstring>
#include <string>

#include "c_api/c_api_internal.hpp"
#include "c_api/handles.hpp"
#include "core/feature_view.hpp"
#include "kernels/isa.hpp"
#include "leadkit/leadkit.h"
#include "core/lead_batch.hpp"
#include "core/schema.hpp"
#include "io/schema_json.hpp"
#include "scoring/grader.hpp"
#include "scoring/logistic_model.hpp"
#include "scoring/points_model.hpp"

namespace leadkit::capi {

namespace {
thread_local std::string g_last_error;
}  // namespace

lk_status set_error(lk_status status, const char* message) noexcept {
  try {
    g_last_error = message;
  } catch (...) {
    g_last_error.clear();  // out of memory for the message itself
  }
  return status;
}

engine::ExecOptions exec_from(const lk_exec_options* o) {
  engine::ExecOptions e;
  if (o == nullptr) return e;
  if (o->struct_size < offsetof(lk_exec_options, threads) + sizeof(o->threads))
    fail(LK_ERR_INVALID_ARGUMENT, "options: struct_size ", o->struct_size,
         " is too small; initialise the struct with lk_exec_options_init()");
  if (o->threads < 0)
    fail(LK_ERR_INVALID_ARGUMENT, "options.threads: is ", o->threads,
         "; use 0 for all cores or a positive count");
  e.threads = o->threads;
  return e;
}

void copy_text(const std::string& text, char* buffer, size_t capacity, size_t* out_length,
               const char* what) {
  if (buffer == nullptr) {
    if (capacity != 0)
      fail(LK_ERR_NULL_POINTER, "buffer: is NULL with capacity ", capacity,
           "; pass NULL and 0 to query the length");
  } else if (capacity <= text.size()) {
    fail(LK_ERR_BUFFER_TOO_SMALL, "capacity: ", capacity, " bytes, but the ", what, " needs ",
         text.size() + 1, " (with its NUL)");
  } else {
    std::memcpy(buffer, text.c_str(), text.size() + 1);
  }
  if (out_length) *out_length = text.size();
}

}  // namespace leadkit::capi

namespace {

using namespace leadkit::capi;

lk_status logistic_score(const lk_logistic_model* model, const float* X, size_t n_rows,
                         size_t n_cols, size_t row_stride, const lk_exec_options* options,
                         float* out, bool proba) noexcept {
  return guarded([&] {
    require(model, "model");
    require(out, proba ? "out_probabilities" : "out_scores");
    const leadkit::engine::FeatureView view{X, n_rows, n_cols, row_stride};
    const auto exec = exec_from(options);
    if (proba)
      model->model.predict_proba(view, exec, out);
    else
      model->model.decision_function(view, exec, out);
  });
}

}  // namespace

extern "C" {

const char* lk_status_name(lk_status status) {
  switch (status) {
    case LK_OK: return "LK_OK";
    case LK_ERR_INVALID_ARGUMENT: return "LK_ERR_INVALID_ARGUMENT";
    case LK_ERR_NULL_POINTER: return "LK_ERR_NULL_POINTER";
    case LK_ERR_DIMENSION_MISMATCH: return "LK_ERR_DIMENSION_MISMATCH";
    case LK_ERR_NOT_FINITE: return "LK_ERR_NOT_FINITE";
    case LK_ERR_OUT_OF_MEMORY: return "LK_ERR_OUT_OF_MEMORY";
    case LK_ERR_IO: return "LK_ERR_IO";
    case LK_ERR_FORMAT: return "LK_ERR_FORMAT";
    case LK_ERR_UNSUPPORTED: return "LK_ERR_UNSUPPORTED";
    case LK_ERR_BUFFER_TOO_SMALL: return "LK_ERR_BUFFER_TOO_SMALL";
    case LK_ERR_INTERNAL: return "LK_ERR_INTERNAL";
  }
  return "LK_UNKNOWN_STATUS";
}



const char* lk_last_error(void) { return leadkit::capi::g_last_error.c_str(); }

const char* lk_version(void) { return LEADKIT_VERSION_STRING; }

int lk_version_number(void) { return LEADKIT_VERSION; }

const char* lk_cpu_features(void) {
  namespace k = leadkit::kernels;
  static const std::string features = [] {
    std::string compiled;
    for (int i = 0; i < k::kIsaCount; ++i) {
      const auto isa = static_cast<k::Isa>(i);
      if (!k::compiled(isa)) continue;
      if (!compiled.empty()) compiled += ',';
      compiled += k::isa_name(isa);
    }
    return std::string("active=") + k::isa_name(k::active().isa) +
           ";detected=" + k::isa_name(k::detected_isa()) + ";compiled=" + compiled;
  }();
  return features.c_str();
}

lk_status lk_exec_options_init(lk_exec_options* options) {
  return guarded([&] {
    require(options, "options");
    options->struct_size = sizeof(lk_exec_options);
    options->threads = 0;
  });
}

lk_status lk_logistic_model_create(const float* weights, size_t n_features, float intercept,
                                   lk_logistic_model** out_model) {
  return guarded([&] {
    require(out_model, "out_model");
    auto* m = new lk_logistic_model{leadkit::engine::LogisticModel(weights, n_features, intercept)};
    *out_model = m;
  });
}

void lk_logistic_model_free(lk_logistic_model* model) { delete model; }

lk_status lk_logistic_model_n_features(const lk_logistic_model* model, size_t* out_n_features) {
  return guarded([&] {
    require(model, "model");
    require(out_n_features, "out_n_features");
    *out_n_features = model->model.n_features();
  });
}

lk_status lk_logistic_model_params(const lk_logistic_model* model, float* weights,
                                   size_t capacity, float* out_intercept) {
  return guarded([&] {
    require(model, "model");
    require(weights, "weights");
    require(out_intercept, "out_intercept");
    const auto& w = model->model.weights();
    if (capacity < w.size())
      fail(LK_ERR_DIMENSION_MISMATCH, "capacity: is ", capacity, " but the model has ", w.size(),
           " weights");
    std::memcpy(weights, w.data(), w.size() * sizeof(float));
    *out_intercept = model->model.intercept();
  });
}

lk_status lk_logistic_model_decision_function(const lk_logistic_model* model, const float* X,
                                              size_t n_rows, size_t n_cols, size_t row_stride,
                                              const lk_exec_options* options, float* out_scores) {
  return logistic_score(model, X, n_rows, n_cols, row_stride, options, out_scores, false);
}

lk_status lk_logistic_model_predict(const lk_logistic_model* model, const float* X, size_t n_rows,
                                    size_t n_cols, size_t row_stride,
                                    const lk_exec_options* options, float* out_probabilities) {
  return logistic_score(model, X, n_rows, n_cols, row_stride, options, out_probabilities, true);
}

lk_status lk_logistic_model_reasons(const lk_logistic_model* model, const float* X, size_t n_rows,
                                    size_t n_cols, size_t row_stride, size_t k,
                                    const lk_exec_options* options, float* out_probabilities,
                                    int32_t* out_features, float* out_contributions) {
  return guarded([&] {
    require(model, "model");
    model->model.reasons({X, n_rows, n_cols, row_stride}, k, exec_from(options), out_probabilities,
                         out_features, out_contributions);
  });
}

lk_status lk_batch_create(size_t n_rows, lk_batch** out_batch) {
  return guarded([&] {
    require(out_batch, "out_batch");
    *out_batch = new lk_batch{leadkit::engine::LeadBatch(n_rows)};
  });
}

void lk_batch_free(lk_batch* batch) { delete batch; }

lk_status lk_batch_set_numeric(lk_batch* batch, const char* name, const double* values) {
  return guarded([&] {
    require(batch, "batch");
    batch->batch.set_numeric(name, values);
  });
}

lk_status lk_batch_set_strings(lk_batch* batch, const char* name, const char* const* values) {
  return guarded([&] {
    require(batch, "batch");
    batch->batch.set_strings(name, values);
  });
}

lk_status lk_batch_set_codes(lk_batch* batch, const char* name, const int32_t* codes, const char* const* categories,
                             size_t n_categories) {
  return guarded([&] {
    require(batch, "batch");
    batch->batch.set_codes(name, codes, categories, n_categories);
  });
}

lk_status lk_batch_set_booleans(lk_batch* batch, const char* name, const int8_t* values) {
  return guarded([&] {
    require(batch, "batch");
    batch->batch.set_booleans(name, values);
  });
}

lk_status lk_schema_from_json(const char* json, lk_schema** out_schema) {
  return guarded([&] {
    require(json, "json");
    require(out_schema, "out_schema");
    auto* s = new lk_schema{leadkit::engine::schema_from_json(json)};
    *out_schema = s;
  });
}

void lk_schema_free(lk_schema* schema) { delete schema; }

lk_status lk_schema_n_features(const lk_schema* schema, size_t* out_n_features) {
  return guarded([&] {
    require(schema, "schema");
    require(out_n_features, "out_n_features");
    *out_n_features = schema->schema.n_features();
  });
}

lk_status lk_schema_n_attributes(const lk_schema* schema, size_t* out_n_attributes) {
  return guarded([&] {
    require(schema, "schema");
    require(out_n_attributes, "out_n_attributes");
    *out_n_attributes = schema->schema.attributes().size();
  });
}

lk_status lk_schema_feature_name(const lk_schema* schema, size_t index, char* buffer,
                                 size_t capacity, size_t* out_length) {
  return guarded([&] {
    require(schema, "schema");
    const auto& names = schema->schema.feature_names();
    if (index >= names.size())
      fail(LK_ERR_INVALID_ARGUMENT, "index: ", index, " is out of range; the schema has ",
           names.size(), " features");
    copy_text(names[index], buffer, capacity, out_length, "feature name");
  });
}

lk_status lk_schema_attribute_name(const lk_schema* schema, size_t index, char* buffer,
                                   size_t capacity, size_t* out_length) {
  return guarded([&] {
    require(schema, "schema");
    const auto& attrs = schema->schema.attributes();
    if (index >= attrs.size())
      fail(LK_ERR_INVALID_ARGUMENT, "index: ", index, " is out of range; the schema has ",
           attrs.size(), " attributes");
    copy_text(attrs[index].name, buffer, capacity, out_length, "attribute name");
  });
}

lk_status lk_schema_to_json(const lk_schema* schema, char* buffer, size_t capacity,
                            size_t* out_length) {
  return guarded([&] {
    require(schema, "schema");
    copy_text(leadkit::engine::schema_to_json(schema->schema), buffer, capacity, out_length,
              "schema JSON");
  });
}

lk_status lk_schema_fit(const lk_schema* schema, const lk_batch* batch, lk_schema** out_fitted) {
  return guarded([&] {
    require(schema, "schema");
    require(batch, "batch");
    require(out_fitted, "out_fitted");
    auto* s = new lk_schema{schema->schema.fit(batch->batch)};
    *out_fitted = s;
  });
}

lk_status lk_schema_encode(const lk_schema* schema, const lk_batch* batch,
                           const lk_exec_options* options, float* out, size_t out_row_stride) {
  return guarded([&] {
    require(schema, "schema");
    require(batch, "batch");
    schema->schema.encode(batch->batch, exec_from(options), out, out_row_stride);
  });
}

lk_status lk_points_model_from_json(const lk_schema* schema, const char* json,
                                    lk_points_model** out_model) {
  return guarded([&] {
    require(schema, "schema");
    require(json, "json");
    require(out_model, "out_model");
    *out_model = new lk_points_model{leadkit::engine::points_model_from_json(schema->schema, json)};
  });
}

void lk_points_model_free(lk_points_model* model) { delete model; }

lk_status lk_points_model_n_features(const lk_points_model* model, size_t* out_n_features) {
  return guarded([&] {
    require(model, "model");
    require(out_n_features, "out_n_features");
    *out_n_features = model->model.n_features();
  });
}

lk_status lk_points_model_n_rules(const lk_points_model* model, size_t* out_n_rules) {
  return guarded([&] {
    require(model, "model");
    require(out_n_rules, "out_n_rules");
    *out_n_rules = model->model.rules().size();
  });
}

lk_status lk_points_model_rule_name(const lk_points_model* model, size_t index, char* buffer,
                                    size_t capacity, size_t* out_length) {
  return guarded([&] {
    require(model, "model");
    const auto& rules = model->model.rules();
    if (index >= rules.size())
      fail(LK_ERR_INVALID_ARGUMENT, "index: ", index, " is out of range; the model has ",
           rules.size(), " rules");
    copy_text(rules[index].name, buffer, capacity, out_length, "rule name");
  });
}

lk_status lk_points_model_score(const lk_points_model* model, const float* X, size_t n_rows,
                                size_t n_cols, size_t row_stride, const lk_exec_options* options,
                                float* out_scores) {
  return guarded([&] {
    require(model, "model");
    require(out_scores, "out_scores");
    model->model.score({X, n_rows, n_cols, row_stride}, exec_from(options), out_scores);
  });
}

lk_status lk_points_model_reasons(const lk_points_model* model, const float* X, size_t n_rows,
                                  size_t n_cols, size_t row_stride, size_t k,
                                  const lk_exec_options* options, float* out_scores,
                                  int32_t* out_rules, float* out_points) {
  return guarded([&] {
    require(model, "model");
    model->model.reasons({X, n_rows, n_cols, row_stride}, k, exec_from(options), out_scores,
                         out_rules, out_points);
  });
}

lk_status lk_grader_from_json(const char* json, lk_grader** out_grader) {
  return guarded([&] {
    require(json, "json");
    require(out_grader, "out_grader");
    *out_grader = new lk_grader{leadkit::engine::grader_from_json(json)};
  });
}

void lk_grader_free(lk_grader* grader) { delete grader; }

lk_status lk_grader_to_json(const lk_grader* grader, char* buffer, size_t capacity,
                            size_t* out_length) {
  return guarded([&] {
    require(grader, "grader");
    copy_text(leadkit::engine::grader_to_json(grader->grader).dump(2), buffer, capacity, out_length,
              "grader JSON");
  });
}

lk_status lk_grader_n_stages(const lk_grader* grader, size_t* out_n) {
  return guarded([&] {
    require(grader, "grader");
    require(out_n, "out_n");
    *out_n = grader->grader.stages().size();
  });
}

lk_status lk_grader_n_grades(const lk_grader* grader, size_t* out_n) {
  return guarded([&] {
    require(grader, "grader");
    require(out_n, "out_n");
    *out_n = grader->grader.grades().size();
  });
}

namespace {
lk_status band_label(const lk_grader* grader, bool stage, size_t index, char* buffer,
                     size_t capacity, size_t* out_length) noexcept {
  return guarded([&] {
    require(grader, "grader");
    const auto& bands = stage ? grader->grader.stages() : grader->grader.grades();
    if (index >= bands.size())
      fail(LK_ERR_INVALID_ARGUMENT, "index: ", index, " is out of range; the grader has ",
           bands.size(), stage ? " stages" : " grades");
    copy_text(bands[index].label, buffer, capacity, out_length, stage ? "stage label" : "grade label");
  });
}
}  // namespace

lk_status lk_grader_stage_label(const lk_grader* grader, size_t index, char* buffer,
                                size_t capacity, size_t* out_length) {
  return band_label(grader, true, index, buffer, capacity, out_length);
}

lk_status lk_grader_grade_label(const lk_grader* grader, size_t index, char* buffer,
                                size_t capacity, size_t* out_length) {
  return band_label(grader, false, index, buffer, capacity, out_length);
}

lk_status lk_grader_apply(const lk_grader* grader, const float* score, const float* fit, size_t n,
                          int32_t* out_stage, int32_t* out_grade) {
  return guarded([&] {
    require(grader, "grader");
    grader->grader.apply(score, fit, n, out_stage, out_grade);
  });
}

}  // extern "C"
