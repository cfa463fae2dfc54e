#include "persona/persona_set.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "core/error.hpp"
#include "core/thread_pool.hpp"
#include "kernels/isa.hpp"

namespace leadkit::engine {

const char* metric_name(PersonaMetric m) noexcept {
  switch (m) {
    case PersonaMetric::cosine:
      return "cosine";
    case PersonaMetric::dot:
      return "dot";
    case PersonaMetric::euclidean:
      return "euclidean";
  }
  return "unknown";
}

PersonaSet::PersonaSet(std::vector<std::string> names, std::vector<float> profiles,
                       std::size_t n_features, PersonaMetric metric, std::vector<float> weights,
                       float min_similarity, std::vector<std::string> authored)
    : names_(std::move(names)),
      profiles_(std::move(profiles)),
      weights_(std::move(weights)),
      authored_(std::move(authored)),
      d_(n_features),
      metric_(metric),
      min_similarity_(min_similarity) {
  const std::size_t K = names_.size(), D = d_;
  if (K == 0) fail(LK_ERR_INVALID_ARGUMENT, "personas: a persona set needs at least one persona");
  if (D == 0) fail(LK_ERR_INVALID_ARGUMENT, "n_features: must be at least 1");
  if (metric != PersonaMetric::cosine && metric != PersonaMetric::dot &&
      metric != PersonaMetric::euclidean)
    fail(LK_ERR_INVALID_ARGUMENT, "metric: unknown metric (cosine, dot or euclidean)");
  if (D > (static_cast<std::size_t>(1) << 24) || K > (static_cast<std::size_t>(1) << 24))
    fail(LK_ERR_INVALID_ARGUMENT, "profiles: ", K, " personas x ", D, " features is too large");
  if (profiles_.size() != K * D)
    fail(LK_ERR_DIMENSION_MISMATCH, "profiles: holds ", profiles_.size(), " values but ", K,
         " personas x ", D, " features need ", K * D);
  if (!weights_.empty() && weights_.size() != K * D)
    fail(LK_ERR_DIMENSION_MISMATCH, "weights: holds ", weights_.size(), " values but ", K,
         " personas x ", D, " features need ", K * D, " (or none for all 1)");
  if (!authored_.empty() && authored_.size() != K)
    fail(LK_ERR_DIMENSION_MISMATCH, "authored: ", authored_.size(), " entries for ", K,
         " personas");
  if (!std::isfinite(min_similarity_))
    fail(LK_ERR_NOT_FINITE,
         "min_similarity: must be finite (use a very negative value to match every lead)");
  std::set<std::string> seen;
  for (std::size_t k = 0; k < K; ++k) {
    if (names_[k].empty())
      fail(LK_ERR_INVALID_ARGUMENT, "names[", k, "]: a persona's name is empty");
    if (!seen.insert(names_[k]).second)
      fail(LK_ERR_INVALID_ARGUMENT, "names[", k, "]: duplicate persona name '", names_[k], "'");
  }
  if (weights_.empty()) weights_.assign(K * D, 1.0f);
  for (std::size_t k = 0; k < K; ++k) {
    for (std::size_t j = 0; j < D; ++j) {
      if (!std::isfinite(profiles_[k * D + j]))
        fail(LK_ERR_NOT_FINITE, "profiles: persona '", names_[k], "' feature ", j,
             " is NaN or infinite");
      const float w = weights_[k * D + j];
      if (!std::isfinite(w) || w < 0.0f)
        fail(LK_ERR_INVALID_ARGUMENT, "weights: persona '", names_[k], "' feature ", j,
             " has weight ", w, "; weights must be finite and >= 0");
      if (w != 1.0f) weighted_ = true;
    }
  }
  // A weighted dot product needs no lead norm: fold the weights into A.
  using kernels::PersonaMode;
  switch (metric_) {
    case PersonaMetric::dot:
      mode_ = PersonaMode::dot;
      break;
    case PersonaMetric::cosine:
      mode_ = weighted_ ? PersonaMode::cosine_w : PersonaMode::cosine;
      break;
    case PersonaMetric::euclidean:
      mode_ = weighted_ ? PersonaMode::euclid_w : PersonaMode::euclid;
      break;
  }
  constexpr std::size_t B = kernels::kPersonaBlock;
  kp_ = (K + B - 1) / B * B;
  a_.assign(kp_ * D, 0.0f);
  if (mode_ == PersonaMode::cosine_w || mode_ == PersonaMode::euclid_w) b_.assign(kp_ * D, 0.0f);
  bias_.assign(kp_, -std::numeric_limits<float>::infinity());
  for (std::size_t k = 0; k < K; ++k) {
    const float* p = profiles_.data() + k * D;
    const float* w = weights_.data() + k * D;
    double wpp = 0.0;  // sum_j w_j p_j^2, in double
    for (std::size_t j = 0; j < D; ++j)
      wpp += static_cast<double>(w[j]) * static_cast<double>(p[j]) * static_cast<double>(p[j]);
    if (metric_ == PersonaMetric::cosine && !(wpp > 0.0))
      fail(LK_ERR_INVALID_ARGUMENT, "profiles: persona '", names_[k], "' has a zero-norm profile",
           weighted_ ? " over its weighted features" : "",
           "; cosine similarity is undefined for it (give it a non-zero feature)");
    double scale = 1.0, bias = 0.0;
    if (mode_ == PersonaMode::cosine || mode_ == PersonaMode::cosine_w)
      scale = 1.0 / std::sqrt(wpp);
    if (mode_ == PersonaMode::euclid || mode_ == PersonaMode::euclid_w) {
      scale = 2.0;
      bias = -wpp;
    }
    bias_[k] = static_cast<float>(bias);
    for (std::size_t j = 0; j < D; ++j) {
      const std::size_t at = (k / B) * D * B + j * B + (k % B);
      a_[at] = static_cast<float>(scale * static_cast<double>(w[j]) * static_cast<double>(p[j]));
      if (!b_.empty()) b_[at] = w[j];
    }
  }
}

PersonaSet PersonaSet::with_min_similarity(float min_similarity) const {
  return PersonaSet(names_, profiles_, d_, metric_, weights_, min_similarity, authored_);
}

kernels::PersonaPanel PersonaSet::panel() const noexcept {
  kernels::PersonaPanel panel;
  panel.A = a_.data();
  panel.B = b_.empty() ? nullptr : b_.data();
  panel.bias = bias_.data();
  panel.K = size();
  panel.Kp = kp_;
  panel.D = d_;
  panel.mode = mode_;
  return panel;
}

std::size_t PersonaSet::nearest_rows(const FeatureView& X, std::size_t begin, std::size_t end,
                                     std::int32_t* labels, float* sq_distance) const {
  if (mode_ != kernels::PersonaMode::euclid)
    fail(LK_ERR_INTERNAL, "nearest_rows: needs an unweighted euclidean set");
  kernels::PersonaOut o;
  o.k = 1;
  o.min_similarity = -std::numeric_limits<float>::infinity();
  o.best = labels;
  o.sq_distance = sq_distance;
  const kernels::PersonaPanel p = panel();
  return kernels::active().persona_rows(X.data, X.row_stride, begin, end, p, o);
}

void PersonaSet::run(const FeatureView& X, const kernels::PersonaOut& o, const ExecOptions& exec,
                     std::size_t rows_per_task) const {
  const kernels::PersonaPanel panel = this->panel();
  const std::size_t n_tasks = (X.rows + rows_per_task - 1) / rows_per_task;
  const std::size_t per_lead = kp_ * d_ * (b_.empty() ? 1 : 2);
  const unsigned threads = threads_for(exec.threads, X.rows * per_lead, 1U << 21, n_tasks);
  std::vector<std::size_t> first_bad(n_tasks, X.rows);
  const auto& kernel = kernels::active();
  ThreadPool::instance().run(n_tasks, threads, [&](std::size_t t) {
    const std::size_t r0 = t * rows_per_task, r1 = std::min(X.rows, r0 + rows_per_task);
    kernels::PersonaOut ot = o;
    // Scratch for the squared lead rows of weighted modes; small sets use the stack.
    float stack_scratch[kernels::kPersonaScratchRows * 128];
    std::vector<float> heap_scratch;
    if (!b_.empty()) {
      if (d_ <= 128) {
        ot.scratch = stack_scratch;
      } else {
        heap_scratch.resize(kernels::kPersonaScratchRows * d_);
        ot.scratch = heap_scratch.data();
      }
    }
    const std::size_t bad = kernel.persona_rows(X.data, X.row_stride, r0, r1, panel, ot);
    if (bad != r1) first_bad[t] = bad;
  });
  for (std::size_t bad : first_bad)
    if (bad != X.rows)
      fail(LK_ERR_NOT_FINITE, "X: row ", bad,
           " holds a NaN or infinite feature; encode missing values with the schema's policy "
           "before matching");
}

void PersonaSet::match(const FeatureView& X, std::size_t k, const ExecOptions& exec,
                       const MatchResult& out) const {
  X.validate("X", d_);
  const std::size_t K = size();
  if (k == 0) fail(LK_ERR_INVALID_ARGUMENT, "k: must be at least 1");
  if (k > K)
    fail(LK_ERR_INVALID_ARGUMENT, "k: ", k, " is more than the ", K, " personas of the set");
  if (k > kMaxTopK)
    fail(LK_ERR_INVALID_ARGUMENT, "k: at most ", kMaxTopK, " personas per lead, got ", k);
  if (out.best == nullptr) fail(LK_ERR_NULL_POINTER, "out_best: is NULL");
  if (X.rows > std::numeric_limits<std::size_t>::max() / k)
    fail(LK_ERR_INVALID_ARGUMENT, "X: ", X.rows, " rows x k = ", k, " overflows");
  kernels::PersonaOut o;
  o.k = k;
  o.min_similarity = min_similarity_;
  o.best = out.best;
  o.similarity = out.similarity;
  o.margin = out.margin;
  o.topk_index = out.topk_index;
  o.topk_score = out.topk_score;
  try {
    run(X, o, exec, 1020);
  } catch (const Error& e) {
    if (e.status() != LK_ERR_NOT_FINITE) throw;
    const float nan = std::numeric_limits<float>::quiet_NaN();
    std::fill(out.best, out.best + X.rows, -1);
    if (out.similarity) std::fill(out.similarity, out.similarity + X.rows, nan);
    if (out.margin) std::fill(out.margin, out.margin + X.rows, nan);
    if (out.topk_index) std::fill(out.topk_index, out.topk_index + X.rows * k, -1);
    if (out.topk_score) std::fill(out.topk_score, out.topk_score + X.rows * k, nan);
    throw;
  }
}

void PersonaSet::similarities(const FeatureView& X, const ExecOptions& exec, float* out) const {
  X.validate("X", d_);
  if (out == nullptr) fail(LK_ERR_NULL_POINTER, "out: is NULL");
  if (X.rows > std::numeric_limits<std::size_t>::max() / size())
    fail(LK_ERR_INVALID_ARGUMENT, "X: ", X.rows, " rows x ", size(), " personas overflows");
  kernels::PersonaOut o;
  o.k = 1;
  o.min_similarity = min_similarity_;
  o.all = out;
  try {
    run(X, o, exec, 1020);
  } catch (const Error& e) {
    if (e.status() == LK_ERR_NOT_FINITE)
      std::fill(out, out + X.rows * size(), std::numeric_limits<float>::quiet_NaN());
    throw;
  }
}

}  // namespace leadkit::engine
