// Large benchmark inputs allocated the way numpy allocates any array of
// 4 MiB or more on Linux: aligned to 2 MiB and advised to use transparent
// huge pages (madvise(MADV_HUGEPAGE)). On a machine whose THP setting is
// "madvise" (Debian's default), a plain std::vector of 512 MiB gets 4 KiB
// pages and streams slower (TLB misses) than the same bytes in a numpy
// array, so the C API rows and the Python rows of compare_peers.py would
// otherwise measure different memory, and so would the read-bandwidth limit.
// A host application that streams large feature matrices through leadkit
// gains the same way from allocating them like this.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>
#include <vector>

namespace leadkit_bench {

template <typename T>
struct HugePageAllocator {
  using value_type = T;
  static constexpr std::size_t kMin = std::size_t{4} << 20;   // numpy's threshold
  static constexpr std::size_t kPage = std::size_t{2} << 20;  // a huge page

  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}  // NOLINT: rebinding

  T* allocate(std::size_t n) {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < kMin) return std::allocator<T>().allocate(n);
    const std::size_t rounded = (bytes + kPage - 1) / kPage * kPage;
    void* p = std::aligned_alloc(kPage, rounded);
    if (p == nullptr) throw std::bad_alloc();
    madvise(p, rounded, MADV_HUGEPAGE);  // advice only: without THP it is plain memory
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

}  // namespace leadkit_bench
