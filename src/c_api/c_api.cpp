// The C API: every entry point validates its arguments, calls the engine, and
// turns any exception into an lk_status plus a thread-local message. Nothing
// is thrown across the boundary.
#include <cstring>
#include <exception>
#include <new>
#include <string>

#include "core/error.hpp"
#include "core/exec.hpp"
#include "core/feature_view.hpp"
#include "kernels/isa.hpp"
#include "leadkit/leadkit.h"
#include "scoring/logistic_model.hpp"

struct lk_logistic_model {
  leadkit::engine::LogisticModel model;
};

namespace {

using leadkit::engine::Error;
using leadkit::engine::fail;

thread_local std::string g_last_error;

lk_status set_error(lk_status status, const char* message) noexcept {
  try {
    g_last_error = message;
  } catch (...) {
    g_last_error.clear();  // out of memory for the message itself
  }
  return status;
}

// Runs `body` and maps every exception to a status. The message of a
// successful call is left as it was (errno-like), so callers read it only
// after a failure.
template <typename Body>
lk_status guarded(Body&& body) noexcept {
  try {
    body();
    return LK_OK;
  } catch (const Error& e) {
    return set_error(e.status(), e.what());
  } catch (const std::bad_alloc&) {
    return set_error(LK_ERR_OUT_OF_MEMORY, "out of memory");
  } catch (const std::exception& e) {
    std::string m = std::string("internal error: ") + e.what();
    return set_error(LK_ERR_INTERNAL, m.c_str());
  } catch (...) {
    return set_error(LK_ERR_INTERNAL, "internal error: unknown exception");
  }
}

template <typename T>
void require(const T* p, const char* name) {
  if (p == nullptr) fail(LK_ERR_NULL_POINTER, name, ": is NULL");
}

leadkit::engine::ExecOptions exec_from(const lk_exec_options* o) {
  leadkit::engine::ExecOptions e;
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
    case LK_ERR_INTERNAL: return "LK_ERR_INTERNAL";
  }
  return "LK_UNKNOWN_STATUS";
}

const char* lk_last_error(void) { return g_last_error.c_str(); }

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

}  // extern "C"
