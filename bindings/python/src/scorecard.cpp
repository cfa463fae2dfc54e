// leadkit._core.Scorecard: raw records or feature rows in, a dict of numpy
// arrays out (the package's leadkit.Scorecard turns it into a DataFrame).
#include <algorithm>
#include <cmath>
#include <iterator>
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

// One output array: the caller's (given[key], checked) or, when given is
// None, a new one; stored in d[key].
template <typename T>
T* output(py::dict& d, const py::object& given, const char* key, std::vector<py::ssize_t> shape, Span input) {
  const std::string where = std::string("out[\"") + key + "\"]";
  py::object mine = py::none();
  if (!given.is_none()) {
    const auto g = py::reinterpret_borrow<py::dict>(given);
    if (!g.contains(key))
      throw_value_error(where + ": missing; out= takes the dict a call with as_frame=False returned");
    mine = g[key];
  }
  py::array_t<T> a = output_array<T>(mine, where, shape, input);
  d[key] = a;
  return a.mutable_data();
}

// Every output by name, in result order, and whether a scorecard can give
// it (reasons come with k > 0 instead).
struct OutputKind {
  const char* name;
  bool (*available)(const leadkit::Scorecard&);
};
constexpr OutputKind kOutputs[] = {
    {"fit", [](const leadkit::Scorecard&) { return true; }},
    {"total", [](const leadkit::Scorecard&) { return true; }},
    {"probability", [](const leadkit::Scorecard& sc) { return sc.has_logistic(); }},
    {"stage", [](const leadkit::Scorecard& sc) { return sc.has_grader(); }},
    {"grade", [](const leadkit::Scorecard& sc) { return sc.has_grader() && !sc.grader().grades().empty(); }},
    {"persona", [](const leadkit::Scorecard& sc) { return sc.has_personas(); }},
    {"persona_similarity", [](const leadkit::Scorecard& sc) { return sc.has_personas(); }},
};

// The outputs asked for: every one the scorecard has when `outputs` is None,
// else the names it lists, each checked.
std::vector<std::string> wanted_outputs(const leadkit::Scorecard& sc, const py::object& outputs) {
  std::vector<std::string> have;
  for (const OutputKind& o : kOutputs)
    if (o.available(sc)) have.emplace_back(o.name);
  if (outputs.is_none()) return have;
  std::string choices;
  for (const std::string& h : have) choices += (choices.empty() ? "" : ", ") + h;
  if (py::isinstance<py::str>(outputs) || !py::isinstance<py::iterable>(outputs))
    throw_type_error("outputs: expected None or a list of output names (" + choices + "), got " +
                     type_name(outputs));
  std::vector<std::string> want;
  for (const py::handle item : outputs) {
    if (!py::isinstance<py::str>(item))
      throw_type_error("outputs: expected output names as strings, got " + type_name(item));
    const std::string name = item.cast<std::string>();
    if (std::find(have.begin(), have.end(), name) == have.end()) {
      const bool known = std::any_of(std::begin(kOutputs), std::end(kOutputs),
                                     [&name](const OutputKind& o) { return name == o.name; });
      throw_value_error("outputs: " + (known ? "this scorecard has no '" + name + "' output"
                                             : "unknown output '" + name + "'") +
                        "; choose from " + choices + " (reasons come with k > 0)");
    }
    if (std::find(want.begin(), want.end(), name) == want.end()) want.push_back(name);
  }
  if (want.empty()) throw_value_error("outputs: asks for nothing; name at least one of " + choices);
  return want;
}

// Points `out` at the output arrays (the caller's, or new ones), with the
// GIL held, and returns them as a dict.
py::dict make_outputs(const leadkit::Scorecard& sc, std::size_t n, long long k, const py::object& outputs,
                      const py::object& given, Span input, lk_scorecard_output& out) {
  if (k < 0) throw_value_error("k: must be >= 0 (0 = no reasons), got " + std::to_string(k));
  if (!given.is_none() && !py::isinstance<py::dict>(given))
    throw_type_error("out: expected None or the dict of arrays a call with as_frame=False returned, got " +
                     type_name(given));
  const std::vector<std::string> want = wanted_outputs(sc, outputs);
  auto wanted = [&want](const char* name) { return std::find(want.begin(), want.end(), name) != want.end(); };
  leadkit::detail::check(lk_scorecard_output_init(&out));
  const auto N = static_cast<py::ssize_t>(n);
  const auto K = static_cast<py::ssize_t>(k);
  const auto n_fit = static_cast<py::ssize_t>(sc.fit_score_names().size());
  py::dict d;
  if (wanted("fit")) out.fit = output<float>(d, given, "fit", {N, n_fit}, input);
  if (wanted("total")) out.total = output<float>(d, given, "total", {N}, input);
  if (wanted("probability")) out.probability = output<float>(d, given, "probability", {N}, input);
  if (wanted("stage")) out.stage = output<std::int32_t>(d, given, "stage", {N}, input);
  if (wanted("grade")) out.grade = output<std::int32_t>(d, given, "grade", {N}, input);
  if (wanted("persona")) out.persona = output<std::int32_t>(d, given, "persona", {N}, input);
  if (wanted("persona_similarity"))
    out.persona_similarity = output<float>(d, given, "persona_similarity", {N}, input);
  if (k > 0) {
    out.n_reasons = static_cast<std::size_t>(k);
    out.reason_rules = output<std::int32_t>(d, given, "reason_rules", {N, K}, input);
    out.reason_points = output<float>(d, given, "reason_points", {N, K}, input);
  }
  return d;
}

// Validates n_threads and engagement, allocates (or checks the caller's)
// outputs, then runs score(out, engagement) without the GIL.
template <typename Score>
py::dict run_scoring(const leadkit::Scorecard& sc, std::size_t n, long long k, const py::object& engagement,
                     long long n_threads, const py::object& outputs, const py::object& given, Span input,
                     Score&& score) {
  const leadkit::ExecOptions e = exec(n_threads);
  const py::object eng = engagement_of(engagement, n);
  const float* ep = eng.is_none() ? nullptr : eng.cast<F32>().data();
  lk_scorecard_output out;
  py::dict result = make_outputs(sc, n, k, outputs, given, input, out);
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
             long long n_threads, const py::object& outputs, const py::object& given) {
            BatchColumns keep;
            const leadkit::LeadBatch batch = make_batch(data, keep);
            return run_scoring(self, keep.rows, k, engagement, n_threads, outputs, given, Span{},
                               [&](lk_scorecard_output& out, const float* ep, const leadkit::ExecOptions& e) {
                                 self.score(batch, out, ep, e);
                               });
          },
          py::arg("data"), py::arg("k") = 3, py::arg("engagement") = py::none(), py::arg("n_threads") = 0,
          py::arg("outputs") = py::none(), py::arg("out") = py::none())
      .def(
          "score_features",
          [](const leadkit::Scorecard& self, const py::handle& X, long long k, const py::object& engagement,
             long long n_threads, const py::object& outputs, const py::object& given) {
            const Rows r = as_rows(X, "X");
            return run_scoring(self, r.rows, k, engagement, n_threads, outputs, given, span_of(r),
                               [&](lk_scorecard_output& out, const float* ep, const leadkit::ExecOptions& e) {
                                 self.score_features(r.data, r.rows, r.cols, out, ep, e, r.stride);
                               });
          },
          py::arg("X"), py::arg("k") = 3, py::arg("engagement") = py::none(), py::arg("n_threads") = 0,
          py::arg("outputs") = py::none(), py::arg("out") = py::none());
}

}  // namespace leadkit_py
