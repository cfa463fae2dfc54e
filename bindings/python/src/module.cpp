// leadkit._core: the thin pybind11 layer over the public C++ API.
//
// numpy in, numpy out. Feature matrices are never copied: a float32 array
// whose rows are contiguous (C order, or a row slice / column prefix of one)
// is handed to the kernel as a pointer and a row stride; anything else is
// rejected with an error that says how to convert it. The GIL is released
// while a kernel runs.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "common.hpp"

namespace py = pybind11;
using namespace leadkit_py;

namespace {

py::array_t<float> score(const leadkit::LogisticModel& m, const py::handle& X, long long n_threads,
                         bool proba, const py::object& given) {
  const Rows r = as_rows(X, "X");
  const leadkit::ExecOptions e = exec(n_threads);
  // The output (the caller's out=, checked, or a new array) is ready, with
  // the GIL, before the kernel runs without it.
  py::array_t<float> out = output_array<float>(given, "out", {static_cast<py::ssize_t>(r.rows)}, span_of(r));
  float* o = out.mutable_data();
  {
    py::gil_scoped_release release;
    if (proba)
      m.predict_proba(r.data, r.rows, r.cols, o, e, r.stride);
    else
      m.decision_function(r.data, r.rows, r.cols, o, e, r.stride);
  }
  return out;
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "leadkit native core (use the `leadkit` package)";
  m.attr("__version__") = leadkit::version();
  m.def("version", &leadkit::version, "The version of the loaded leadkit library.");
  m.def("cpu_features", [] { return std::string(lk_cpu_features()); },
        "Which kernel variant runs: 'active=...;detected=...;compiled=...'.");

  // The C status codes by name, e.g. STATUS["LK_ERR_NOT_FINITE"] == e.status.
  py::dict status;
  for (const lk_status s : {LK_OK, LK_ERR_INVALID_ARGUMENT, LK_ERR_NULL_POINTER, LK_ERR_DIMENSION_MISMATCH,
                            LK_ERR_NOT_FINITE, LK_ERR_OUT_OF_MEMORY, LK_ERR_IO, LK_ERR_FORMAT,
                            LK_ERR_UNSUPPORTED, LK_ERR_BUFFER_TOO_SMALL, LK_ERR_INTERNAL})
    status[lk_status_name(s)] = static_cast<int>(s);
  m.attr("STATUS") = status;

  // Library failures that are not the caller's input (I/O, a corrupt model
  // file, a bug) are runtime errors; bad input is also a ValueError.
  g_leadkit_error = PyErr_NewException("leadkit.LeadkitError", PyExc_RuntimeError, nullptr);
  py::handle(g_leadkit_error).attr("status") = py::none();
  py::handle(g_leadkit_error).attr("status_name") = py::none();
  m.attr("LeadkitError") = py::handle(g_leadkit_error);
  py::tuple bases = py::make_tuple(py::handle(g_leadkit_error), py::handle(PyExc_ValueError));
  g_invalid_input_error = PyErr_NewException("leadkit.InvalidInputError", bases.ptr(), nullptr);
  m.attr("InvalidInputError") = py::handle(g_invalid_input_error);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const leadkit::Error& e) {
      translate(e);
    }
  });

  py::class_<leadkit::Schema>(m, "Schema", "Lead attributes and their encoding (see leadkit.Schema).")
      .def(py::init([](const std::string& json) { return leadkit::Schema::from_json(json); }), py::arg("json"))
      .def_property_readonly("n_features", &leadkit::Schema::n_features)
      .def_property_readonly("feature_names", &leadkit::Schema::feature_names)
      .def_property_readonly("attribute_names", &leadkit::Schema::attribute_names)
      .def("to_json", &leadkit::Schema::to_json)
      .def(
          "fit",
          [](const leadkit::Schema& self, const py::dict& data) {
            BatchColumns keep;
            const leadkit::LeadBatch batch = make_batch(data, keep);
            py::gil_scoped_release release;
            return self.fit(batch);
          },
          py::arg("data"))
      .def(
          "transform",
          [](const leadkit::Schema& self, const py::dict& data, int n_threads) {
            BatchColumns keep;
            const leadkit::LeadBatch batch = make_batch(data, keep);
            const leadkit::ExecOptions e = exec(n_threads);
            const std::size_t D = self.n_features();
            py::array_t<float> out({static_cast<py::ssize_t>(keep.rows), static_cast<py::ssize_t>(D)});
            float* o = out.mutable_data();
            {
              py::gil_scoped_release release;
              self.encode(batch, o, D, e);
            }
            return out;
          },
          py::arg("data"), py::arg("n_threads") = 0);

  py::class_<leadkit::Grader>(m, "Grader", "Stages and grades (see leadkit.Grader).")
      .def(py::init([](const std::string& json) { return leadkit::Grader::from_json(json); }), py::arg("json"))
      .def_property_readonly("stages", &leadkit::Grader::stages)
      .def_property_readonly("grades", &leadkit::Grader::grades)
      .def("to_json", &leadkit::Grader::to_json)
      .def(
          "apply",
          [](const leadkit::Grader& self, const py::object& score, const py::object& fit) {
            using F = py::array_t<float, py::array::c_style | py::array::forcecast>;
            F s = F::ensure(score);
            if (!s || s.ndim() != 1) throw_value_error("score: expected a 1-D array of scores");
            F f;
            if (!fit.is_none()) {
              f = F::ensure(fit);
              if (!f || f.ndim() != 1) throw_value_error("fit: expected a 1-D array of fit scores");
              if (f.shape(0) != s.shape(0))
                throw_value_error("fit: has " + std::to_string(f.shape(0)) + " leads but score has " +
                                  std::to_string(s.shape(0)));
            }
            const auto n = static_cast<std::size_t>(s.shape(0));
            py::array_t<std::int32_t> stage(static_cast<py::ssize_t>(n)), grade(static_cast<py::ssize_t>(n));
            self.apply(s.data(), fit.is_none() ? nullptr : f.data(), n, stage.mutable_data(),
                       grade.mutable_data());
            return py::make_tuple(stage, grade);
          },
          py::arg("score"), py::arg("fit") = py::none());

  py::class_<leadkit::PointsModel>(m, "PointsModel", "Rule-based fit scoring (see leadkit.PointsModel).")
      .def(py::init([](const leadkit::Schema& schema, const std::string& json) {
             return leadkit::PointsModel::from_json(schema, json);
           }),
           py::arg("schema"), py::arg("json"))
      .def_property_readonly("n_features", &leadkit::PointsModel::n_features)
      .def_property_readonly("rule_names", &leadkit::PointsModel::rule_names)
      .def(
          "score",
          [](const leadkit::PointsModel& self, const py::handle& X, long long n_threads, const py::object& given) {
            const Rows r = as_rows(X, "X");
            const leadkit::ExecOptions e = exec(n_threads);
            py::array_t<float> out = output_array<float>(given, "out", {static_cast<py::ssize_t>(r.rows)}, span_of(r));
            float* o = out.mutable_data();
            {
              py::gil_scoped_release release;
              self.score(r.data, r.rows, r.cols, o, e, r.stride);
            }
            return out;
          },
          py::arg("X"), py::arg("n_threads") = 0, py::arg("out") = py::none())
      .def(
          "reasons",
          [](const leadkit::PointsModel& self, const py::handle& X, long long k, long long n_threads) {
            const Rows r = as_rows(X, "X");
            const leadkit::ExecOptions e = exec(n_threads);
            if (k < 1) throw_value_error("k: must be at least 1, got " + std::to_string(k));
            const auto kk = static_cast<py::ssize_t>(k);
            const auto n = static_cast<py::ssize_t>(r.rows);
            py::array_t<float> scores = new_vector(r.rows);
            py::array_t<std::int32_t> rules({n, kk});
            py::array_t<float> points({n, kk});
            float* so = scores.mutable_data();
            std::int32_t* ro = rules.mutable_data();
            float* po = points.mutable_data();
            {
              py::gil_scoped_release release;
              const lk_exec_options o = e.to_c();
              leadkit::detail::check(lk_points_model_reasons(self.handle(), r.data, r.rows, r.cols, r.stride,
                                                             static_cast<std::size_t>(k), &o, so, ro, po));
            }
            return py::make_tuple(scores, rules, points);
          },
          py::arg("X"), py::arg("k") = 3, py::arg("n_threads") = 0);

  py::class_<leadkit::LogisticModel>(m, "LogisticModel", R"doc(
Predictive lead scoring: P(conversion) = sigmoid(X @ weights + intercept).

Immutable; safe to share between threads. X must be a 2-D float32 array whose
rows are contiguous (C order, or a slice of one); it is never copied.
)doc")
      .def(py::init([](const py::handle& weights, float intercept) {
             const std::vector<float> w = as_weights(weights);
             return leadkit::LogisticModel(w.data(), w.size(), intercept);
           }),
           py::arg("weights"), py::arg("intercept") = 0.0f)
      .def_property_readonly("n_features", &leadkit::LogisticModel::n_features)
      .def_property_readonly("weights",
                             [](const leadkit::LogisticModel& self) {
                               const auto w = self.weights();
                               py::array_t<float> a = new_vector(w.size());
                               std::copy(w.begin(), w.end(), a.mutable_data());
                               return a;
                             })
      .def_property_readonly("intercept", &leadkit::LogisticModel::intercept)
      .def(
          "predict_proba",
          [](const leadkit::LogisticModel& self, const py::object& X, long long n_threads, const py::object& out) {
            return score(self, X, n_threads, true, out);
          },
          py::arg("X"), py::arg("n_threads") = 0, py::arg("out") = py::none(),
          "Probability of conversion per lead: float32 array of shape (n_leads,). out: a float32 array "
          "of that shape to fill and return instead of a new one.")
      .def(
          "decision_function",
          [](const leadkit::LogisticModel& self, const py::object& X, long long n_threads, const py::object& out) {
            return score(self, X, n_threads, false, out);
          },
          py::arg("X"), py::arg("n_threads") = 0, py::arg("out") = py::none(),
          "Raw score (log-odds) per lead; out= as for predict_proba.")
      .def(
          "reasons",
          [](const leadkit::LogisticModel& self, const py::object& X, long long k, long long n_threads) {
            const Rows r = as_rows(X, "X");
            const leadkit::ExecOptions e = exec(n_threads);
            if (k < 1) throw_value_error("k: must be at least 1, got " + std::to_string(k));
            const auto kk = static_cast<py::ssize_t>(k);
            const auto n = static_cast<py::ssize_t>(r.rows);
            py::array_t<float> proba = new_vector(r.rows);
            py::array_t<std::int32_t> features({n, kk});
            py::array_t<float> contributions({n, kk});
            float* po = proba.mutable_data();
            std::int32_t* fo = features.mutable_data();
            float* co = contributions.mutable_data();
            {
              py::gil_scoped_release release;
              const lk_exec_options o = e.to_c();
              leadkit::detail::check(lk_logistic_model_reasons(self.handle(), r.data, r.rows, r.cols,
                                                               r.stride, static_cast<std::size_t>(k), &o,
                                                               po, fo, co));
            }
            return py::make_tuple(proba, features, contributions);
          },
          py::arg("X"), py::arg("k") = 3, py::arg("n_threads") = 0,
          "(probabilities, features (n, k) int32, contributions (n, k)): per lead the k features "
          "contributing most to the log-odds, largest magnitude first; -1 pads.")
      .def("__repr__",
           [](const leadkit::LogisticModel& self) {
             return "LogisticModel(n_features=" + std::to_string(self.n_features()) +
                    ", intercept=" + py::repr(py::float_(static_cast<double>(self.intercept()))).cast<std::string>() + ")";
           })
      .def(py::pickle(
          [](const leadkit::LogisticModel& self) {
            const auto w = self.weights();
            py::array_t<float> a = new_vector(w.size());
            std::copy(w.begin(), w.end(), a.mutable_data());
            return py::make_tuple(a, self.intercept());
          },
          [](const py::tuple& state) {
            if (state.size() != 2) throw_value_error("LogisticModel: invalid pickle state");
            const std::vector<float> w = as_weights(state[0]);
            return leadkit::LogisticModel(w.data(), w.size(), state[1].cast<float>());
          }));

  bind_scorecard(m);
  bind_train(m);
  bind_engagement(m);
  bind_personas(m);
}
