// Software prefetch of the rows a loop will read next, shared by the kernels
// and the engine code that drives them. One core cannot keep enough cache
// misses in flight with the hardware prefetcher alone (logistic scoring of
// 2M leads at 1 thread: 1.39x with these prefetches than without, same-run
// A/B). The distance is 6 KiB, faster than 4 KiB on one thread in most
// measurements but not all: the best distance depends on where the rows sit
// modulo 4 KiB, which a caller's allocator decides, and 8 KiB or more is
// slower (the core's miss buffers fill up); docs/ARCHITECTURE.md has the
// figures. Data already in cache pays for the requests (0.85x for 10k leads
// scored again and again).
//
// The functions have internal linkage (`static`): every translation unit,
// whatever ISA it is compiled for, keeps its own copy, so the linker can never
// hand a baseline caller the AVX-512 build of one (see simd.hpp). They are
// always inlined: GCC finds that a function doing nothing but prefetches has
// no side effects and deletes the calls to an out-of-line copy (it did, for
// every caller, until tests/abi/check_prefetch.sh was added to catch it).
#pragma once

#include <cstddef>
#include <cstdint>

namespace leadkit::kernels {

constexpr std::size_t kPrefetchAheadBytes = 6144;

// Rows of `row_bytes` each that make up ~6 KiB (at least 1).
static inline std::size_t rows_ahead(std::size_t row_bytes) noexcept {
  return row_bytes == 0 ? 1 : (kPrefetchAheadBytes + row_bytes - 1) / row_bytes;
}

// Asks for bytes [0, bytes) at p: one request per 64-byte line they touch
// (a row need not start on a line; one that does costs no extra request).
// Once: the caller reads the bytes once, soon, and never again, so the
// request is non-temporal (prefetchnta: into the nearest cache, kept out of
// the way of the others); else an ordinary one (prefetcht0).
template <bool Once = false>
__attribute__((always_inline)) static inline void prefetch_span(const void* p, std::size_t bytes) noexcept {
  if (bytes == 0) return;
  const char* c = static_cast<const char*>(p);
  const std::size_t lead = reinterpret_cast<std::uintptr_t>(c) & 63u;  // bytes before p in its line
  for (std::size_t off = 0; off < lead + bytes; off += 64) __builtin_prefetch(c - lead + off, 0, Once ? 0 : 3);
}

// Asks for rows [0, n) of X (row r at X + r * stride floats, `cols` floats
// each): one request per line of the whole span when the rows are back to
// back, else row by row. Once: as for prefetch_span.
template <bool Once = false>
__attribute__((always_inline)) static inline void prefetch_rows(const float* X, std::size_t stride, std::size_t n, std::size_t cols) noexcept {
  if (n == 0 || cols == 0) return;
  if (stride == cols) {
    prefetch_span<Once>(X, n * cols * sizeof(float));
    return;
  }
  for (std::size_t r = 0; r < n; ++r) prefetch_span<Once>(X + r * stride, cols * sizeof(float));
}

}  // namespace leadkit::kernels
