// leadkit C++ API: buyer personas (matching and discovery).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "leadkit/error.hpp"
#include "leadkit/exec_options.hpp"
#include "leadkit/logistic_model.hpp"
#include "leadkit/schema.hpp"

namespace leadkit {

enum class PersonaMetric {
  cosine = LK_PERSONA_COSINE,
  dot = LK_PERSONA_DOT,
  euclidean = LK_PERSONA_EUCLIDEAN
};

// Named personas in a schema's feature space, a metric and a minimum
// similarity; see lk_persona_set_from_json in leadkit.h. Immutable; copyable
// (shared handle).
class PersonaSet {
 public:
  struct Match {
    std::vector<std::int32_t> best;        // n_rows, -1 = unmatched
    std::vector<float> similarity;         // n_rows
    std::vector<float> margin;             // n_rows
    std::vector<std::int32_t> topk_index;  // n_rows * k, best first
    std::vector<float> topk_score;         // n_rows * k
    std::size_t k = 0;
  };

  static PersonaSet from_json(const Schema& schema, const std::string& json) {
    lk_persona_set* s = nullptr;
    detail::check(lk_persona_set_from_json(schema.handle(), json.c_str(), &s));
    return PersonaSet(s);
  }
  // profiles: names.size() x n_features; weights empty (all 1) or the same size.
  static PersonaSet from_profiles(const std::vector<std::string>& names,
                                  const std::vector<float>& profiles, std::size_t n_features,
                                  PersonaMetric metric = PersonaMetric::cosine,
                                  float min_similarity = 0.0f,
                                  const std::vector<float>& weights = {}) {
    if (profiles.size() != names.size() * n_features ||
        (!weights.empty() && weights.size() != profiles.size()))
      throw Error(LK_ERR_DIMENSION_MISMATCH,
                  "profiles: expected names.size() x n_features values (and as many weights)");
    std::vector<const char*> c_names(names.size());
    for (std::size_t k = 0; k < names.size(); ++k) c_names[k] = names[k].c_str();
    lk_persona_set* s = nullptr;
    detail::check(
        lk_persona_set_from_profiles(profiles.data(), names.size(), n_features, c_names.data(),
                                     weights.empty() ? nullptr : weights.data(),
                                     static_cast<lk_persona_metric>(metric), min_similarity, &s));
    return PersonaSet(s);
  }

  std::size_t size() const {
    std::size_t n = 0;
    detail::check(lk_persona_set_n_personas(handle_.get(), &n));
    return n;
  }
  std::size_t n_features() const {
    std::size_t n = 0;
    detail::check(lk_persona_set_n_features(handle_.get(), &n));
    return n;
  }
  std::vector<std::string> names() const {
    const std::size_t n = size();
    std::vector<std::string> out(n);
    for (std::size_t i = 0; i < n; ++i)
      out[i] = detail::get_text([&](char* b, std::size_t c, std::size_t* len) {
        return lk_persona_set_name(handle_.get(), i, b, c, len);
      });
    return out;
  }
  PersonaMetric metric() const {
    lk_persona_metric m = LK_PERSONA_COSINE;
    detail::check(lk_persona_set_metric(handle_.get(), &m));
    return static_cast<PersonaMetric>(m);
  }
  float min_similarity() const {
    float v = 0.0f;
    detail::check(lk_persona_set_min_similarity(handle_.get(), &v));
    return v;
  }
  std::vector<float> profiles() const {
    std::vector<float> p(size() * n_features());
    detail::check(lk_persona_set_profiles(handle_.get(), p.data(), nullptr));
    return p;
  }
  std::vector<float> weights() const {
    std::vector<float> p(size() * n_features()), w(p.size());
    detail::check(lk_persona_set_profiles(handle_.get(), p.data(), w.data()));
    return w;
  }
  std::string to_json() const {
    return detail::get_text([&](char* b, std::size_t c, std::size_t* len) {
      return lk_persona_set_to_json(handle_.get(), b, c, len);
    });
  }

