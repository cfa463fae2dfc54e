// Shared helpers of the leadkit._core translation units (see common.hpp).
#include "common.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace leadkit_py {

PyObject* g_leadkit_error = nullptr;
PyObject* g_invalid_input_error = nullptr;

[[noreturn]] void throw_type_error(const std::string& m) { throw py::type_error(m); }
[[noreturn]] void throw_value_error(const std::string& m) { throw leadkit::Error(LK_ERR_INVALID_ARGUMENT, m); }

std::string dtype_name(const py::array& a) { return py::str(a.dtype()).cast<std::string>(); }
std::string shape_of(const py::array& a) { return py::str(a.attr("shape")).cast<std::string>(); }
std::string type_name(const py::handle& h) { return py::str(h.get_type().attr("__name__")).cast<std::string>(); }

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



bool is_missing_scalar(const py::handle& v) {
  if (v.is_none()) return true;
  if (std::strcmp(Py_TYPE(v.ptr())->tp_name, "NAType") == 0) return true;  // pandas.NA
  if (PyFloat_Check(v.ptr())) return std::isnan(PyFloat_AsDouble(v.ptr()));
  return false;
}

namespace {

// The UTF-8 of every str in `seq` (borrowed: the tuple that holds them is kept
// in `keep`), NULL for a missing value where `missing_ok`. `where` names the
// column in errors.
std::vector<const char*> borrow_strings(const py::handle& seq, const std::string& where, bool missing_ok,
                                        BatchColumns& keep) {
  // A tuple holds its own references: another Python thread that edits the
  // caller's list while the kernel runs without the GIL cannot free a string
  // we point into.
  py::object fast = py::reinterpret_steal<py::object>(PySequence_Tuple(seq.ptr()));
  if (!fast) throw py::error_already_set();
  const auto n = static_cast<std::size_t>(PyTuple_GET_SIZE(fast.ptr()));
  std::vector<const char*> ptrs(n, nullptr);
  PyObject** items = n > 0 ? &PyTuple_GET_ITEM(fast.ptr(), 0) : nullptr;
  for (std::size_t i = 0; i < n; ++i) {
    PyObject* v = items[i];
    if (PyUnicode_Check(v)) {
      Py_ssize_t len = 0;
      const char* utf8 = PyUnicode_AsUTF8AndSize(v, &len);
      if (utf8 == nullptr) throw py::error_already_set();
      if (static_cast<std::size_t>(len) != std::strlen(utf8))
        throw_value_error(where + "[" + std::to_string(i) + "]: contains a NUL character");
      ptrs[i] = utf8;
    } else if (!missing_ok || !is_missing_scalar(v)) {
      throw_type_error(where + "[" + std::to_string(i) + "]: expected a string" + (missing_ok ? " or None" : "") +
                       ", got " + std::string(Py_TYPE(v)->tp_name));
    }
  }
  keep.owners.push_back(std::move(fast));
  return ptrs;
}

}  // namespace

