// leadkit._core.Scorecard: raw records or feature rows in, a dict of numpy
// arrays out (the package's leadkit.Scorecard turns it into a DataFrame).
#include <cmath>
#include <string>
#include <vector>

#include "common.hpp"

namespace leadkit_py {

namespace {

using F32 = py::array_t<float, py::array::c_style | py::array::forcecast>;

// The engagement column as float32 (n values; the library checks them), or
// None. A default array_t is an empty array, not a null one: callers test
// engagement.is_none().
py::object engagement_of(const py::object& engagement, std::size_t n) {
  if (engagement.is_none()) return py::none();
  F32 e = F32::ensure(engagement);
  if (!e) throw_type_error("engagement: expected a 1-D array of numbers, got " + type_name(engagement));
  if (e.ndim() != 1 || static_cast<std::size_t>(e.shape(0)) != n)
    throw_value_error("engagement: expected shape (" + std::to_string(n) + ",), got " + shape_of(e));
  return e;
}

// Allocates the outputs (with the GIL), points `out` at them, returns them.
py::dict make_outputs(const leadkit::Scorecard& sc, std::size_t n, long long k, lk_scorecard_output& out) {
  if (k < 0) throw_value_error("k: must be >= 0 (0 = no reasons), got " + std::to_string(k));
  leadkit::detail::check(lk_scorecard_output_init(&out));
  const auto N = static_cast<py::ssize_t>(n);
  const auto K = static_cast<py::ssize_t>(k);
  const auto n_fit = static_cast<py::ssize_t>(sc.fit_score_names().size());
  py::dict d;
  py::array_t<float> fit({N, n_fit}), total(N);
  out.fit = fit.mutable_data();
  out.total = total.mutable_data();
  d["fit"] = fit;
  d["total"] = total;
  if (sc.has_logistic()) {
    py::array_t<float> p(N);
    out.probability = p.mutable_data();
    d["probability"] = p;
  }
  if (sc.has_grader()) {
    py::array_t<std::int32_t> stage(N);
    out.stage = stage.mutable_data();
    d["stage"] = stage;
    if (!sc.grader().grades().empty()) {
      py::array_t<std::int32_t> grade(N);
      out.grade = grade.mutable_data();
      d["grade"] = grade;
    }
  }
  if (sc.has_personas()) {
    py::array_t<std::int32_t> persona(N);
    py::array_t<float> similarity(N);
    out.persona = persona.mutable_data();
    out.persona_similarity = similarity.mutable_data();
    d["persona"] = persona;
    d["persona_similarity"] = similarity;
  }
  if (k > 0) {
    py::array_t<std::int32_t> rules({N, K});
    py::array_t<float> points({N, K});
    out.n_reasons = static_cast<std::size_t>(k);
    out.reason_rules = rules.mutable_data();
    out.reason_points = points.mutable_data();
    d["reason_rules"] = rules;
    d["reason_points"] = points;
  }
  return d;
}

// Validates n_threads and engagement, allocates the outputs, then runs
// score(out, engagement) without the GIL.
template <typename Score>
py::dict run_scoring(const leadkit::Scorecard& sc, std::size_t n, long long k, const py::object& engagement,
                     long long n_threads, Score&& score) {
  const leadkit::ExecOptions e = exec(n_threads);
  const py::object eng = engagement_of(engagement, n);
  const float* ep = eng.is_none() ? nullptr : eng.cast<F32>().data();
  lk_scorecard_output out;
  py::dict result = make_outputs(sc, n, k, out);
  {
    py::gil_scoped_release release;
    score(out, ep, e);
  }
  return result;
}

}  // namespace

void bind_scorecard(py::module_& m) {
  py::class_<leadkit::Scorecard>(m, "Scorecard", "The whole model in one object (see leadkit.Scorecard).")
      .def(py::init([](const std::string& json) { return leadkit::Scorecard::from_json(json); }), py::arg("json"))
      .def_property_readonly("name", &leadkit::Scorecard::name)
      .def_property_readonly("n_features", &leadkit::Scorecard::n_features)
      .def_property_readonly("fit_score_names", &leadkit::Scorecard::fit_score_names)
      .def_property_readonly("primary", &leadkit::Scorecard::primary)
      .def_property_readonly("rule_names", &leadkit::Scorecard::rule_names)
      .def_property_readonly("has_logistic", &leadkit::Scorecard::has_logistic)
      .def_property_readonly("has_grader", &leadkit::Scorecard::has_grader)
      .def_property_readonly("schema", &leadkit::Scorecard::schema)
      .def_property_readonly("grader", [](const leadkit::Scorecard& self) -> py::object {
        if (!self.has_grader()) return py::none();
        return py::cast(self.grader());
      })
      .def_property_readonly("personas", [](const leadkit::Scorecard& self) -> py::object {
        if (!self.has_personas()) return py::none();
        return py::cast(self.persona_set());
      })
      .def_property_readonly("engagement", [](const leadkit::Scorecard& self) -> py::object {
        if (!self.has_engagement()) return py::none();
        return py::cast(self.engagement_model());
      })
      .def("to_json", &leadkit::Scorecard::to_json)
      .def(
          "score",
          [](const leadkit::Scorecard& self, const py::dict& data, long long k, const py::object& engagement,
             long long n_threads) {
            BatchColumns keep;
            const leadkit::LeadBatch batch = make_batch(data, keep);
            return run_scoring(self, keep.rows, k, engagement, n_threads,
                               [&](lk_scorecard_output& out, const float* ep, const leadkit::ExecOptions& e) {
                                 self.score(batch, out, ep, e);
                               });
          },
          py::arg("data"), py::arg("k") = 3, py::arg("engagement") = py::none(), py::arg("n_threads") = 0)
      .def(
          "score_features",
          [](const leadkit::Scorecard& self, const py::handle& X, long long k, const py::object& engagement,
             long long n_threads) {
            const Rows r = as_rows(X, "X");
            return run_scoring(self, r.rows, k, engagement, n_threads,
                               [&](lk_scorecard_output& out, const float* ep, const leadkit::ExecOptions& e) {
                                 self.score_features(r.data, r.rows, r.cols, out, ep, e, r.stride);
                               });
          },
          py::arg("X"), py::arg("k") = 3, py::arg("engagement") = py::none(), py::arg("n_threads") = 0);
}

}  // namespace leadkit_py
