#include <cstdlib>
#include <cstring>

#include "kernels/isa.hpp"

namespace leadkit::kernels {

const char* isa_name(Isa isa) noexcept {
  switch (isa) {
    case Isa::baseline: return "baseline";
    case Isa::avx2: return "avx2";
    case Isa::avx512: return "avx512";
  }
  return "unknown";
}

Isa detected_isa() noexcept {
#if defined(LEADKIT_HAVE_X86_VARIANTS)
  // libgcc's checks include the OS's XSAVE support for the wider registers.
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
      __builtin_cpu_supports("fma"))
    return Isa::avx512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return Isa::avx2;
#endif
  return Isa::baseline;
}

bool compiled(Isa isa) noexcept {
#if defined(LEADKIT_HAVE_X86_VARIANTS)
  return static_cast<int>(isa) >= 0 && static_cast<int>(isa) < kIsaCount;
#else
  return isa == Isa::baseline;
#endif
}

const KernelTable* table_for(Isa isa) noexcept {
  if (static_cast<int>(isa) > static_cast<int>(detected_isa())) return nullptr;
  switch (isa) {
    case Isa::baseline: return &baseline::table;
#if defined(LEADKIT_HAVE_X86_VARIANTS)
    case Isa::avx2: return &avx2::table;
    case Isa::avx512: return &avx512::table;
#else
    default: return nullptr;
#endif
  }
  return nullptr;
}

namespace {

Isa choose() noexcept {
  Isa isa = detected_isa();
  if (const char* cap = std::getenv("LEADKIT_ISA")) {
    for (int i = 0; i < kIsaCount; ++i) {
      const auto candidate = static_cast<Isa>(i);
      if (std::strcmp(cap, isa_name(candidate)) == 0 &&
          static_cast<int>(candidate) < static_cast<int>(isa))
        isa = candidate;
    }
  }
  return isa;
}

}  // namespace

const KernelTable& active() noexcept {
  static const KernelTable* const t = table_for(choose());
  return *t;
}

}  // namespace leadkit::kernels
