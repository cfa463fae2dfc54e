// Helpers for the white-box tests: run a callable and report the engine error
// it raised (status or message), or LK_OK / "" if it raised none.
#pragma once

#include <functional>
#include <string>

#include "core/error.hpp"

namespace leadkit::test {

inline lk_status status_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const engine::Error& e) {
    return e.status();
  }
  return LK_OK;
}

inline std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const engine::Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace leadkit::test
