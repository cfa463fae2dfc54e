#include "kernels/linear.hpp"

#include <cmath>

#include "kernels/isa.hpp"

namespace leadkit::kernels {

float sigmoid(float z) noexcept {
  if (z >= 0.0f) return 1.0f / (1.0f + std::exp(-z));
  const float e = std::exp(z);
  return e / (1.0f + e);
}

std::size_t linear_rows(const float* X, std::size_t begin, std::size_t end, std::size_t cols,
                        std::size_t stride, const float* w, float b, Link link, float* out) noexcept {
  return active().linear_rows(X, begin, end, cols, stride, w, b, link, out);
}

}  // namespace leadkit::kernels
