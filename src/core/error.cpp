#include "core/error.hpp"

// Error is header-only today; this translation unit anchors the engine's
// error vocabulary in the library so later out-of-line helpers have a home.
namespace leadkit::engine {
static_assert(LK_OK == 0, "LK_OK must stay 0: callers test `if (status)`");
}  // namespace leadkit::engine
