// leadkit._core: engagement models, streaming states and the account roll-up.
// Event arrays must already have their exact dtypes (int32 leads and types,
// float64 times, float32 values), 1-D and contiguous: the package layer
// (leadkit/engagement.py) converts names, pandas columns and datetimes once.
#include <cstdint>
#include <string>
#include <vector>

#include "common.hpp"

namespace py = pybind11;
using namespace leadkit_py;

namespace {

template <typename T>
const T* column(const py::handle& obj, const char* name, const char* dtype, py::ssize_t n,
                py::list& keep) {
  if (!py::isinstance<py::array_t<T>>(obj))
    throw_type_error(std::string(name) + ": expected a numpy array of " + dtype + ", got " + type_name(obj));
  py::array a = py::reinterpret_borrow<py::array>(obj);
  if (!py::isinstance<py::array_t<T, py::array::c_style>>(a) || a.ndim() != 1 ||
      !a.dtype().is(py::dtype::of<T>()))
    throw_type_error(std::string(name) + ": expected a 1-D contiguous " + dtype + " array, got " +
                     dtype_name(a) + " of shape " + shape_of(a));
  if (n >= 0 && a.shape(0) != n)
    throw_value_error(std::string(name) + ": has " + std::to_string(a.shape(0)) +
                      " events but lead has " + std::to_string(n));
  keep.append(a);
  return static_cast<const T*>(a.data());
}

struct EventArgs {
  py::list keep;                    // the event arrays, as named in `names`
  std::vector<const char*> names;
  leadkit::Events ev;
};

EventArgs events(const py::handle& lead, const py::handle& type, const py::handle& time,
                 const py::handle& value) {
  EventArgs e;
  e.ev.lead = column<std::int32_t>(lead, "lead", "int32", -1, e.keep);
  const py::ssize_t n = py::reinterpret_borrow<py::array>(lead).shape(0);
  e.ev.type = column<std::int32_t>(type, "type", "int32", n, e.keep);
  e.ev.time = column<double>(time, "time", "float64", n, e.keep);
  e.ev.value = value.is_none() ? nullptr : column<float>(value, "value", "float32", n, e.keep);
  e.names = {"lead", "type", "time", "value"};
  e.names.resize(py::len(e.keep));
  e.ev.n = static_cast<std::size_t>(n);
  return e;
}

py::object scores_result(py::array_t<float>& total, py::array_t<float>& per, bool per_type) {
  if (per_type) return py::make_tuple(total, per);
  return std::move(total);
}

// Where scores go: new arrays, or the caller's `out` (what an earlier call
// with the same n_leads and per_type returned: the totals array, or the
// (total, per_type) tuple), checked before anything is written. An output
// may not share memory with an event array.
struct ScoresOut {
  py::array_t<float> total, per;
  ScoresOut(const py::object& out, std::size_t n, std::size_t T, bool per_type, const EventArgs* inputs) {
    const auto N = static_cast<py::ssize_t>(n);
    py::object given_total = py::none(), given_per = py::none();
    if (!out.is_none()) {
      if (per_type) {
        if (!py::isinstance<py::tuple>(out) && !py::isinstance<py::list>(out))
          throw_type_error("out: with per_type=True, expected the (total, per_type) tuple an earlier call returned, got " +
                           type_name(out));
        const auto seq = py::reinterpret_borrow<py::sequence>(out);
        if (seq.size() != 2)
          throw_value_error("out: expected the 2 arrays (total, per_type), got " + std::to_string(seq.size()));
        given_total = seq[0];
        given_per = seq[1];
      } else {
        given_total = out;
      }
    }
    const char* where_total = per_type ? "out[0] (total)" : "out";
    total = output_array<float>(given_total, where_total, {N}, Span{});
    per = per_type ? output_array<float>(given_per, "out[1] (per_type)", {N, static_cast<py::ssize_t>(T)}, Span{})
                   : py::array_t<float>(0);
    if (out.is_none()) return;
    for (std::size_t i = 0; inputs != nullptr && i < inputs->names.size(); ++i) {
      const auto a = py::reinterpret_borrow<py::array>(inputs->keep[i]);
      const Span span{a.data(), static_cast<const char*>(a.data()) + a.nbytes(), inputs->names[i]};
      check_disjoint(total, where_total, span);
      if (per_type) check_disjoint(per, "out[1] (per_type)", span);
    }
    if (per_type && total.nbytes() > 0 && per.nbytes() > 0) {
      const auto* t0 = reinterpret_cast<const char*>(total.data());
      const auto* p0 = reinterpret_cast<const char*>(per.data());
      if (t0 < p0 + per.nbytes() && p0 < t0 + total.nbytes())
        throw_value_error("out: total and per_type overlap; each needs memory of its own");
    }
  }
};

}  // namespace

