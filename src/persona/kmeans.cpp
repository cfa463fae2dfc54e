#include "persona/kmeans.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>

#include "core/error.hpp"
#include "core/thread_pool.hpp"
#include "kernels/isa.hpp"
#include "persona/persona_set.hpp"

namespace leadkit::engine {

namespace {

constexpr std::size_t kRowsPerTask = 4096;  // fixed blocks: results independent of threads

// Uniform in [0, 1) from the top 53 bits: the same on every platform (the
// standard distributions are not specified bit for bit).
double uniform01(std::mt19937_64& g) { return static_cast<double>(g() >> 11) * 0x1.0p-53; }

std::size_t n_tasks_for(std::size_t n) { return (n + kRowsPerTask - 1) / kRowsPerTask; }

unsigned threads(const ExecOptions& exec, std::size_t n, std::size_t per_row) {
  return threads_for(exec.threads, n * per_row, 1U << 20, n_tasks_for(n));
}

// Runs body(t, r0, r1) over the fixed row blocks.
template <typename Body>
void for_blocks(std::size_t n, unsigned th, Body&& body) {
  ThreadPool::instance().run(n_tasks_for(n), th, [&](std::size_t t) {
    const std::size_t r0 = t * kRowsPerTask, r1 = std::min(n, r0 + kRowsPerTask);
    body(t, r0, r1);
  });
}

PersonaSet centers_set(const std::vector<float>& c, std::size_t k, std::size_t d) {
  std::vector<std::string> names(k);
  for (std::size_t i = 0; i < k; ++i) names[i] = "c" + std::to_string(i);
  return PersonaSet(std::move(names), c, d, PersonaMetric::euclidean);
}

struct Stats {
  std::vector<double> norm2;  // ||x_i||^2
  double mean_variance = 0.0;
};

// One pass: finiteness, row norms, mean feature variance. (With given centres
// and tol = 0 none is needed: the assignment step reports a non-finite row.)
Stats scan(const FeatureView& X, const ExecOptions& exec) {
  const std::size_t n = X.rows, d = X.cols, nt = n_tasks_for(n);
  Stats s;
  s.norm2.resize(n);
  std::vector<std::vector<double>> sum(nt), sq(nt);
  std::vector<std::size_t> bad(nt, n);
  for_blocks(n, threads(exec, n, d), [&](std::size_t t, std::size_t r0, std::size_t r1) {
    sum[t].assign(d, 0.0);
    sq[t].assign(d, 0.0);
    for (std::size_t i = r0; i < r1; ++i) {
      const float* x = X.row(i);
      double nn = 0.0;
      for (std::size_t j = 0; j < d; ++j) {
        const double v = x[j];
        if (!std::isfinite(v) && bad[t] == n) bad[t] = i;
        sum[t][j] += v;
        sq[t][j] += v * v;
        nn += v * v;
      }
      s.norm2[i] = nn;
    }
  });
  for (std::size_t b : bad)
    if (b != n) fail(LK_ERR_NOT_FINITE, "X: row ", b, " holds a NaN or infinite feature");
  double var = 0.0;
  for (std::size_t j = 0; j < d; ++j) {
    double a = 0.0, b = 0.0;
    for (std::size_t t = 0; t < nt; ++t) {
      a += sum[t][j];
      b += sq[t][j];
    }
    const double mean = a / static_cast<double>(n);
    var += std::max(0.0, b / static_cast<double>(n) - mean * mean);
  }
  s.mean_variance = var / static_cast<double>(d);
  return s;
}

// Greedy k-means++ (Arthur & Vassilvitskii 2007; scikit-learn's variant).
std::vector<float> kmeans_pp(const FeatureView& X, const Stats& st, std::size_t k,
                             std::mt19937_64& rng, const ExecOptions& exec) {
  const std::size_t n = X.rows, d = X.cols, nt = n_tasks_for(n);
  const std::size_t trials = 2 + static_cast<std::size_t>(std::log(static_cast<double>(k)));
  const auto& kernel = kernels::active();
  const unsigned th = threads(exec, n, d * trials);
  std::vector<float> centers(k * d);
  std::vector<double> closest(n), cand_d2(n * trials), cum(n);
  std::vector<std::vector<double>> part(nt);
  auto d2_to = [&](std::size_t count, const float* C, const double* cn2, double* out) {
    // out[i * count + t] = ||x_i - C_t||^2 = ||x_i||^2 + ||C_t||^2 - 2 x_i . C_t
    for_blocks(n, th, [&](std::size_t, std::size_t r0, std::size_t r1) {
      std::vector<float> dots((r1 - r0) * count);
      kernel.multi_dot_rows(X.data, r0, r1, X.row_stride, C, count, d, dots.data());
      for (std::size_t i = r0; i < r1; ++i)
        for (std::size_t t = 0; t < count; ++t)
          out[i * count + t] = std::max(
              0.0, st.norm2[i] + cn2[t] - 2.0 * static_cast<double>(dots[(i - r0) * count + t]));
    });
  };
  auto norm2_of = [&](const float* c) {
    double s = 0.0;
    for (std::size_t j = 0; j < d; ++j) s += static_cast<double>(c[j]) * static_cast<double>(c[j]);
    return s;
  };
  const std::size_t first =
      std::min(n - 1, static_cast<std::size_t>(uniform01(rng) * static_cast<double>(n)));
  std::copy(X.row(first), X.row(first) + d, centers.begin());
  double c2 = norm2_of(centers.data());
  d2_to(1, centers.data(), &c2, closest.data());
  std::vector<float> cands(trials * d);
  std::vector<double> cn2(trials), pot(trials);
  std::vector<std::size_t> picked(trials);
  for (std::size_t c = 1; c < k; ++c) {
    double total = 0.0;
    for (std::size_t i = 0; i < n; ++i) cum[i] = (total += closest[i]);
    for (std::size_t t = 0; t < trials; ++t) {
      const double r = uniform01(rng) * total;
      std::size_t idx =
          static_cast<std::size_t>(std::upper_bound(cum.begin(), cum.end(), r) - cum.begin());
      if (idx >= n) idx = n - 1;
      picked[t] = idx;
      std::copy(X.row(idx), X.row(idx) + d, cands.begin() + static_cast<std::ptrdiff_t>(t * d));
      cn2[t] = norm2_of(cands.data() + t * d);
    }
    d2_to(trials, cands.data(), cn2.data(), cand_d2.data());
    for_blocks(n, th, [&](std::size_t b, std::size_t r0, std::size_t r1) {
      part[b].assign(trials, 0.0);
      for (std::size_t i = r0; i < r1; ++i)
        for (std::size_t t = 0; t < trials; ++t)
          part[b][t] += std::min(closest[i], cand_d2[i * trials + t]);
    });
    std::fill(pot.begin(), pot.end(), 0.0);
    for (std::size_t b = 0; b < nt; ++b)
      for (std::size_t t = 0; t < trials; ++t) pot[t] += part[b][t];
    const std::size_t best =
        static_cast<std::size_t>(std::min_element(pot.begin(), pot.end()) - pot.begin());
    std::copy(cands.begin() + static_cast<std::ptrdiff_t>(best * d),
              cands.begin() + static_cast<std::ptrdiff_t>((best + 1) * d),
              centers.begin() + static_cast<std::ptrdiff_t>(c * d));
    for (std::size_t i = 0; i < n; ++i)
      closest[i] = std::min(closest[i], cand_d2[i * trials + best]);
  }
  return centers;
}

// Assigns every row; returns the inertia (sum of squared distances, combined
// in block order). With `sums`/`counts`, also accumulates per-centre sums.
double assign(const FeatureView& X, const std::vector<float>& centers, std::size_t k,
              const ExecOptions& exec, std::int32_t* labels, float* dist, std::vector<double>* sums,
              std::vector<std::int64_t>* counts) {
  const std::size_t n = X.rows, d = X.cols, nt = n_tasks_for(n);
  const PersonaSet set = centers_set(centers, k, d);
  std::vector<double> inertia(nt, 0.0);
  std::vector<std::size_t> first_bad(nt, n);
  std::vector<std::vector<double>> psum(sums ? nt : 0);
  std::vector<std::vector<std::int64_t>> pcount(sums ? nt : 0);
  for_blocks(n, threads(exec, n, k * d), [&](std::size_t t, std::size_t r0, std::size_t r1) {
    const std::size_t bad = set.nearest_rows(X, r0, r1, labels, dist);
    if (bad != r1) {
      first_bad[t] = bad;
      return;
    }
    double in = 0.0;
    for (std::size_t i = r0; i < r1; ++i) in += static_cast<double>(dist[i]);
    inertia[t] = in;
    if (sums) {
      psum[t].assign(k * d, 0.0);
      pcount[t].assign(k, 0);
      kernels::active().persona_accumulate(X.data, X.row_stride, r0, r1, d, labels, psum[t].data());
      for (std::size_t i = r0; i < r1; ++i) ++pcount[t][static_cast<std::size_t>(labels[i])];
    }
  });
  for (std::size_t b : first_bad)
    if (b != n) fail(LK_ERR_NOT_FINITE, "X: row ", b, " holds a NaN or infinite feature");
  double total = 0.0;
  for (double v : inertia) total += v;
  if (sums) {
    sums->assign(k * d, 0.0);
    counts->assign(k, 0);
    for (std::size_t t = 0; t < nt; ++t) {
      for (std::size_t q = 0; q < k * d; ++q) (*sums)[q] += psum[t][q];
      for (std::size_t c = 0; c < k; ++c) (*counts)[c] += pcount[t][c];
    }
  }
  return total;
}

KMeansResult lloyd(const FeatureView& X, std::vector<float> centers, std::size_t k,
                   const KMeansParams& p, double tol_abs, const ExecOptions& exec) {
  const std::size_t n = X.rows, d = X.cols;
  KMeansResult r;
  r.labels.assign(n, -1);
  std::vector<std::int32_t> prev(n, -1);
  std::vector<float> dist(n);
  std::vector<double> sums;
  std::vector<std::int64_t> counts;
  bool final_assignment_done = false;
  for (std::size_t it = 0; it < p.max_iter; ++it) {
    const double inertia = assign(X, centers, k, exec, r.labels.data(), dist.data(), &sums, &counts);
    std::vector<float> next(k * d);
    std::vector<char> taken;
    bool relocated = false;
    for (std::size_t c = 0; c < k; ++c) {
      if (counts[c] > 0) {
        for (std::size_t j = 0; j < d; ++j)
          next[c * d + j] = static_cast<float>(sums[c * d + j] / static_cast<double>(counts[c]));
      } else {
        // Empty cluster: re-seed it with the lead farthest from its centre.
        if (!relocated) taken.assign(n, 0);
        relocated = true;
        std::size_t far = n;
        for (std::size_t i = 0; i < n; ++i)
          if (!taken[i] && (far == n || dist[i] > dist[far])) far = i;
        taken[far] = 1;
        std::copy(X.row(far), X.row(far) + d, next.begin() + static_cast<std::ptrdiff_t>(c * d));
      }
    }
    double shift = 0.0;
    for (std::size_t q = 0; q < k * d; ++q) {
      const double delta = static_cast<double>(next[q]) - static_cast<double>(centers[q]);
      shift += delta * delta;
    }
    centers.swap(next);
    r.n_iter = it + 1;
    if (it > 0 && r.labels == prev) {
      // Strict convergence: the new centres are the means of the same labels
      // as the last ones, computed the same way, so they are the same centres
      // and this assignment is already the final one.
      if (!relocated) {
        r.inertia = inertia;
        final_assignment_done = true;
      }
      break;
    }
    if (shift <= tol_abs) break;
    prev.swap(r.labels);
  }
  if (!final_assignment_done)
    r.inertia = assign(X, centers, k, exec, r.labels.data(), dist.data(), nullptr, nullptr);
  r.centers = std::move(centers);
  return r;
}

KMeansResult minibatch(const FeatureView& X, std::vector<float> centers, std::size_t k,
                       const KMeansParams& p, std::mt19937_64& rng, const ExecOptions& exec) {
  // A batch larger than the data is the data's size (as scikit-learn does).
  const std::size_t n = X.rows, d = X.cols, b = std::min(p.batch_size, n);
  std::vector<double> c(centers.begin(), centers.end()), count(k, 0.0);
  std::vector<float> batch(b * d), bdist(b);
  std::vector<std::int32_t> blabels(b);
  std::vector<std::size_t> idx(b);
  for (std::size_t it = 0; it < p.max_iter; ++it) {
    for (std::size_t s = 0; s < b; ++s) {
      idx[s] = std::min(n - 1, static_cast<std::size_t>(uniform01(rng) * static_cast<double>(n)));
      std::copy(X.row(idx[s]), X.row(idx[s]) + d,
                batch.begin() + static_cast<std::ptrdiff_t>(s * d));
    }
    assign({batch.data(), b, d, d}, centers, k, exec, blabels.data(), bdist.data(), nullptr,
           nullptr);
    for (std::size_t s = 0; s < b; ++s) {
      const std::size_t cl = static_cast<std::size_t>(blabels[s]);
      count[cl] += 1.0;
      const double eta = 1.0 / count[cl];
      for (std::size_t j = 0; j < d; ++j)
        c[cl * d + j] += eta * (static_cast<double>(batch[s * d + j]) - c[cl * d + j]);
    }
    for (std::size_t q = 0; q < k * d; ++q) centers[q] = static_cast<float>(c[q]);
  }
  KMeansResult r;
  r.labels.assign(n, -1);
  std::vector<float> dist(n);
  r.inertia = assign(X, centers, k, exec, r.labels.data(), dist.data(), nullptr, nullptr);
  r.centers = std::move(centers);
  r.n_iter = p.max_iter;
  return r;
}

void check_view(const FeatureView& X) {
  if (X.cols == 0) fail(LK_ERR_INVALID_ARGUMENT, "X: has 0 columns; pass at least one feature");
  X.validate("X", X.cols);
}

}  // namespace

KMeansResult kmeans(const FeatureView& X, const KMeansParams& p, const ExecOptions& exec) {
  check_view(X);
  const std::size_t n = X.rows, d = X.cols, k = p.k;
  if (k == 0) fail(LK_ERR_INVALID_ARGUMENT, "k: must be at least 1");
  if (k > n)
    fail(LK_ERR_INVALID_ARGUMENT, "k: ", k, " personas but only ", n,
         " leads; k must not exceed the number of leads");
  if (p.n_init == 0) fail(LK_ERR_INVALID_ARGUMENT, "n_init: must be at least 1");
  if (p.max_iter == 0) fail(LK_ERR_INVALID_ARGUMENT, "max_iter: must be at least 1");
  if (!std::isfinite(p.tol) || p.tol < 0.0)
    fail(LK_ERR_INVALID_ARGUMENT, "tol: must be finite and >= 0");
  if (p.init != nullptr && p.n_init != 1)
    fail(LK_ERR_INVALID_ARGUMENT, "n_init: must be 1 when initial centres are given");
  if (p.init != nullptr)
    for (std::size_t q = 0; q < k * d; ++q)
      if (!std::isfinite(p.init[q]))
        fail(LK_ERR_NOT_FINITE, "init: centre ", q / d, " feature ", q % d, " is NaN or infinite");
  const Stats st = p.init != nullptr && p.tol == 0.0 ? Stats{} : scan(X, exec);
  const double tol_abs = p.tol * st.mean_variance;
  KMeansResult best;
  for (std::size_t run = 0; run < p.n_init; ++run) {
    std::mt19937_64 rng(p.seed + 0x9E3779B97F4A7C15ULL * run);
    std::vector<float> init = p.init != nullptr ? std::vector<float>(p.init, p.init + k * d)
                                                : kmeans_pp(X, st, k, rng, exec);
    KMeansResult r = p.batch_size > 0 ? minibatch(X, std::move(init), k, p, rng, exec)
                                      : lloyd(X, std::move(init), k, p, tol_abs, exec);
    if (run == 0 || r.inertia < best.inertia) best = std::move(r);
  }
  return best;
}

double silhouette(const FeatureView& X, const std::int32_t* labels, std::size_t k,
                  std::size_t sample_size, std::uint64_t seed, const ExecOptions& exec) {
  check_view(X);
  if (labels == nullptr) fail(LK_ERR_NULL_POINTER, "labels: is NULL");
  if (k < 2) fail(LK_ERR_INVALID_ARGUMENT, "k: the silhouette needs at least 2 clusters");
  const std::size_t n = X.rows, d = X.cols;
  for (std::size_t i = 0; i < n; ++i)
    if (labels[i] < 0 || static_cast<std::size_t>(labels[i]) >= k)
      fail(LK_ERR_INVALID_ARGUMENT, "labels: label ", labels[i], " of lead ", i, " is not in [0, ",
           k, ")");
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < d; ++j)
      if (!std::isfinite(X.row(i)[j]))
        fail(LK_ERR_NOT_FINITE, "X: row ", i, " holds a NaN or infinite feature");
  // A seeded sample without replacement (partial Fisher-Yates).
  const std::size_t m = sample_size == 0 || sample_size > n ? n : sample_size;
  std::vector<std::size_t> idx(n);
  for (std::size_t i = 0; i < n; ++i) idx[i] = i;
  std::mt19937_64 rng(seed);
  if (m < n)
    for (std::size_t i = 0; i < m; ++i) {
      const std::size_t j =
          i + std::min(n - i - 1,
                       static_cast<std::size_t>(uniform01(rng) * static_cast<double>(n - i)));
      std::swap(idx[i], idx[j]);
    }
  std::vector<std::size_t> size(k, 0);
  for (std::size_t s = 0; s < m; ++s) ++size[static_cast<std::size_t>(labels[idx[s]])];
  std::size_t present = 0;
  for (std::size_t c = 0; c < k; ++c) present += size[c] > 0;
  if (present < 2)
    fail(LK_ERR_INVALID_ARGUMENT, "labels: the sample holds ", present,
         " cluster; the silhouette needs at least 2");
  constexpr std::size_t kPerTask = 64;
  const std::size_t nt = (m + kPerTask - 1) / kPerTask;
  std::vector<double> part(nt, 0.0);
  const unsigned th = threads_for(exec.threads, m * m * d, 1U << 20, nt);
  ThreadPool::instance().run(nt, th, [&](std::size_t t) {
    std::vector<double> dsum(k);
    double acc = 0.0;
    for (std::size_t s = t * kPerTask; s < std::min(m, (t + 1) * kPerTask); ++s) {
      std::fill(dsum.begin(), dsum.end(), 0.0);
      const float* x = X.row(idx[s]);
      for (std::size_t u = 0; u < m; ++u) {
        const float* y = X.row(idx[u]);
        double dd = 0.0;
        for (std::size_t j = 0; j < d; ++j) {
          const double diff = static_cast<double>(x[j]) - static_cast<double>(y[j]);
          dd += diff * diff;
        }
        dsum[static_cast<std::size_t>(labels[idx[u]])] += std::sqrt(dd);
      }
      const std::size_t own = static_cast<std::size_t>(labels[idx[s]]);
      if (size[own] < 2) continue;  // alone in its cluster: 0
      const double a = dsum[own] / static_cast<double>(size[own] - 1);
      double b = std::numeric_limits<double>::infinity();
      for (std::size_t c = 0; c < k; ++c)
        if (c != own && size[c] > 0) b = std::min(b, dsum[c] / static_cast<double>(size[c]));
      const double mx = std::max(a, b);
      acc += mx > 0.0 ? (b - a) / mx : 0.0;
    }
    part[t] = acc;
  });
  double total = 0.0;
  for (double v : part) total += v;
  return total / static_cast<double>(m);
}

}  // namespace leadkit::engine
