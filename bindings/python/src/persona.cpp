// leadkit._core: persona sets, matching, k-means (see leadkit/personas.py).
#include <cstdint>
#include <string>
#include <vector>

#include "common.hpp"

namespace py = pybind11;

namespace leadkit_py {

namespace {

leadkit::PersonaMetric metric_of(const std::string& m) {
  if (m == "cosine") return leadkit::PersonaMetric::cosine;
  if (m == "dot") return leadkit::PersonaMetric::dot;
  if (m == "euclidean") return leadkit::PersonaMetric::euclidean;
  throw_value_error("metric: '" + m + "' is not a metric; use 'cosine', 'dot' or 'euclidean'");
}

const char* metric_name(leadkit::PersonaMetric m) {
  switch (m) {
    case leadkit::PersonaMetric::cosine:
      return "cosine";
    case leadkit::PersonaMetric::dot:
      return "dot";
    case leadkit::PersonaMetric::euclidean:
      return "euclidean";
  }
  return "unknown";
}

using F32 = py::array_t<float, py::array::c_style | py::array::forcecast>;

F32 matrix_arg(const py::handle& obj, const char* name) {
  F32 a = F32::ensure(obj);
  if (!a || a.ndim() != 2)
    throw_value_error(std::string(name) + ": expected a 2-D array of numbers");
  return a;
}

py::array_t<float> as_array(const std::vector<float>& v, std::size_t rows, std::size_t cols) {
  py::array_t<float> out({static_cast<py::ssize_t>(rows), static_cast<py::ssize_t>(cols)});
  std::copy(v.begin(), v.end(), out.mutable_data());
  return out;
}

}  // namespace

void bind_personas(py::module_& m) {
  py::class_<leadkit::PersonaSet>(m, "PersonaSet", "Buyer personas (see leadkit.PersonaSet).")
      .def(py::init([](const leadkit::Schema& schema, const std::string& json) {
             return leadkit::PersonaSet::from_json(schema, json);
           }),
           py::arg("schema"), py::arg("json"))
      .def_static(
          "from_profiles",
          [](const std::vector<std::string>& names, const py::handle& profiles,
             const std::string& metric, float min_similarity, const py::object& weights) {
            const F32 P = matrix_arg(profiles, "profiles");
            const auto K = static_cast<std::size_t>(P.shape(0)),
                       D = static_cast<std::size_t>(P.shape(1));
            if (K != names.size())
              throw_value_error("profiles: has " + std::to_string(K) + " rows but " +
                                std::to_string(names.size()) + " names are given");
            std::vector<float> w;
            if (!weights.is_none()) {
              const F32 W = matrix_arg(weights, "weights");
              if (W.shape(0) != P.shape(0) || W.shape(1) != P.shape(1))
                throw_value_error("weights: must have the shape of profiles");
              w.assign(W.data(), W.data() + K * D);
            }
            return leadkit::PersonaSet::from_profiles(
                names, std::vector<float>(P.data(), P.data() + K * D), D, metric_of(metric),
                min_similarity, w);
          },
          py::arg("names"), py::arg("profiles"), py::arg("metric") = "cosine",
          py::arg("min_similarity") = 0.0f, py::arg("weights") = py::none())
      .def_property_readonly("names", &leadkit::PersonaSet::names)
      .def_property_readonly("n_features", &leadkit::PersonaSet::n_features)
      .def_property_readonly("n_personas", &leadkit::PersonaSet::size)
      .def_property_readonly("metric",
                             [](const leadkit::PersonaSet& s) { return metric_name(s.metric()); })
      .def_property_readonly("min_similarity", &leadkit::PersonaSet::min_similarity)
      .def_property_readonly("profiles",
                             [](const leadkit::PersonaSet& s) {
                               return as_array(s.profiles(), s.size(), s.n_features());
                             })
      .def_property_readonly("weights",
                             [](const leadkit::PersonaSet& s) {
                               return as_array(s.weights(), s.size(), s.n_features());
                             })
      .def("to_json", &leadkit::PersonaSet::to_json)
      .def(
          "match",
          [](const leadkit::PersonaSet& self, const py::handle& X, long long k, long long n_threads,
             const py::object& out) {
            const Rows r = as_rows(X, "X");
            const leadkit::ExecOptions e = exec(n_threads);
            if (k < 1) throw_value_error("k: must be at least 1, got " + std::to_string(k));
            const auto n = static_cast<py::ssize_t>(r.rows), kk = static_cast<py::ssize_t>(k);
            // out: the five arrays an earlier call returned, filled in place.
            py::object given[5] = {py::none(), py::none(), py::none(), py::none(), py::none()};
            if (!out.is_none()) {
              if (!py::isinstance<py::tuple>(out) && !py::isinstance<py::list>(out))
                throw_type_error("out: expected None or the tuple of 5 arrays match() returned, got " +
                                 type_name(out));
              const auto seq = py::reinterpret_borrow<py::sequence>(out);
              if (seq.size() != 5)
                throw_value_error("out: expected the 5 arrays match() returns, got " + std::to_string(seq.size()));
              for (std::size_t i = 0; i < 5; ++i) given[i] = seq[i];
            }
            const Span in = span_of(r);
            py::array_t<std::int32_t> best = output_array<std::int32_t>(given[0], "out[0] (best)", {n}, in);
            py::array_t<float> sim = output_array<float>(given[1], "out[1] (similarity)", {n}, in);
            py::array_t<float> margin = output_array<float>(given[2], "out[2] (margin)", {n}, in);
            py::array_t<std::int32_t> topi = output_array<std::int32_t>(given[3], "out[3] (top_index)", {n, kk}, in);
            py::array_t<float> tops = output_array<float>(given[4], "out[4] (top_score)", {n, kk}, in);
            std::int32_t* bo = best.mutable_data();
            std::int32_t* io = topi.mutable_data();
            float* so = sim.mutable_data();
            float* mo = margin.mutable_data();
            float* to = tops.mutable_data();
            {
              py::gil_scoped_release release;
              const lk_exec_options o = e.to_c();
              leadkit::detail::check(lk_persona_match(self.handle(), r.data, r.rows, r.cols,
                                                      r.stride, static_cast<std::size_t>(k), &o, bo,
                                                      so, mo, io, to));
            }
            return py::make_tuple(best, sim, margin, topi, tops);
          },
          py::arg("X"), py::arg("k") = 1, py::arg("n_threads") = 0, py::arg("out") = py::none())
      .def(
          "similarities",
          [](const leadkit::PersonaSet& self, const py::handle& X, long long n_threads) {
            const Rows r = as_rows(X, "X");
            const leadkit::ExecOptions e = exec(n_threads);
            py::array_t<float> out(
                {static_cast<py::ssize_t>(r.rows), static_cast<py::ssize_t>(self.size())});
            float* o = out.mutable_data();
            {
              py::gil_scoped_release release;
              const lk_exec_options c = e.to_c();
              leadkit::detail::check(
                  lk_persona_similarities(self.handle(), r.data, r.rows, r.cols, r.stride, &c, o));
            }
            return out;
          },
          py::arg("X"), py::arg("n_threads") = 0);

  m.def(
      "kmeans",
      [](const py::handle& X, long long k, std::uint64_t seed, long long n_init, long long max_iter,
         double tol, long long batch_size, const py::object& init, long long n_threads) {
        const Rows r = as_rows(X, "X");
        const leadkit::ExecOptions e = exec(n_threads);
        for (auto [v, name] : {std::pair<long long, const char*>{k, "k"},
                               {n_init, "n_init"},
                               {max_iter, "max_iter"}})
          if (v < 1)
            throw_value_error(std::string(name) + ": must be at least 1, got " + std::to_string(v));
        if (batch_size < 0) throw_value_error("batch_size: must be >= 0 (0 = full batch)");
        F32 I;
        if (!init.is_none()) {
          I = matrix_arg(init, "init");
          if (I.shape(0) != k || static_cast<std::size_t>(I.shape(1)) != r.cols)
            throw_value_error("init: expected shape (" + std::to_string(k) + ", " +
                              std::to_string(r.cols) + ")");
        }
        lk_persona_kmeans_params p;
        leadkit::detail::check(lk_persona_kmeans_params_init(&p));
        p.k = static_cast<std::size_t>(k);
        p.seed = seed;
        p.n_init = static_cast<std::size_t>(n_init);
        p.max_iter = static_cast<std::size_t>(max_iter);
        p.tol = tol;
        p.batch_size = static_cast<std::size_t>(batch_size);
        p.init = init.is_none() ? nullptr : I.data();
        py::array_t<float> centers({static_cast<py::ssize_t>(k), static_cast<py::ssize_t>(r.cols)});
        py::array_t<std::int32_t> labels(static_cast<py::ssize_t>(r.rows));
        double inertia = 0.0;
        std::size_t n_iter = 0;
        float* co = centers.mutable_data();
        std::int32_t* lo = labels.mutable_data();
        {
          py::gil_scoped_release release;
          const lk_exec_options o = e.to_c();
          leadkit::detail::check(lk_persona_kmeans(r.data, r.rows, r.cols, r.stride, &p, &o, co, lo,
                                                   &inertia, &n_iter));
        }
        return py::make_tuple(centers, labels, inertia, n_iter);
      },
      py::arg("X"), py::arg("k"), py::arg("seed") = 0, py::arg("n_init") = 1,
      py::arg("max_iter") = 300, py::arg("tol") = 1e-4, py::arg("batch_size") = 0,
      py::arg("init") = py::none(), py::arg("n_threads") = 0);

  m.def(
      "silhouette",
      [](const py::handle& X, const py::handle& labels, long long k, long long sample_size,
         std::uint64_t seed, long long n_threads) {
        const Rows r = as_rows(X, "X");
        const leadkit::ExecOptions e = exec(n_threads);
        using I32 = py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>;
        const I32 l = I32::ensure(labels);
        if (!l || l.ndim() != 1 || static_cast<std::size_t>(l.shape(0)) != r.rows)
          throw_value_error("labels: expected a 1-D array with one label per lead");
        if (k < 1 || sample_size < 0) throw_value_error("k: must be >= 1 and sample_size >= 0");
        double s = 0.0;
        {
          py::gil_scoped_release release;
          const lk_exec_options o = e.to_c();
          leadkit::detail::check(lk_persona_silhouette(
              r.data, r.rows, r.cols, r.stride, l.data(), static_cast<std::size_t>(k),
              static_cast<std::size_t>(sample_size), seed, &o, &s));
        }
        return s;
      },
      py::arg("X"), py::arg("labels"), py::arg("k"), py::arg("sample_size") = 2000,
      py::arg("seed") = 0, py::arg("n_threads") = 0);
}

}  // namespace leadkit_py
