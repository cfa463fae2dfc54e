// How a call runs: the engine-side mirror of lk_exec_options.
#pragma once

#include <cstddef>

namespace leadkit::engine {

struct ExecOptions {
  int threads = 0;  // 0 = all hardware threads
};

}  // namespace leadkit::engine
