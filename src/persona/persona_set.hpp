// PersonaSet: named buyer personas, each a profile in the schema's feature
// space, with optional per-feature importance weights, a similarity metric and
// a minimum similarity below which a lead stays unmatched.
//
//   cosine (default)   sum_j w_j x_j p_j / (sqrt(sum_j w_j x_j^2) sqrt(sum_j w_j p_j^2))
//   dot                sum_j w_j x_j p_j
//   euclidean          1 / (1 + sum_j w_j (x_j - p_j)^2)        in (0, 1]
//
// A weight of 0 takes a feature out of a persona (an attribute the persona does
// not specify): under cosine the lead's norm is then taken over the persona's
// features only. With every weight 1 the lead's norm is common to all personas
// and matching costs one dot product per persona; with weights, two.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/aligned.hpp"
#include "core/exec.hpp"
#include "core/feature_view.hpp"
#include "kernels/persona.hpp"

namespace leadkit::engine {

enum class PersonaMetric { cosine, dot, euclidean };

const char* metric_name(PersonaMetric m) noexcept;

struct MatchResult {  // caller buffers for PersonaSet::match; any may be null except best
  std::int32_t* best = nullptr;        // n: best persona, -1 = unmatched
  float* similarity = nullptr;         // n: the best persona's similarity
  float* margin = nullptr;             // n: best - second best similarity
  std::int32_t* topk_index = nullptr;  // n * k
  float* topk_score = nullptr;         // n * k
};

class PersonaSet {
 public:
  static constexpr std::size_t kMaxTopK = kernels::kPersonaMaxTopK;

  // profiles: K x n_features row-major; weights: empty (all 1) or K x n_features.
  // `authored` (optional, K JSON texts) keeps the attribute form a persona was
  // written in, for export.
  PersonaSet(std::vector<std::string> names, std::vector<float> profiles, std::size_t n_features,
             PersonaMetric metric = PersonaMetric::cosine, std::vector<float> weights = {},
             float min_similarity = 0.0f, std::vector<std::string> authored = {});

  std::size_t size() const noexcept { return names_.size(); }
  std::size_t n_features() const noexcept { return d_; }
  const std::vector<std::string>& names() const noexcept { return names_; }
  const std::vector<float>& profiles() const noexcept { return profiles_; }
  const std::vector<float>& weights() const noexcept { return weights_; }
  bool weighted() const noexcept { return weighted_; }
  PersonaMetric metric() const noexcept { return metric_; }
  float min_similarity() const noexcept { return min_similarity_; }
  const std::vector<std::string>& authored() const noexcept { return authored_; }

  // Best persona, similarity, margin and (if topk_* are set) the k best per
  // lead, in one fused pass. A NaN or infinite feature fails with
  // LK_ERR_NOT_FINITE naming the first bad row, outputs filled with NaN / -1.
  void match(const FeatureView& X, std::size_t k, const ExecOptions& exec,
             const MatchResult& out) const;

  // Every similarity, N x K row-major (what a transform asks for).
  void similarities(const FeatureView& X, const ExecOptions& exec, float* out) const;

  // Euclidean sets only (k-means): nearest persona and squared distance of
  // rows [begin, end) on the calling thread. Returns the first non-finite row or end.
  std::size_t nearest_rows(const FeatureView& X, std::size_t begin, std::size_t end,
                           std::int32_t* labels, float* sq_distance) const;

  // The kernel's view of the set (for the kernel variant tests).
  kernels::PersonaPanel panel() const noexcept;

  // A copy with another minimum similarity.
  PersonaSet with_min_similarity(float min_similarity) const;

 private:
  void run(const FeatureView& X, const kernels::PersonaOut& o, const ExecOptions& exec,
           std::size_t rows_per_task) const;

  std::vector<std::string> names_;
  std::vector<float> profiles_, weights_;
  std::vector<std::string> authored_;
  std::size_t d_;
  PersonaMetric metric_;
  float min_similarity_;
  bool weighted_ = false;
  // The kernel's panel (see kernels/persona.hpp).
  AlignedVector<float> a_, b_, bias_;
  std::size_t kp_ = 0;
  kernels::PersonaMode mode_ = kernels::PersonaMode::cosine;
};

}  // namespace leadkit::engine
