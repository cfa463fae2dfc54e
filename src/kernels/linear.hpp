// Linear scoring kernel: score = x . w + b per row, optionally squashed by the
// logistic sigmoid, in one fused pass over the rows (memory-bound: each feature
// byte is read once and the output written once).
#pragma once

#include <cstddef>

namespace leadkit::kernels {

enum class Link { identity, sigmoid };

// Scores rows [begin, end) of a row-major matrix with `cols` columns and a row
// stride of `stride` floats. Returns the index of the first row whose score is
// not finite (a NaN or infinite feature), or `end` if every score is finite.
std::size_t linear_rows(const float* X, std::size_t begin, std::size_t end, std::size_t cols,
                        std::size_t stride, const float* w, float b, Link link, float* out) noexcept;

// The numerically stable logistic function in float: never overflows exp().
float sigmoid(float z) noexcept;

}  // namespace leadkit::kernels
