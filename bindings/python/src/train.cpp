// leadkit._core.fit_logistic: learning a LogisticModel from encoded leads.
#include <limits>
#include <string>

#include "common.hpp"

namespace leadkit_py {

namespace {

using F32 = py::array_t<float, py::array::c_style | py::array::forcecast>;

// A 1-D float32 column of n values (converted from any real sequence: it is
// small next to X).
F32 column(const py::object& v, std::size_t n, const char* name) {
  F32 a = F32::ensure(v);
  if (!a) throw_type_error(std::string(name) + ": expected a 1-D array of numbers, got " + type_name(v));
  if (a.ndim() != 1 || static_cast<std::size_t>(a.shape(0)) != n)
    throw_value_error(std::string(name) + ": expected shape (" + std::to_string(n) + ",), got " + shape_of(a));
  return a;
}

}  // namespace

void bind_train(py::module_& m) {
  m.def(
      "fit_logistic",
      [](const py::handle& X, const py::object& y, const py::object& sample_weight, double C, long long max_iter,
         double tol, bool fit_intercept, long long n_threads) {
        const Rows r = as_rows(X, "X");
        const leadkit::ExecOptions e = exec(n_threads);
        const F32 yy = column(y, r.rows, "y");
        const py::object sw = sample_weight.is_none() ? py::object(py::none())
                                                      : py::object(column(sample_weight, r.rows, "sample_weight"));
        if (max_iter < 1 || max_iter > std::numeric_limits<int>::max())
          throw_value_error("max_iter: must be at least 1, got " + std::to_string(max_iter));
        leadkit::LogisticFitOptions o;
        o.C = C;
        o.max_iter = static_cast<int>(max_iter);
        o.tol = tol;
        o.fit_intercept = fit_intercept;
        leadkit::LogisticFitReport rep;
        const float* swp = sw.is_none() ? nullptr : sw.cast<F32>().data();
        py::gil_scoped_release release;
        leadkit::LogisticModel model =
            leadkit::LogisticModel::fit(r.data, r.rows, r.cols, yy.data(), swp, o, e, &rep, r.stride);
        py::gil_scoped_acquire acquire;
        py::dict report;
        report["iterations"] = rep.iterations;
        report["converged"] = rep.converged;
        report["loss"] = rep.loss;
        return py::make_tuple(std::move(model), report);
      },
      py::arg("X"), py::arg("y"), py::arg("sample_weight") = py::none(), py::arg("C") = 1.0,
      py::arg("max_iter") = 100, py::arg("tol") = 1e-6, py::arg("fit_intercept") = true, py::arg("n_threads") = 0,
      "(LogisticModel, report): L2-regularised logistic regression by Newton's method (see leadkit.h).");
}

}  // namespace leadkit_py