leadkit::LeadBatch make_batch(const py::dict& data, BatchColumns& keep) {
  if (data.size() == 0) throw_value_error("data: has no columns");
  bool first = true;
  std::vector<std::pair<std::string, int>> plan;  // name, kind (0 num, 1 bool, 2 text, 3 codes)
  for (auto item : data) {
    const std::string name = py::str(item.first).cast<std::string>();
    py::handle col = item.second;
    std::size_t n = 0;
    int kind = 2;
    py::array arr;
    const bool is_array = py::isinstance<py::array>(col);
    if (!is_array && py::hasattr(col, "codes") && py::hasattr(col, "categories")) {
      // pandas.Categorical (or anything shaped like it): codes into
      // categories, -1 = missing; each category is looked up once.
      kind = 3;
      const py::array raw_codes = py::array::ensure(col.attr("codes"));
      if (!raw_codes || raw_codes.ndim() != 1 || (raw_codes.dtype().kind() != 'i' && raw_codes.dtype().kind() != 'u'))
        throw_type_error("data['" + name + "'].codes: expected a 1-D array of integers");
      if (raw_codes.dtype().itemsize() > 4 || (raw_codes.dtype().kind() == 'u' && raw_codes.dtype().itemsize() == 4)) {
        // Wider codes: every one must fit int32 (it does for any realistic category count).
        const py::object lo = raw_codes.attr("min")(), hi = raw_codes.attr("max")();
        if (raw_codes.size() > 0 && (lo.cast<long long>() < -1 || hi.cast<long long>() > std::numeric_limits<std::int32_t>::max()))
          throw_value_error("data['" + name + "'].codes: codes must lie in -1 .. 2^31 - 1");
      }
      keep.codes.emplace_back(py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>::ensure(raw_codes));
      n = static_cast<std::size_t>(raw_codes.shape(0));
      keep.category_ptrs.push_back(borrow_strings(col.attr("categories"), "data['" + name + "'].categories", false, keep));
    } else if (is_array) {
      arr = py::reinterpret_borrow<py::array>(col);
      if (arr.ndim() != 1)
        throw_value_error("data['" + name + "']: expected a 1-D column, got " + std::to_string(arr.ndim()) +
                          " dimension(s)");
      // PyArray_DESCR is never null for an array; the check tells GCC so.
      const py::dtype dt = arr.dtype();
      if (!dt) throw_type_error("data['" + name + "']: array without a dtype");
      const char k = dt.kind();
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
    } else if (kind == 2) {
      // Borrow each str's cached UTF-8 (no copy): the sequence is kept alive
      // in `keep` for the call, and with it every string it holds. numpy
      // fixed-width string arrays are first turned into Python objects.
      py::object seq_obj = is_array ? py::object(arr) : py::reinterpret_borrow<py::object>(col);
      if (is_array && arr.dtype().kind() != 'O') seq_obj = arr.attr("astype")("object");
      keep.text_ptrs.push_back(borrow_strings(seq_obj, "data['" + name + "']", true, keep));
    }
    plan.emplace_back(name, kind);
  }
  leadkit::LeadBatch batch(keep.rows);
  std::size_t ni = 0, bi = 0, ti = 0, ci = 0;
  for (const auto& [name, kind] : plan) {
    if (kind == 0) {
      batch.set_numeric(name, keep.numbers[ni++].data());
    } else if (kind == 1) {
      batch.set_booleans(name, keep.booleans[bi++].data());
    } else if (kind == 2) {
      batch.set_strings(name, keep.text_ptrs[ti++].data());
    } else {
      const auto& cats = keep.category_ptrs[ci];
      batch.set_codes(name, keep.codes[ci].data(), cats.data(), cats.size());
      ++ci;
    }
  }
  return batch;
}

// Raises `type` with the message "LK_ERR_X: ..." and the status on the
// instance (e.status, e.status_name) so code can branch without parsing text.
namespace {

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

}  // namespace

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

Span span_of(const Rows& r) {
  if (r.rows == 0) return {};
  return {r.data, r.data + (r.rows - 1) * r.stride + r.cols};
}

void check_output_array(const py::object& v, const py::dtype& dt, const std::string& where,
                        const std::vector<py::ssize_t>& shape, Span input) {
  if (!py::isinstance<py::array>(v)) throw_type_error(where + ": expected a numpy array, got " + type_name(v));
  const auto arr = py::reinterpret_borrow<py::array>(v);
  if (!arr.dtype().is(dt)) {
    const std::string want = py::str(static_cast<const py::handle&>(dt));
    throw_type_error(where + ": expected dtype " + want + ", got " + dtype_name(arr));
  }
  if (arr.ndim() != static_cast<py::ssize_t>(shape.size()) || !std::equal(shape.begin(), shape.end(), arr.shape())) {
    std::string want = "(";
    for (std::size_t i = 0; i < shape.size(); ++i) want += (i ? ", " : "") + std::to_string(shape[i]);
    want += shape.size() == 1 ? ",)" : ")";
    throw_value_error(where + ": expected shape " + want + ", got " + shape_of(arr));
  }
  if (!(arr.flags() & py::array::c_style)) throw_value_error(where + ": must be C-contiguous");
  if (!arr.writeable()) throw_value_error(where + ": is read-only");
  check_disjoint(arr, where, input);
}

void check_disjoint(const py::array& out, const std::string& where, Span input) {
  const auto* lo = static_cast<const char*>(out.data());
  if (input.lo != nullptr && lo < input.hi && input.lo < lo + out.nbytes())
    throw_value_error(where + ": overlaps " + input.name + "; the outputs need memory of their own");
}

}  // namespace leadkit_py