  // Best persona, similarity, margin and the top k per lead.
  Match match(const float* X, std::size_t n_rows, std::size_t n_cols, std::size_t k = 1,
              const ExecOptions& exec = {}, std::size_t row_stride = contiguous) const {
    Match m;
    m.k = k;
    m.best.resize(n_rows);
    m.similarity.resize(n_rows);
    m.margin.resize(n_rows);
    m.topk_index.resize(n_rows * k);
    m.topk_score.resize(n_rows * k);
    const lk_exec_options o = exec.to_c();
    detail::check(lk_persona_match(handle_.get(), X, n_rows, n_cols,
                                   row_stride == contiguous ? n_cols : row_stride, k, &o,
                                   m.best.data(), m.similarity.data(), m.margin.data(),
                                   m.topk_index.data(), m.topk_score.data()));
    return m;
  }
  // Every similarity, n_rows x size().
  std::vector<float> similarities(const float* X, std::size_t n_rows, std::size_t n_cols,
                                  const ExecOptions& exec = {}) const {
    std::vector<float> out(n_rows * size());
    const lk_exec_options o = exec.to_c();
    detail::check(
        lk_persona_similarities(handle_.get(), X, n_rows, n_cols, n_cols, &o, out.data()));
    return out;
  }

  const lk_persona_set* handle() const noexcept { return handle_.get(); }

 private:
  friend class Scorecard;  // hands out its persona set
  explicit PersonaSet(lk_persona_set* s) : handle_(s, lk_persona_set_free) {}
  std::shared_ptr<lk_persona_set> handle_;
};

// k-means persona discovery (see lk_persona_kmeans).
struct KMeans {
  std::size_t k = 8;
  std::uint64_t seed = 0;
  std::size_t n_init = 1;
  std::size_t max_iter = 300;
  double tol = 1e-4;
  std::size_t batch_size = 0;  // > 0: mini-batch

  struct Result {
    std::vector<float> centers;  // k x n_cols
    std::vector<std::int32_t> labels;
    double inertia = 0.0;
    std::size_t n_iter = 0;
  };

  Result fit(const float* X, std::size_t n_rows, std::size_t n_cols, const ExecOptions& exec = {},
             const float* init = nullptr) const {
    lk_persona_kmeans_params p;
    detail::check(lk_persona_kmeans_params_init(&p));
    p.k = k;
    p.seed = seed;
    p.n_init = n_init;
    p.max_iter = max_iter;
    p.tol = tol;
    p.batch_size = batch_size;
    p.init = init;
    Result r;
    r.centers.resize(k * n_cols);
    r.labels.resize(n_rows);
    const lk_exec_options o = exec.to_c();
    detail::check(lk_persona_kmeans(X, n_rows, n_cols, n_cols, &p, &o, r.centers.data(),
                                    r.labels.data(), &r.inertia, &r.n_iter));
    return r;
  }

  // Personas named "persona 0", "persona 1", ... from a fit's centres.
  static PersonaSet personas(const Result& r, std::size_t n_cols,
                             PersonaMetric metric = PersonaMetric::euclidean,
                             float min_similarity = 0.0f) {
    std::vector<std::string> names(r.centers.size() / n_cols);
    for (std::size_t i = 0; i < names.size(); ++i) names[i] = "persona " + std::to_string(i);
    return PersonaSet::from_profiles(names, r.centers, n_cols, metric, min_similarity);
  }
};

inline double silhouette(const float* X, std::size_t n_rows, std::size_t n_cols,
                         const std::int32_t* labels, std::size_t k, std::size_t sample_size = 2000,
                         std::uint64_t seed = 0, const ExecOptions& exec = {}) {
  double s = 0.0;
  const lk_exec_options o = exec.to_c();
  detail::check(
      lk_persona_silhouette(X, n_rows, n_cols, n_cols, labels, k, sample_size, seed, &o, &s));
  return s;
}

}  // namespace leadkit
