/* The pure C11 clients' check macros: each client counts passed and failed
 * checks, prints "N passed, N failed" and exits non-zero on failure. */
#ifndef LEADKIT_TESTS_C_CHECK_H
#define LEADKIT_TESTS_C_CHECK_H

#include <stdio.h>
#include <string.h>

#include "leadkit/leadkit.h"

static int g_passed = 0;
static int g_failed = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (cond) {                                                                \
      ++g_passed;                                                              \
    } else {                                                                   \
      ++g_failed;                                                              \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                          \
  } while (0)

#define CHECK_STATUS(expr, expected)                                                          \
  do {                                                                                        \
    lk_status s_ = (expr);                                                                    \
    if (s_ == (expected)) {                                                                   \
      ++g_passed;                                                                             \
    } else {                                                                                  \
      ++g_failed;                                                                             \
      fprintf(stderr, "%s:%d: %s returned %s (%s), expected %s\n", __FILE__, __LINE__, #expr, \
              lk_status_name(s_), lk_last_error(), #expected);                                \
    }                                                                                         \
  } while (0)

static int contains(const char* haystack, const char* needle) { return strstr(haystack, needle) != NULL; }

/* Prints the summary line and returns the process exit code. */
static int check_summary(const char* suite) {
  printf("%s: %d passed, %d failed\n", suite, g_passed, g_failed);
  return g_failed == 0 ? 0 : 1;
}

#endif /* LEADKIT_TESTS_C_CHECK_H */
