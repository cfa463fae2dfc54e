// The C API of training (see leadkit.h).
#include "c_api/c_api_internal.hpp"
#include "c_api/handles.hpp"
#include "core/feature_view.hpp"
#include "train/logistic_fit.hpp"

namespace {

using namespace leadkit::capi;

leadkit::engine::LogisticFitOptions fit_options_from(const lk_logistic_fit_options* o) {
  leadkit::engine::LogisticFitOptions f;
  if (o == nullptr) return f;
  if (o->struct_size < offsetof(lk_logistic_fit_options, fit_intercept) + sizeof(o->fit_intercept))
    fail(LK_ERR_INVALID_ARGUMENT, "fit_options: struct_size ", o->struct_size,
         " is too small; initialise the struct with lk_logistic_fit_options_init()");
  if (o->fit_intercept != 0 && o->fit_intercept != 1)
    fail(LK_ERR_INVALID_ARGUMENT, "fit_options.fit_intercept: must be 0 or 1, got ", o->fit_intercept);
  f.C = o->C;
  f.max_iter = o->max_iter;
  f.tol = o->tol;
  f.fit_intercept = o->fit_intercept == 1;
  return f;
}

}  // namespace

extern "C" {

lk_status lk_logistic_fit_options_init(lk_logistic_fit_options* options) {
  return guarded([&] {
    require(options, "options");
    const leadkit::engine::LogisticFitOptions d;
    *options = lk_logistic_fit_options{sizeof(lk_logistic_fit_options), d.C, d.max_iter, d.tol,
                                       d.fit_intercept ? 1 : 0};
  });
}

lk_status lk_logistic_fit_report_init(lk_logistic_fit_report* report) {
  return guarded([&] {
    require(report, "report");
    *report = lk_logistic_fit_report{sizeof(lk_logistic_fit_report), 0, 0, 0.0};
  });
}

lk_status lk_logistic_model_fit(const float* X, size_t n_rows, size_t n_cols, size_t row_stride,
                                const float* y, const float* sample_weight,
                                const lk_logistic_fit_options* fit_options,
                                const lk_exec_options* options, lk_logistic_model** out_model,
                                lk_logistic_fit_report* out_report) {
  return guarded([&] {
    require(out_model, "out_model");
    if (out_report != nullptr &&
        out_report->struct_size < offsetof(lk_logistic_fit_report, loss) + sizeof(out_report->loss))
      fail(LK_ERR_INVALID_ARGUMENT, "out_report: struct_size ", out_report->struct_size,
           " is too small; initialise the struct with lk_logistic_fit_report_init()");
    const auto fo = fit_options_from(fit_options);
    leadkit::engine::LogisticFitReport rep;
    auto* m = new lk_logistic_model{leadkit::engine::fit_logistic({X, n_rows, n_cols, row_stride}, y, sample_weight,
                                                                   fo, exec_from(options), &rep)};
    *out_model = m;
    if (out_report) {
      out_report->iterations = rep.iterations;
      out_report->converged = rep.converged ? 1 : 0;
      out_report->loss = rep.loss;
    }
  });
}

}  // extern "C"
