// leadkit._core: the thin pybind11 layer over the public C++ API.
//
// numpy in, numpy out. Feature matrices are never copied: a float32 array
// whose rows are contiguous (C order, or a row slice / column prefix of one)
// is handed to the kernel as a pointer and a row stride; anything else is
// rejected with an error that says how to convert it. The GIL is released
// while a kernel runs.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "leadkit/leadkit.hpp"

namespace py = pybind11;

namespace {

// Exception classes, created at import (see PYBIND11_MODULE below).
PyObject* g_leadkit_error = nullptr;        // LeadkitError(RuntimeError)
PyObject* g_invalid_input_error = nullptr;  // InvalidInputError(LeadkitError, ValueError)

[[noreturn]] void throw_type_error(const std::string& m) { throw py::type_error(m); }
// A bad value caught here is reported exactly like one the library catches
// (InvalidInputError, status LK_ERR_INVALID_ARGUMENT), so callers need one
// `except` whichever layer noticed.
[[noreturn]] void throw_value_error(const std::string& m) { throw leadkit::Error(LK_ERR_INVALID_ARGUMENT, m); }

std::string dtype_name(const py::array& a) { return py::str(a.dtype()).cast<std::string>(); }
std::string shape_of(const py::array& a) { return py::str(a.attr("shape")).cast<std::string>(); }
std::string type_name(const py::handle& h) { return py::str(h.get_type().attr("__name__")).cast<std::string>(); }

// A validated, non-owning view of a 2-D float32 array with contiguous rows.
struct Rows {
  const float* data;
  std::size_t rows, cols, stride;
};

// The checks are ours, not numpy's: py::array (never array_t with forcecast)
// so a float64 or Fortran-order matrix is refused with advice instead of being
// silently copied, which at scoring sizes would double the memory.
Rows as_rows(const py::handle& obj, const char* name) {
  const std::string n(name);
  if (!py::isinstance<py::array>(obj))
    throw_type_error(n + ": expected a 2-D numpy float32 array, got " + type_name(obj) +
                     "; convert with np.asarray(" + n + ", dtype=np.float32)");
  const auto X = py::reinterpret_borrow<py::array>(obj);
  if (!X.dtype().is(py::dtype::of<float>()))
    throw_type_error(n + ": expected a float32 array, got " + dtype_name(X) + "; convert with " + n +
                     ".astype(np.float32)");
  if (X.ndim() != 2)
    throw_value_error(n + ": expected a 2-D array (n_leads, n_features), got shape " + shape_of(X) +
                      (X.ndim() == 1 ? "; for one lead use " + n + ".reshape(1, -1)" : ""));
  const auto rows = static_cast<std::size_t>(X.shape(0));
  const auto cols = static_cast<std::size_t>(X.shape(1));
  const auto s0 = X.strides(0), s1 = X.strides(1);
  constexpr auto f = static_cast<py::ssize_t>(sizeof(float));
  if (rows > 0 && cols > 1 && s1 != f)
    throw_value_error(n + ": the features of a lead must be contiguous (column stride " + std::to_string(s1) +
                      " bytes, expected 4); pass np.ascontiguousarray(" + n + ")");
  // A float* the kernels dereference must be float-aligned (np.frombuffer at an
  // odd offset is not); a vectorised loop may otherwise fault.
  if (reinterpret_cast<std::uintptr_t>(X.data()) % alignof(float) != 0)
    throw_value_error(n + ": data is not aligned to 4 bytes; pass np.ascontiguousarray(" + n + ")");
  std::size_t stride = cols;
  if (rows > 1) {
    // Reversed (negative) or overlapping rows (np.broadcast_to has stride 0)
    // cannot be described to the C API; stride 0 would even mean "n_cols" to it
    // and read past the array.
    if (s0 < f * static_cast<py::ssize_t>(cols) || s0 % f != 0)
      throw_value_error(n + ": row stride of " + std::to_string(s0) +
                        " bytes is not supported (rows must be in order, apart by a multiple of 4 bytes and "
                        "not overlap); pass np.ascontiguousarray(" + n + ")");
    stride = static_cast<std::size_t>(s0 / f);
  }
  return {static_cast<const float*>(X.data()), rows, cols, stride};
}

// long long so that a huge count gets this message, not pybind11's overload error.
leadkit::ExecOptions exec(long long n_threads) {
  if (n_threads < 0 || n_threads > std::numeric_limits<std::int32_t>::max())
    throw_value_error("n_threads: is " + std::to_string(n_threads) +
                      "; use 0 for all cores or a positive count");
  return leadkit::ExecOptions{static_cast<int>(n_threads)};
}

std::vector<float> as_weights(const py::handle& weights) {
  // Weights are small and copied into the model: accept any real sequence.
  using Vector = py::array_t<float, py::array::c_style | py::array::forcecast>;
  const Vector w = Vector::ensure(weights);  // a null handle on failure; ensure() clears the error
  if (!w || weights.is_none()) throw_type_error("weights: expected a 1-D sequence of numbers, got " + type_name(weights));
  if (w.ndim() != 1) throw_value_error("weights: expected a 1-D array, got shape " + shape_of(w));
  return std::vector<float>(w.data(), w.data() + w.size());
}

py::array_t<float> new_vector(std::size_t n) { return py::array_t<float>(static_cast<py::ssize_t>(n)); }

py::array_t<float> score(const leadkit::LogisticModel& m, const py::handle& X, long long n_threads,
                         bool proba) {
  const Rows r = as_rows(X, "X");
  const leadkit::ExecOptions e = exec(n_threads);
  // The output is allocated (with the GIL) before the kernel runs without it.
  py::array_t<float> out = new_vector(r.rows);
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

// Columns of one call, converted to what the C API takes and kept alive for
// the duration of the call.
struct BatchColumns {
  std::vector<py::array_t<double, py::array::c_style | py::array::forcecast>> numbers;
  std::vector<py::array_t<std::int8_t, py::array::c_style | py::array::forcecast>> booleans;
  std::vector<py::object> owners;  // sequences whose strings are borrowed
  std::vector<std::vector<const char*>> text_ptrs;
  std::size_t rows = 0;
};

bool is_missing_scalar(const py::handle& v) {
  if (v.is_none()) return true;
  if (std::strcmp(Py_TYPE(v.ptr())->tp_name, "NAType") == 0) return true;  // pandas.NA
  if (PyFloat_Check(v.ptr())) return std::isnan(PyFloat_AsDouble(v.ptr()));
  return false;
}

leadkit::LeadBatch make_batch(const py::dict& data, BatchColumns& keep) {
  if (data.size() == 0) throw_value_error("data: has no columns");
  bool first = true;
  std::vector<std::pair<std::string, int>> plan;  // name, kind (0 num, 1 bool, 2 text)
  for (auto item : data) {
    const std::string name = py::str(item.first).cast<std::string>();
    py::handle col = item.second;
    std::size_t n = 0;
    int kind = 2;
    py::array arr;
    const bool is_array = py::isinstance<py::array>(col);
    if (is_array) {
      arr = py::reinterpret_borrow<py::array>(col);
      if (arr.ndim() != 1)
        throw_value_error("data['" + name + "']: expected a 1-D column, got " + std::to_string(arr.ndim()) +
                          " dimension(s)");
      const char k = arr.dtype().kind();
      kind = k == 'b' ? 1 : (k == 'f' || k == 'i' || k == 'u') ? 0 : (k == 'O' || k == 'U' || k == 'S') ? 2 : -1;
      if (kind < 0)
        throw_type_error("data['" + name + "']: unsupported dtype " + dtype_name(arr) +
                         "; use numbers, booleans or strings");
      n = static_cast<std::size_t>(arr.shape(0));
    } else if (py::isinstance<py::list>(col) || py::isinstance<py::tuple>(col)) {
      n = py::len(col);
    } else {
      throw_type_error("data['" + name + "']: expected a numpy array or a list, got " +
                       py::str(col.get_type().attr("__name__")).cast<std::string>());
    }
    if (first) keep.rows = n;
    else if (n != keep.rows)
      throw_value_error("data['" + name + "']: has " + std::to_string(n) + " rows but the first column has " +
                        std::to_string(keep.rows));
    first = false;
    if (kind == 0) {
      keep.numbers.emplace_back(py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(arr));
    } else if (kind == 1) {
      keep.booleans.emplace_back(py::array_t<std::int8_t, py::array::c_style | py::array::forcecast>::ensure(arr));
    } else {
      // Borrow each str's cached UTF-8 (no copy): the sequence is kept alive
      // in `keep` for the call, and with it every string it holds. numpy
      // fixed-width string arrays are first turned into Python objects.
      py::object seq_obj = is_array ? py::object(arr) : py::reinterpret_borrow<py::object>(col);
      if (is_array && arr.dtype().kind() != 'O') seq_obj = arr.attr("astype")("object");
      // A tuple holds its own references: another Python thread that edits
      // the caller's list while the kernel runs without the GIL cannot free a
      // string we point into.
      py::object fast = py::reinterpret_steal<py::object>(PySequence_Tuple(seq_obj.ptr()));
      if (!fast) throw py::error_already_set();
      std::vector<const char*> ptrs(n, nullptr);
      PyObject** items = &PyTuple_GET_ITEM(fast.ptr(), 0);
      for (std::size_t i = 0; i < n; ++i) {
        PyObject* v = items[i];
        if (PyUnicode_Check(v)) {
          Py_ssize_t len = 0;
          const char* utf8 = PyUnicode_AsUTF8AndSize(v, &len);
          if (utf8 == nullptr) throw py::error_already_set();
          if (static_cast<std::size_t>(len) != std::strlen(utf8))
            throw_value_error("data['" + name + "'][" + std::to_string(i) + "]: contains a NUL character");
          ptrs[i] = utf8;
        } else if (!is_missing_scalar(v)) {
          throw_type_error("data['" + name + "'][" + std::to_string(i) + "]: expected a string or None, got " +
                           std::string(Py_TYPE(v)->tp_name));
        }
      }
      keep.owners.push_back(std::move(fast));
      keep.text_ptrs.push_back(std::move(ptrs));
    }
    plan.emplace_back(name, kind);
  }
  leadkit::LeadBatch batch(keep.rows);
  std::size_t ni = 0, bi = 0, ti = 0;
  for (const auto& [name, kind] : plan) {
    if (kind == 0) batch.set_numeric(name, keep.numbers[ni++].data());
    else if (kind == 1) batch.set_booleans(name, keep.booleans[bi++].data());
    else batch.set_strings(name, keep.text_ptrs[ti++].data());
  }
  return batch;
}

// Raises `type` with the message "LK_ERR_X: ..." and the status on the
// instance (e.status, e.status_name) so code can branch without parsing text.
void raise_with_status(PyObject* type, const leadkit::Error& e) {
  const std::string msg = std::string(e.status_name()) + ": " + e.what();
  PyObject* exc = PyObject_CallFunction(type, "s", msg.c_str());
  if (exc == nullptr) return;  // creating it failed; that error is set instead
  PyObject* status = PyLong_FromLong(static_cast<long>(e.status()));
  PyObject* name = PyUnicode_FromString(e.status_name());
  if (status && name) {
    PyObject_SetAttrString(exc, "status", status);
    PyObject_SetAttrString(exc, "status_name", name);
  }
  Py_XDECREF(status);
  Py_XDECREF(name);
  PyErr_Clear();  // a failed attribute must not mask the real error
  PyErr_SetObject(type, exc);
  Py_DECREF(exc);
}

void translate(const leadkit::Error& e) {
  switch (e.status()) {
    case LK_ERR_OUT_OF_MEMORY:
      return raise_with_status(PyExc_MemoryError, e);
    case LK_ERR_INVALID_ARGUMENT:
    case LK_ERR_NULL_POINTER:
    case LK_ERR_DIMENSION_MISMATCH:
    case LK_ERR_NOT_FINITE:
      return raise_with_status(g_invalid_input_error, e);
    default:
      return raise_with_status(g_leadkit_error, e);
  }
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
          [](const leadkit::PointsModel& self, const py::handle& X, long long n_threads) {
            const Rows r = as_rows(X, "X");
            const leadkit::ExecOptions e = exec(n_threads);
            py::array_t<float> out = new_vector(r.rows);
            float* o = out.mutable_data();
            {
              py::gil_scoped_release release;
              self.score(r.data, r.rows, r.cols, o, e, r.stride);
            }
            return out;
          },
          py::arg("X"), py::arg("n_threads") = 0)
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
          [](const leadkit::LogisticModel& self, const py::object& X, long long n_threads) {
            return score(self, X, n_threads, true);
          },
          py::arg("X"), py::arg("n_threads") = 0,
          "Probability of conversion per lead: float32 array of shape (n_leads,).")
      .def(
          "decision_function",
          [](const leadkit::LogisticModel& self, const py::object& X, long long n_threads) {
            return score(self, X, n_threads, false);
          },
          py::arg("X"), py::arg("n_threads") = 0, "Raw score (log-odds) per lead.")
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
}