namespace leadkit_py {

void bind_engagement(py::module_& m) {
  py::class_<leadkit::EngagementModel>(m, "EngagementModel", "Engagement scoring (see leadkit.EngagementModel).")
      .def(py::init([](const std::string& json) { return leadkit::EngagementModel::from_json(json); }),
           py::arg("json"))
      .def_property_readonly("type_names", &leadkit::EngagementModel::type_names)
      .def_property_readonly("n_types", &leadkit::EngagementModel::n_types)
      .def("type_index", &leadkit::EngagementModel::type_index, py::arg("name"))
      .def("to_json", &leadkit::EngagementModel::to_json)
      .def(
          "score",
          [](const leadkit::EngagementModel& self, const py::handle& lead, const py::handle& type,
             const py::handle& time, const py::handle& value, double as_of, long long n_leads,
             bool per_type, long long n_threads, const py::object& out) {
            EventArgs a = events(lead, type, time, value);
            const leadkit::ExecOptions e = exec(n_threads);
            if (n_leads < 1) throw_value_error("n_leads: must be at least 1, got " + std::to_string(n_leads));
            const auto n = static_cast<std::size_t>(n_leads);
            ScoresOut o(out, n, self.n_types(), per_type, &a);
            float* to = o.total.mutable_data();
            float* po = per_type ? o.per.mutable_data() : nullptr;
            {
              py::gil_scoped_release release;
              self.score(a.ev, n, as_of, to, po, e);
            }
            return scores_result(o.total, o.per, per_type);
          },
          py::arg("lead"), py::arg("type"), py::arg("time"), py::arg("value"), py::arg("as_of"),
          py::arg("n_leads"), py::arg("per_type") = false, py::arg("n_threads") = 0, py::arg("out") = py::none());

  py::class_<leadkit::EngagementState>(m, "EngagementState", "Streaming engagement (see leadkit.EngagementState).")
      .def(py::init([](const leadkit::EngagementModel& model, long long n_leads) {
             if (n_leads < 1) throw_value_error("n_leads: must be at least 1, got " + std::to_string(n_leads));
             return leadkit::EngagementState(model, static_cast<std::size_t>(n_leads));
           }),
           py::arg("model"), py::arg("n_leads"))
      .def_static(
          "from_bytes",
          [](const py::bytes& b) {
            const std::string s = b;
            return leadkit::EngagementState::from_bytes(s);
          },
          py::arg("data"))
      .def("to_bytes", [](const leadkit::EngagementState& self) { return py::bytes(self.to_bytes()); })
      .def_property_readonly("now", &leadkit::EngagementState::now)
      .def_property_readonly("n_leads", &leadkit::EngagementState::n_leads)
      .def_property_readonly("model", &leadkit::EngagementState::model)
      .def(
          "apply",
          [](leadkit::EngagementState& self, const py::handle& lead, const py::handle& type,
             const py::handle& time, const py::handle& value, double as_of) {
            EventArgs a = events(lead, type, time, value);
            py::gil_scoped_release release;
            self.apply(a.ev, as_of);
          },
          py::arg("lead"), py::arg("type"), py::arg("time"), py::arg("value"), py::arg("as_of"))
      .def(
          "scores",
          [](const leadkit::EngagementState& self, double as_of, bool per_type, long long n_threads,
             const py::object& out) {
            const leadkit::ExecOptions e = exec(n_threads);
            const std::size_t n = self.n_leads();
            ScoresOut o(out, n, self.model().n_types(), per_type, nullptr);
            float* to = o.total.mutable_data();
            float* po = per_type ? o.per.mutable_data() : nullptr;
            {
              py::gil_scoped_release release;
              self.scores(as_of, to, po, e);
            }
            return scores_result(o.total, o.per, per_type);
          },
          py::arg("as_of"), py::arg("per_type") = false, py::arg("n_threads") = 0, py::arg("out") = py::none());

  m.def(
      "rollup",
      [](const py::handle& values, const py::handle& account, long long n_accounts, float threshold) {
        py::list keep;
        const float* v = column<float>(values, "values", "float32", -1, keep);
        const py::ssize_t n = py::reinterpret_borrow<py::array>(values).shape(0);
        const std::int32_t* a = column<std::int32_t>(account, "account", "int32", n, keep);
        if (n_accounts < 1) throw_value_error("n_accounts: must be at least 1, got " + std::to_string(n_accounts));
        const auto A = static_cast<std::size_t>(n_accounts);
        py::array_t<float> sum = new_vector(A), mx = new_vector(A), mean = new_vector(A);
        py::array_t<std::int64_t> count(static_cast<py::ssize_t>(A)), leads(static_cast<py::ssize_t>(A));
        float* so = sum.mutable_data();
        float* mo = mx.mutable_data();
        float* eo = mean.mutable_data();
        std::int64_t* co = count.mutable_data();
        std::int64_t* lo = leads.mutable_data();
        {
          py::gil_scoped_release release;
          leadkit::detail::check(lk_engagement_rollup(v, a, static_cast<std::size_t>(n), A, threshold,
                                                      so, mo, eo, co, lo));
        }
        return py::make_tuple(sum, mx, mean, count, leads);
      },
      py::arg("values"), py::arg("account"), py::arg("n_accounts"), py::arg("threshold") = 0.0f);
}

}  // namespace leadkit_py
