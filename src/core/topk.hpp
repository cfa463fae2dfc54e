// Keeping the k entries of largest magnitude, largest first, in two small
// caller arrays (k is a handful: reasons per lead). Ties keep the earlier
// entry first, so explanations are stable. No allocation, no sort.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

namespace leadkit::engine {

struct TopK {
  std::int32_t* index;
  float* value;
  std::size_t k;
  std::size_t m = 0;  // filled so far

  void offer(std::int32_t i, float v) noexcept {
    const float mag = std::fabs(v);
    std::size_t pos = m;
    while (pos > 0 && std::fabs(value[pos - 1]) < mag) --pos;
    if (pos >= k) return;
    for (std::size_t j = (m < k ? m : k - 1); j > pos; --j) {
      index[j] = index[j - 1];
      value[j] = value[j - 1];
    }
    index[pos] = i;
    value[pos] = v;
    if (m < k) ++m;
  }
  // Pads the unused slots with -1 / 0.
  void finish() noexcept {
    for (std::size_t j = m; j < k; ++j) {
      index[j] = -1;
      value[j] = 0.0f;
    }
  }
};

}  // namespace leadkit::engine
