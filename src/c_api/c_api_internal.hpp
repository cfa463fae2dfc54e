// Shared by the C API translation units (one per concept): the handle types
// and the boundary helpers every entry point uses. Private to the library.
#pragma once

#include <cstddef>
#include <cstring>
#include <exception>
#include <new>
#include <string>

#include "core/error.hpp"
#include "core/exec.hpp"
#include "leadkit/leadkit.h"

namespace leadkit::capi {

using engine::Error;
using engine::fail;

// Stores `message` as this thread's lk_last_error() text and returns status.
lk_status set_error(lk_status status, const char* message) noexcept;

// Runs `body` and maps every exception to a status. The message of a
// successful call is left as it was (errno-like), so callers read it only
// after a failure.
template <typename Body>
lk_status guarded(Body&& body) noexcept {
  try {
    body();
    return LK_OK;
  } catch (const Error& e) {
    return set_error(e.status(), e.what());
  } catch (const std::bad_alloc&) {
    return set_error(LK_ERR_OUT_OF_MEMORY, "out of memory");
  } catch (const std::exception& e) {
    std::string m = std::string("internal error: ") + e.what();
    return set_error(LK_ERR_INTERNAL, m.c_str());
  } catch (...) {
    return set_error(LK_ERR_INTERNAL, "internal error: unknown exception");
  }
}

template <typename T>
void require(const T* p, const char* name) {
  if (p == nullptr) fail(LK_ERR_NULL_POINTER, name, ": is NULL");
}

// lk_exec_options (NULL = defaults) to the engine's options, validated.
engine::ExecOptions exec_from(const lk_exec_options* o);

// The text-getter contract of leadkit.h: query with (NULL, 0), else copy or
// fail with LK_ERR_BUFFER_TOO_SMALL without writing.
void copy_text(const std::string& text, char* buffer, size_t capacity, size_t* out_length,
               const char* what);

}  // namespace leadkit::capi
