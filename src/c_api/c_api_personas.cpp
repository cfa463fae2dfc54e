// C API: persona sets, matching, k-means discovery.
#include <cstddef>
#include <cstring>
#include <string>
#include <vector>

#include "c_api/c_api_internal.hpp"
#include "c_api/handles.hpp"
#include "core/feature_view.hpp"
#include "persona/kmeans.hpp"
#include "persona/persona_json.hpp"
#include "persona/persona_set.hpp"

using leadkit::capi::copy_text;
using leadkit::capi::exec_from;
using leadkit::capi::guarded;
using leadkit::capi::require;
using leadkit::engine::fail;
namespace engine = leadkit::engine;

namespace {

// Read as an int: a C caller may pass any int, and in C++ loading an enum
// outside its enumerators' range is undefined.
static_assert(sizeof(lk_persona_metric) == sizeof(int), "enums are int-sized on supported ABIs");
engine::PersonaMetric metric_from(const lk_persona_metric* metric) {
  int m = 0;
  std::memcpy(&m, metric, sizeof m);
  switch (m) {
    case LK_PERSONA_COSINE:
      return engine::PersonaMetric::cosine;
    case LK_PERSONA_DOT:
      return engine::PersonaMetric::dot;
    case LK_PERSONA_EUCLIDEAN:
      return engine::PersonaMetric::euclidean;
  }
  fail(LK_ERR_INVALID_ARGUMENT, "metric: ", m,
       " is not a metric (LK_PERSONA_COSINE, LK_PERSONA_DOT or LK_PERSONA_EUCLIDEAN)");
}

std::size_t checked_product(std::size_t a, std::size_t b, const char* what) {
  if (b != 0 && a > static_cast<std::size_t>(-1) / b)
    fail(LK_ERR_INVALID_ARGUMENT, what, ": size overflows");
  return a * b;
}

}  // namespace

