#include "scoring/logistic_model.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>

#include "core/aligned.hpp"
#include "core/thread_pool.hpp"
#include "core/topk.hpp"
#include "kernels/isa.hpp"
#include "kernels/linear.hpp"

namespace leadkit::engine {

LogisticModel::LogisticModel(const float* weights, std::size_t n_features, float intercept)
    : intercept_(intercept) {
  if (n_features == 0) fail(LK_ERR_INVALID_ARGUMENT, "n_features: must be at least 1, got 0");
  if (weights == nullptr) fail(LK_ERR_NULL_POINTER, "weights: pointer is NULL");
  for (std::size_t j = 0; j < n_features; ++j) {
    if (!std::isfinite(weights[j]))
      fail(LK_ERR_NOT_FINITE, "weights[", j, "]: is ", weights[j], "; every weight must be finite");
  }
  if (!std::isfinite(intercept))
    fail(LK_ERR_NOT_FINITE, "intercept: is ", intercept, "; it must be finite");
  weights_.assign(weights, weights + n_features);
}

void LogisticModel::decision_function(const FeatureView& X, const ExecOptions& exec,
                                      float* out) const {
  score(X, exec, false, out);
}

void LogisticModel::predict_proba(const FeatureView& X, const ExecOptions& exec, float* out) const {
  score(X, exec, true, out);
}

void LogisticModel::reasons(const FeatureView& X, std::size_t k, const ExecOptions& exec,
                            float* out_proba, std::int32_t* out_features,
                            float* out_contributions) const {
  X.validate("X", n_features());
  if (k == 0) fail(LK_ERR_INVALID_ARGUMENT, "k: must be at least 1");
  if (out_proba == nullptr) fail(LK_ERR_NULL_POINTER, "out_probabilities: is NULL");
  if (out_features == nullptr) fail(LK_ERR_NULL_POINTER, "out_features: is NULL");
  if (out_contributions == nullptr) fail(LK_ERR_NULL_POINTER, "out_contributions: is NULL");
  // One pass over X: each block of rows is scored (dot + sigmoid) and then
  // explained while it is still in cache, so X is read from memory once.
  constexpr std::size_t kRowsPerTask = 4096, kBlock = 128;
  const std::size_t n_tasks = (X.rows + kRowsPerTask - 1) / kRowsPerTask;
  const unsigned threads = threads_for(exec.threads, X.rows * X.cols, std::size_t{1} << 18, n_tasks);
  const float* w = weights_.data();
  std::vector<std::size_t> first_bad(n_tasks, X.rows);
  ThreadPool::instance().run(n_tasks, threads, [&](std::size_t t) {
    const std::size_t r0 = t * kRowsPerTask, r1 = std::min(X.rows, r0 + kRowsPerTask);
    // Per task, not per lead: the kernels' scratch row, padded to the widest vector.
    AlignedVector<float> scratch((X.cols + 15) / 16 * 16);
    const auto& kernel = kernels::active();
    for (std::size_t b = r0; b < r1; b += kBlock) {
      const std::size_t e = std::min(r1, b + kBlock);
      const std::size_t bad = kernel.linear_rows(X.data, b, e, X.cols, X.row_stride, w, intercept_,
                                                 kernels::Link::sigmoid, out_proba);
      if (bad != e && first_bad[t] == X.rows) first_bad[t] = bad;
      for (std::size_t i = b; i < e; ++i)
        kernel.top_contributions(X.row(i), w, X.cols, k, scratch.data(), out_features + i * k,
                                 out_contributions + i * k);
    }
  });
  for (const std::size_t bad : first_bad) {
    if (bad == X.rows) continue;
    const float nan = std::numeric_limits<float>::quiet_NaN();
    std::fill(out_proba, out_proba + X.rows, nan);
    std::fill(out_features, out_features + X.rows * k, -1);
    std::fill(out_contributions, out_contributions + X.rows * k, nan);
    fail(LK_ERR_NOT_FINITE, "X: row ", bad,
         " holds a NaN or infinite feature (or its score overflows float32); encode missing "
         "values with the schema's policy before scoring");
  }
}

void LogisticModel::score(const FeatureView& X, const ExecOptions& exec, bool proba,
                          float* out) const {
  X.validate("X", n_features());
  if (out == nullptr) fail(LK_ERR_NULL_POINTER, "out: output buffer is NULL");

  // Tasks of 256 KiB to 4 MiB of features (stream_task_rows; at N = 2M, D =
  // 64 on 2 threads: see docs/ARCHITECTURE.md). Boundaries depend only on the
  // shape.
  const std::size_t row_bytes = X.cols * sizeof(float);
  const std::size_t rows_per_task =
      std::max<std::size_t>(1, stream_task_rows(X.rows, (std::size_t{256} << 10) / row_bytes,
                                                (std::size_t{4} << 20) / row_bytes));
  const std::size_t n_tasks = (X.rows + rows_per_task - 1) / rows_per_task;
  // Below ~1 MiB of features per thread a thread costs more than it saves.
  const unsigned threads = threads_for(exec.threads, X.rows * row_bytes, std::size_t{1} << 20, n_tasks);

  const auto link = proba ? kernels::Link::sigmoid : kernels::Link::identity;
  std::atomic<std::size_t> first_bad{X.rows};
  ThreadPool::instance().run(n_tasks, threads, [&](std::size_t t) {
    const std::size_t begin = t * rows_per_task;
    const std::size_t end = std::min(X.rows, begin + rows_per_task);
    const std::size_t bad = kernels::linear_rows(X.data, begin, end, X.cols, X.row_stride,
                                                 weights_.data(), intercept_, link, out);
    if (bad != end) {
      std::size_t cur = first_bad.load();
      while (bad < cur && !first_bad.compare_exchange_weak(cur, bad)) {
      }
    }
  });

  if (first_bad.load() != X.rows) {
    // Never leave a mix of valid and stale values behind (see leadkit.h).
    std::fill(out, out + X.rows, std::numeric_limits<float>::quiet_NaN());
    const std::size_t r = first_bad.load();
    fail(LK_ERR_NOT_FINITE, "X: row ", r,
         " holds a NaN or infinite feature (or its score overflows float32); encode missing "
         "values with the schema's policy before scoring");
  }
}

}  // namespace leadkit::engine
