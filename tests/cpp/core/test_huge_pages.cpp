// core/huge_pages.hpp: arrays of 2 MiB or more come 2 MiB-aligned (so that
// transparent huge pages can back them), smaller ones from the ordinary
// allocator; both hold what is written, value-initialise to zero, and an
// impossible size is refused with bad_alloc, never a short block.
#include <gtest/gtest.h>

#include <cstdint>
#include <new>

#include "core/huge_pages.hpp"

namespace leadkit::engine {
namespace {

TEST(HugePages, LargeArraysAreAlignedToAHugePage) {
  constexpr std::size_t kPage = std::size_t{2} << 20;
  for (std::size_t n : {std::size_t{524288}, std::size_t{1000000}, std::size_t{3 << 20}}) {  // floats: 2 MiB and up
    HugeVector<float> v(n);
    ASSERT_EQ(reinterpret_cast<std::uintptr_t>(v.data()) % kPage, 0u) << n << " floats";
    for (float x : v) ASSERT_EQ(x, 0.0f);
    v.front() = 1.0f;
    v.back() = 2.0f;
    EXPECT_EQ(v.front() + v.back(), 3.0f);
  }
}

TEST(HugePages, SmallArraysUseTheOrdinaryAllocator) {
  HugeVector<double> v(1000, 0.5);
  double s = 0.0;
  for (double x : v) s += x;
  EXPECT_EQ(s, 500.0);
  v.resize(400000);  // 3.2 MB: moves into a huge-page block, keeping the values
  ASSERT_EQ(reinterpret_cast<std::uintptr_t>(v.data()) % (std::size_t{2} << 20), 0u);
  EXPECT_EQ(v[999], 0.5);
  EXPECT_EQ(v[1000], 0.0);
}

TEST(HugePages, AnImpossibleSizeIsRefused) {
  HugePageAllocator<float> a;
  EXPECT_THROW((void)a.allocate(static_cast<std::size_t>(-1) / sizeof(float)), std::bad_alloc);
  EXPECT_THROW((void)a.allocate(static_cast<std::size_t>(-1) / 2), std::bad_alloc);
}

}  // namespace
}  // namespace leadkit::engine
