// leadkit C++ API: how a call runs.
#pragma once

#include <cstdint>

#include "leadkit/error.hpp"

namespace leadkit {

struct ExecOptions {
  // Worker threads for one call: 0 = all hardware threads, 1 = the calling
  // thread only. Results are bit-identical for any value.
  int threads = 0;

  lk_exec_options to_c() const {
    lk_exec_options o;
    detail::check(lk_exec_options_init(&o));
    o.threads = static_cast<std::int32_t>(threads);
    return o;
  }
};

}  // namespace leadkit
