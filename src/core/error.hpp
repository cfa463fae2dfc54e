// Errors inside the engine are exceptions carrying an lk_status; the C API
// boundary (src/c_api) turns them into a status and a thread-local message.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

#include "leadkit/leadkit.h"

namespace leadkit::engine {

class Error : public std::runtime_error {
 public:
  Error(lk_status status, const std::string& message)
      : std::runtime_error(message), status_(status) {}
  lk_status status() const noexcept { return status_; }

 private:
  lk_status status_;
};

// Builds a message from streamable parts: fail(LK_ERR_..., "X: expected ", n, " columns").
template <typename... Parts>
[[noreturn]] void fail(lk_status status, Parts&&... parts) {
  std::ostringstream os;
  (os << ... << std::forward<Parts>(parts));
  throw Error(status, os.str());
}

}  // namespace leadkit::engine
