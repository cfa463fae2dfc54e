// Shared helpers of the leadkit._core translation units: argument checks
// that name the argument, numpy views without copies, the exception types.
// Each concept binds itself in its own file (bind_* below); module.cpp holds
// the module definition.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "leadkit/leadkit.hpp"

namespace leadkit_py {

namespace py = pybind11;

// Exception classes, created at import (see PYBIND11_MODULE in module.cpp).
extern PyObject* g_leadkit_error;        // LeadkitError(RuntimeError)
extern PyObject* g_invalid_input_error;  // InvalidInputError(LeadkitError, ValueError)

[[noreturn]] void throw_type_error(const std::string& m);
// A bad value caught here is reported exactly like one the library catches
// (InvalidInputError, status LK_ERR_INVALID_ARGUMENT).
[[noreturn]] void throw_value_error(const std::string& m);

std::string dtype_name(const py::array& a);
std::string shape_of(const py::array& a);
std::string type_name(const py::handle& h);

// A validated, non-owning view of a 2-D float32 array with contiguous rows.
struct Rows {
  const float* data;
  std::size_t rows, cols, stride;
};

// A 2-D float32 array with contiguous rows, never copied; anything else is
// refused with advice on how to convert it.
Rows as_rows(const py::handle& obj, const char* name);

// The bytes an input occupies: output arrays must not overlap it.
struct Span {
  const void* lo = nullptr;
  const void* hi = nullptr;
  const char* name = "X";  // the input, as errors name it
};
Span span_of(const Rows& r);

// Checks a caller's output array `v` (named `where` in errors): a writeable,
// C-contiguous numpy array of dtype dt with exactly `shape`, not overlapping
// `input`.
void check_output_array(const py::object& v, const py::dtype& dt, const std::string& where,
                        const std::vector<py::ssize_t>& shape, Span input);

// The overlap part of check_output_array: `out` (named `where`) must not
// share a byte with `input`.
void check_disjoint(const py::array& out, const std::string& where, Span input);

// An output array: the caller's `given` (checked as above) or, when given is
// None, a new one.
template <typename T>
py::array_t<T> output_array(const py::object& given, const std::string& where, const std::vector<py::ssize_t>& shape,
                            Span input) {
  if (given.is_none()) return py::array_t<T>(shape);
  check_output_array(given, py::dtype::of<T>(), where, shape, input);
  return py::reinterpret_borrow<py::array_t<T>>(given);
}

// n_threads validated (0 = all cores).
leadkit::ExecOptions exec(long long n_threads);

// A small 1-D real sequence copied to floats (model weights).
std::vector<float> as_weights(const py::handle& weights);

py::array_t<float> new_vector(std::size_t n);

// Columns of one call, converted to what the C API takes and kept alive for
// the duration of the call.
struct BatchColumns {
  std::vector<py::array_t<double, py::array::c_style | py::array::forcecast>> numbers;
  std::vector<py::array_t<std::int8_t, py::array::c_style | py::array::forcecast>> booleans;
  std::vector<py::object> owners;  // sequences whose strings are borrowed
  std::vector<std::vector<const char*>> text_ptrs;
  std::vector<py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>> codes;
  std::vector<std::vector<const char*>> category_ptrs;  // borrowed like text_ptrs
  std::size_t rows = 0;
};

bool is_missing_scalar(const py::handle& v);

// A dict of columns (numpy arrays, lists, or pandas.Categorical: anything
// with .codes and .categories) as a LeadBatch borrowing from `keep`, which
// must outlive the batch.
leadkit::LeadBatch make_batch(const py::dict& data, BatchColumns& keep);

// Sets the Python error for a leadkit::Error (InvalidInputError for bad input).
void translate(const leadkit::Error& e);

// Each concept's classes, bound in their own translation unit.
void bind_scorecard(py::module_& m);
void bind_train(py::module_& m);
void bind_engagement(py::module_& m);
void bind_personas(py::module_& m);

}  // namespace leadkit_py
