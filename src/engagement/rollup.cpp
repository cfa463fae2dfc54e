#include "engagement/rollup.hpp"

#include <cmath>
#include <limits>
#include <vector>

#include "core/error.hpp"

namespace leadkit::engine {

void rollup(const float* values, const std::int32_t* account, std::size_t n,
            std::size_t n_accounts, float threshold, float* out_sum, float* out_max,
            float* out_mean, std::int64_t* out_count, std::int64_t* out_leads) {
  if (n_accounts == 0) fail(LK_ERR_INVALID_ARGUMENT, "n_accounts: must be at least 1");
  if (n_accounts > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
    fail(LK_ERR_INVALID_ARGUMENT, "n_accounts: exceeds the int32 account code range");
  if (n > 0 && values == nullptr) fail(LK_ERR_NULL_POINTER, "values: is NULL");
  if (n > 0 && account == nullptr) fail(LK_ERR_NULL_POINTER, "account: is NULL");
  if (std::isnan(threshold)) fail(LK_ERR_NOT_FINITE, "threshold: is NaN");
  const auto A = static_cast<std::int64_t>(n_accounts);
  for (std::size_t i = 0; i < n; ++i) {
    if (account[i] < -1 || account[i] >= A)
      fail(LK_ERR_INVALID_ARGUMENT, "account[", i, "]: code ", account[i], " is out of range [0, ",
           n_accounts, ") (use -1 for a lead without an account)");
    if (!std::isfinite(values[i])) fail(LK_ERR_NOT_FINITE, "values[", i, "]: is not finite");
  }
  std::vector<double> sum(n_accounts, 0.0);
  std::vector<float> mx(n_accounts, -std::numeric_limits<float>::infinity());
  std::vector<std::int64_t> count(n_accounts, 0), leads(n_accounts, 0);
  for (std::size_t i = 0; i < n; ++i) {
    if (account[i] < 0) continue;
    const auto a = static_cast<std::size_t>(account[i]);
    sum[a] += static_cast<double>(values[i]);
    if (values[i] > mx[a]) mx[a] = values[i];
    count[a] += values[i] > threshold;
    ++leads[a];
  }
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (std::size_t a = 0; a < n_accounts; ++a) {
    if (out_sum) out_sum[a] = static_cast<float>(sum[a]);
    if (out_max) out_max[a] = leads[a] ? mx[a] : nan;
    if (out_mean) out_mean[a] = leads[a] ? static_cast<float>(sum[a] / static_cast<double>(leads[a])) : nan;
    if (out_count) out_count[a] = count[a];
    if (out_leads) out_leads[a] = leads[a];
  }
}

}  // namespace leadkit::engine
