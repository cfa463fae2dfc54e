// leadkit C++ API: errors. The C++ API is header-only over the C API
// (leadkit.h), so it works with any compiler and standard library the host
// product uses, and the shared library exports nothing but lk_* symbols.
#pragma once

#include <stdexcept>
#include <string>

#include "leadkit/leadkit.h"

namespace leadkit {

// Thrown by every C++ API call that fails; status() is the C status code.
class Error : public std::runtime_error {
 public:
  Error(lk_status status, const std::string& message)
      : std::runtime_error(message), status_(status) {}
  lk_status status() const noexcept { return status_; }
  const char* status_name() const noexcept { return lk_status_name(status_); }

 private:
  lk_status status_;
};

namespace detail {
inline void check(lk_status status) {
  if (status != LK_OK) throw Error(status, lk_last_error());
}
}  // namespace detail

// The version of the loaded library ("0.1.0").
inline std::string version() { return lk_version(); }

}  // namespace leadkit
