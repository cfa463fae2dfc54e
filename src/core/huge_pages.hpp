// Storage for the large arrays the library updates at random addresses (the
// engagement state's per-lead sums, batch decay's per-range sums): arrays of
// 2 MiB or more are aligned to 2 MiB and advised to use transparent huge
// pages (madvise(MADV_HUGEPAGE)), as numpy allocates its arrays of 4 MiB or
// more. On a machine whose THP setting is "madvise" (Debian's default) a
// plain std::vector gets 4 KiB pages, and an update at a random lead then
// misses the TLB as well as the cache once the array outgrows the TLB's
// reach. Measured with leadkit_ab (2026-11-29): streaming engagement into a
// 1M-lead state (64 MiB of sums) 1.08-1.28x, batch decay (4 MB of sums per
// range) 1.01-1.03x. Smaller arrays come from the ordinary allocator. The
// advice is only advice: without THP the memory is plain memory. The
// benchmarks allocate their large inputs and outputs with it too
// (benchmarks/huge_pages.hpp).
#pragma once

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>
#include <vector>

namespace leadkit::engine {

template <typename T>
struct HugePageAllocator {
  using value_type = T;
  static constexpr std::size_t kMin = std::size_t{2} << 20;   // one huge page
  static constexpr std::size_t kPage = std::size_t{2} << 20;  // a huge page

  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}  // NOLINT: rebinding

  T* allocate(std::size_t n) {
    if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_alloc();
    const std::size_t bytes = n * sizeof(T);
    if (bytes < kMin) return std::allocator<T>().allocate(n);
    if (bytes > static_cast<std::size_t>(-1) - (kPage - 1)) throw std::bad_alloc();
    const std::size_t rounded = (bytes + kPage - 1) / kPage * kPage;  // aligned_alloc wants a multiple
    void* p = std::aligned_alloc(kPage, rounded);
    if (p == nullptr) throw std::bad_alloc();
#if defined(MADV_HUGEPAGE)
    madvise(p, rounded, MADV_HUGEPAGE);
#endif
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t n) noexcept {
    if (n * sizeof(T) < kMin)
      std::allocator<T>().deallocate(p, n);
    else
      std::free(p);
  }
  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const noexcept {
    return true;
  }
  template <typename U>
  bool operator!=(const HugePageAllocator<U>&) const noexcept {
    return false;
  }
};

template <typename T>
using HugeVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace leadkit::engine
