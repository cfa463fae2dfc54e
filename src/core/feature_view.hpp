// A non-owning view of an N x D float32 row-major feature matrix whose rows may
// be padded (row_stride >= cols). This is how caller memory (C arrays, numpy
// C-order arrays, slices of them) reaches the kernels without a copy.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "core/error.hpp"

namespace leadkit::engine {

// The first of x[0 .. n) that is NaN or infinite, or n. The usual answer (n)
// comes from a scan of the exponent bits that the compiler vectorises.
inline std::size_t first_not_finite(const float* x, std::size_t n) noexcept {
  std::uint32_t any = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t b;
    std::memcpy(&b, x + i, sizeof b);
    any |= (~b & 0x7f800000u) == 0 ? 1u : 0u;
  }
  if (any == 0) return n;
  for (std::size_t i = 0; i < n; ++i)
    if (!std::isfinite(x[i])) return i;
  return n;
}

struct FeatureView {
  const float* data = nullptr;
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::size_t row_stride = 0;  // in floats

  const float* row(std::size_t i) const noexcept { return data + i * row_stride; }

  // Checks the shape against what a model expects; `name` is the argument's
  // name as the caller knows it ("X").
  void validate(const char* name, std::size_t expected_cols) const {
    if (rows == 0) fail(LK_ERR_INVALID_ARGUMENT, name, ": empty batch (0 rows); pass at least one lead");
    if (data == nullptr) fail(LK_ERR_NULL_POINTER, name, ": data pointer is NULL");
    if (cols != expected_cols)
      fail(LK_ERR_DIMENSION_MISMATCH, name, ": has ", cols, " columns but the model expects ",
           expected_cols);
    if (row_stride < cols)
      fail(LK_ERR_DIMENSION_MISMATCH, name, ": row_stride ", row_stride,
           " is smaller than the number of columns ", cols);
    // rows * row_stride must be addressable: reject sizes that overflow size_t.
    if (row_stride != 0 && rows > (static_cast<std::size_t>(-1) / sizeof(float)) / row_stride)
      fail(LK_ERR_INVALID_ARGUMENT, name, ": ", rows, " rows x stride ", row_stride,
           " overflows the address space");
  }
};

}  // namespace leadkit::engine