extern "C" {

lk_status lk_persona_set_from_json(const lk_schema* schema, const char* json,
                                   lk_persona_set** out_set) {
  return guarded([&] {
    require(schema, "schema");
    require(json, "json");
    require(out_set, "out_set");
    *out_set = new lk_persona_set{engine::persona_set_from_json(schema->schema, std::string(json))};
  });
}

lk_status lk_persona_set_from_profiles(const float* profiles, size_t n_personas, size_t n_features,
                                       const char* const* names, const float* weights,
                                       lk_persona_metric metric, float min_similarity,
                                       lk_persona_set** out_set) {
  return guarded([&] {
    require(out_set, "out_set");
    if (n_personas == 0) fail(LK_ERR_INVALID_ARGUMENT, "n_personas: must be at least 1");
    if (n_features == 0) fail(LK_ERR_INVALID_ARGUMENT, "n_features: must be at least 1");
    require(profiles, "profiles");
    require(names, "names");
    const std::size_t size = checked_product(n_personas, n_features, "profiles");
    std::vector<std::string> nm(n_personas);
    for (std::size_t k = 0; k < n_personas; ++k) {
      if (names[k] == nullptr) fail(LK_ERR_NULL_POINTER, "names[", k, "]: is NULL");
      nm[k] = names[k];
    }
    std::vector<float> w;
    if (weights != nullptr) w.assign(weights, weights + size);
    *out_set = new lk_persona_set{
        engine::PersonaSet(std::move(nm), std::vector<float>(profiles, profiles + size), n_features,
                           metric_from(&metric), std::move(w), min_similarity)};
  });
}

void lk_persona_set_free(lk_persona_set* set) { delete set; }

lk_status lk_persona_set_n_personas(const lk_persona_set* set, size_t* out_n) {
  return guarded([&] {
    require(set, "set");
    require(out_n, "out_n");
    *out_n = set->set.size();
  });
}

lk_status lk_persona_set_n_features(const lk_persona_set* set, size_t* out_n) {
  return guarded([&] {
    require(set, "set");
    require(out_n, "out_n");
    *out_n = set->set.n_features();
  });
}

lk_status lk_persona_set_name(const lk_persona_set* set, size_t index, char* buffer,
                              size_t capacity, size_t* out_length) {
  return guarded([&] {
    require(set, "set");
    if (index >= set->set.size())
      fail(LK_ERR_INVALID_ARGUMENT, "index: ", index, " is out of range; the set has ",
           set->set.size(), " personas");
    copy_text(set->set.names()[index], buffer, capacity, out_length, "persona name");
  });
}

lk_status lk_persona_set_metric(const lk_persona_set* set, lk_persona_metric* out_metric) {
  return guarded([&] {
    require(set, "set");
    require(out_metric, "out_metric");
    switch (set->set.metric()) {
      case engine::PersonaMetric::cosine:
        *out_metric = LK_PERSONA_COSINE;
        break;
      case engine::PersonaMetric::dot:
        *out_metric = LK_PERSONA_DOT;
        break;
      case engine::PersonaMetric::euclidean:
        *out_metric = LK_PERSONA_EUCLIDEAN;
        break;
    }
  });
}

lk_status lk_persona_set_min_similarity(const lk_persona_set* set, float* out_min) {
  return guarded([&] {
    require(set, "set");
    require(out_min, "out_min");
    *out_min = set->set.min_similarity();
  });
}

lk_status lk_persona_set_profiles(const lk_persona_set* set, float* out_profiles,
                                  float* out_weights) {
  return guarded([&] {
    require(set, "set");
    require(out_profiles, "out_profiles");
    const auto& p = set->set.profiles();
    std::copy(p.begin(), p.end(), out_profiles);
    if (out_weights != nullptr)
      std::copy(set->set.weights().begin(), set->set.weights().end(), out_weights);
  });
}

lk_status lk_persona_set_to_json(const lk_persona_set* set, char* buffer, size_t capacity,
                                 size_t* out_length) {
  return guarded([&] {
    require(set, "set");
    copy_text(engine::persona_set_to_json(set->set).dump(2), buffer, capacity, out_length, "JSON");
  });
}

lk_status lk_persona_match(const lk_persona_set* set, const float* X, size_t n_rows, size_t n_cols,
                           size_t row_stride, size_t k, const lk_exec_options* options,
                           int32_t* out_best, float* out_similarity, float* out_margin,
                           int32_t* out_topk_index, float* out_topk_score) {
  return guarded([&] {
    require(set, "set");
    require(out_best, "out_best");
    const auto exec = exec_from(options);
    set->set.match({X, n_rows, n_cols, row_stride}, k, exec,
                   {out_best, out_similarity, out_margin, out_topk_index, out_topk_score});
  });
}

lk_status lk_persona_similarities(const lk_persona_set* set, const float* X, size_t n_rows,
                                  size_t n_cols, size_t row_stride, const lk_exec_options* options,
                                  float* out) {
  return guarded([&] {
    require(set, "set");
    require(out, "out");
    const auto exec = exec_from(options);
    set->set.similarities({X, n_rows, n_cols, row_stride}, exec, out);
  });
}

lk_status lk_persona_kmeans_params_init(lk_persona_kmeans_params* params) {
  return guarded([&] {
    require(params, "params");
    const engine::KMeansParams d;
    params->struct_size = sizeof(lk_persona_kmeans_params);
    params->k = d.k;
    params->seed = d.seed;
    params->n_init = d.n_init;
    params->max_iter = d.max_iter;
    params->tol = d.tol;
    params->batch_size = d.batch_size;
    params->init = nullptr;
  });
}

lk_status lk_persona_kmeans(const float* X, size_t n_rows, size_t n_cols, size_t row_stride,
                            const lk_persona_kmeans_params* params, const lk_exec_options* options,
                            float* out_centers, int32_t* out_labels, double* out_inertia,
                            size_t* out_n_iter) {
  return guarded([&] {
    require(params, "params");
    require(out_centers, "out_centers");
    if (params->struct_size < offsetof(lk_persona_kmeans_params, init) + sizeof(params->init))
      fail(LK_ERR_INVALID_ARGUMENT, "params: struct_size ", params->struct_size,
           " is too small; initialise the struct with lk_persona_kmeans_params_init()");
    engine::KMeansParams p;
    p.k = params->k;
    p.seed = params->seed;
    p.n_init = params->n_init;
    p.max_iter = params->max_iter;
    p.tol = params->tol;
    p.batch_size = params->batch_size;
    p.init = params->init;
    const auto exec = exec_from(options);
    // Computed in full before anything is written.
    const engine::KMeansResult r = engine::kmeans({X, n_rows, n_cols, row_stride}, p, exec);
    std::copy(r.centers.begin(), r.centers.end(), out_centers);
    if (out_labels != nullptr) std::copy(r.labels.begin(), r.labels.end(), out_labels);
    if (out_inertia != nullptr) *out_inertia = r.inertia;
    if (out_n_iter != nullptr) *out_n_iter = r.n_iter;
  });
}

lk_status lk_persona_silhouette(const float* X, size_t n_rows, size_t n_cols, size_t row_stride,
                                const int32_t* labels, size_t k, size_t sample_size, uint64_t seed,
                                const lk_exec_options* options, double* out_score) {
  return guarded([&] {
    require(out_score, "out_score");
    const auto exec = exec_from(options);
    *out_score =
        engine::silhouette({X, n_rows, n_cols, row_stride}, labels, k, sample_size, seed, exec);
  });
}

}  // extern "C"
