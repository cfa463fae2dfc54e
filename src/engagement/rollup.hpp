// Account roll-up: B2B buying is done by groups, so per-lead values (engagement,
// fit, total) are aggregated to the lead's account.
#pragma once

#include <cstddef>
#include <cstdint>

namespace leadkit::engine {

// For every account a in [0, n_accounts): out_sum[a], out_max[a], out_mean[a]
// over the leads with account[i] == a, out_count[a] = leads with value > threshold,
// out_leads[a] = leads. account[i] == -1 means no account (skipped). An account
// without leads gets sum 0, count 0, and NaN max and mean. Any output may be
// null (not computed). Values must be finite; nothing is written on error.
void rollup(const float* values, const std::int32_t* account, std::size_t n,
            std::size_t n_accounts, float threshold, float* out_sum, float* out_max,
            float* out_mean, std::int64_t* out_count, std::int64_t* out_leads);

}  // namespace leadkit::engine
