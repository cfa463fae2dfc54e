// 64-byte aligned storage for the buffers the kernels stream through with
// vector loads and stores (persona panels, transposed blocks, per-tile
// scores): a 64-byte access that straddles two cache lines costs two, and
// std::vector<float> only promises malloc's 16-byte alignment.
#pragma once

#include <cstddef>
#include <new>
#include <vector>

namespace leadkit::engine {

template <typename T>
struct CacheAligned {
  using value_type = T;
  static constexpr std::align_val_t kAlign{64};
  CacheAligned() = default;
  template <typename U>
  CacheAligned(const CacheAligned<U>&) noexcept {}
  T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), kAlign)); }
  void deallocate(T* p, std::size_t) noexcept { ::operator delete(p, kAlign); }
  template <typename U>
  bool operator==(const CacheAligned<U>&) const noexcept {
    return true;
  }
  template <typename U>
  bool operator!=(const CacheAligned<U>&) const noexcept {
    return false;
  }
};

template <typename T>
using AlignedVector = std::vector<T, CacheAligned<T>>;

}  // namespace leadkit::engine
