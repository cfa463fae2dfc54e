// Persona discovery: k-means over encoded leads.
//
// - k-means++ initialisation (greedy, 2 + ln k local trials per centre, as
//   scikit-learn does) with std::mt19937_64 and our own uniform draws, so a
//   seed gives the same centres on every platform.
// - Lloyd iterations whose assignment step is the persona matching kernel in
//   Euclidean mode (||x - c||^2 = ||x||^2 - (2 x.c - ||c||^2)); centre updates
//   accumulate in double per fixed block of rows and the blocks' partial sums
//   are combined in block order, so results are bit-identical for any thread count.
// - n_init restarts keep the lowest inertia; mini-batch mode (batch_size > 0)
//   updates centres from seeded random batches with per-centre learning rates
//   1/count (Sculley 2010), then assigns every lead once.
// - Empty clusters are re-seeded with the lead farthest from its centre.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/exec.hpp"
#include "core/feature_view.hpp"

namespace leadkit::engine {

struct KMeansParams {
  std::size_t k = 8;
  std::uint64_t seed = 0;
  std::size_t n_init = 1;
  std::size_t max_iter = 300;  // Lloyd iterations, or mini-batches
  double tol = 1e-4;  // centre shift, relative to the mean feature variance (as scikit-learn)
  std::size_t batch_size = 0;   // 0 = full-batch Lloyd; at most n_rows are used
  const float* init = nullptr;  // optional k x D initial centres (n_init must be 1)
};

struct KMeansResult {
  std::vector<float> centers;        // k x D
  std::vector<std::int32_t> labels;  // N
  double inertia = 0.0;              // sum of squared distances to the assigned centre
  std::size_t n_iter = 0;
};

KMeansResult kmeans(const FeatureView& X, const KMeansParams& params, const ExecOptions& exec);

// Mean silhouette coefficient over a seeded sample of at most sample_size
// leads (0 = all), Euclidean distance; labels in [0, k). A lead alone in its
// cluster (within the sample) scores 0, as in scikit-learn.
double silhouette(const FeatureView& X, const std::int32_t* labels, std::size_t k,
                  std::size_t sample_size, std::uint64_t seed, const ExecOptions& exec);

}  // namespace leadkit::engine
