#include "kernels/linear.hpp"

#include <Eigen/Core>
#include <cmath>

namespace leadkit::kernels {

float sigmoid(float z) noexcept {
  if (z >= 0.0f) return 1.0f / (1.0f + std::exp(-z));
  const float e = std::exp(z);
  return e / (1.0f + e);
}

namespace {

using RowMap = Eigen::Map<const Eigen::VectorXf, Eigen::Unaligned>;

template <Link L>
std::size_t linear_rows_impl(const float* X, std::size_t begin, std::size_t end, std::size_t cols,
                             std::size_t stride, const float* w, float b, float* out) noexcept {
  const auto n = static_cast<Eigen::Index>(cols);
  const RowMap wv(w, n);
  std::size_t first_bad = end;
  for (std::size_t i = begin; i < end; ++i) {
    // Eigen's dot product reduces with SIMD packets and a fixed association
    // order, so a row's score does not depend on which thread computes it.
    const float s = RowMap(X + i * stride, n).dot(wv) + b;
    if (!std::isfinite(s) && first_bad == end) first_bad = i;
    out[i] = (L == Link::sigmoid) ? sigmoid(s) : s;
  }
  return first_bad;
}

}  // namespace

std::size_t linear_rows(const float* X, std::size_t begin, std::size_t end, std::size_t cols,
                        std::size_t stride, const float* w, float b, Link link, float* out) noexcept {
  return link == Link::sigmoid ? linear_rows_impl<Link::sigmoid>(X, begin, end, cols, stride, w, b, out)
                               : linear_rows_impl<Link::identity>(X, begin, end, cols, stride, w, b, out);
}

}  // namespace leadkit::kernels
