// The machine limits of limits.h. The loops moved here unchanged from
// bench_limits.cpp and bench_persona.cpp, so that leadkit_bench and
// compare_peers.py (through ctypes) run the same code.
#include "limits.h"

#include <cstdio>
#include <thread>
#include <vector>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace {

bool bad_threads(int threads, const char* fn) {
  if (threads >= 1 && threads <= 256) return false;
  std::fprintf(stderr, "%s: threads: expected 1..256, got %d\n", fn, threads);
  return true;
}

// Runs body(t) for t in [0, threads) at once: t = 0 on the calling thread.
template <typename Body>
void on_threads(int threads, const Body& body) {
  std::vector<std::thread> pool;
  pool.reserve(static_cast<std::size_t>(threads - 1));
  for (int t = 1; t < threads; ++t) pool.emplace_back(body, t);
  body(0);
  for (auto& th : pool) th.join();
}

#if defined(__x86_64__) && defined(__GNUC__)
// 12 independent FMA chains per vector width: 12 named accumulators (an
// array would live in memory); the empty asm keeps every FMA without adding
// an instruction.
#define LK_FMA12(T, FMA)                                                                    \
  T a0 = init, a1 = init, a2 = init, a3 = init, a4 = init, a5 = init, a6 = init, a7 = init, \
    a8 = init, a9 = init, a10 = init, a11 = init;                                           \
  for (std::int64_t i = 0; i < n; ++i) {                                                    \
    a0 = FMA(a0, b, c);                                                                     \
    a1 = FMA(a1, b, c);                                                                     \
    a2 = FMA(a2, b, c);                                                                     \
    a3 = FMA(a3, b, c);                                                                     \
    a4 = FMA(a4, b, c);                                                                     \
    a5 = FMA(a5, b, c);                                                                     \
    a6 = FMA(a6, b, c);                                                                     \
    a7 = FMA(a7, b, c);                                                                     \
    a8 = FMA(a8, b, c);                                                                     \
    a9 = FMA(a9, b, c);                                                                     \
    a10 = FMA(a10, b, c);                                                                   \
    a11 = FMA(a11, b, c);                                                                   \
    __asm__ volatile("" : "+v"(a0), "+v"(a1), "+v"(a2), "+v"(a3), "+v"(a4), "+v"(a5));      \
    __asm__ volatile("" : "+v"(a6), "+v"(a7), "+v"(a8), "+v"(a9), "+v"(a10), "+v"(a11));    \
  }

__attribute__((target("avx512f"))) double fma_peak_512(std::int64_t n) {
  const __m512 init = _mm512_set1_ps(1.0f), b = _mm512_set1_ps(0.999999f), c = _mm512_set1_ps(1e-7f);
  LK_FMA12(__m512, _mm512_fmadd_ps)
  alignas(64) float t[16];
  _mm512_store_ps(
      t, _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)),
                       _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(a4, a5), _mm512_add_ps(a6, a7)),
                                     _mm512_add_ps(_mm512_add_ps(a8, a9), _mm512_add_ps(a10, a11)))));
  return double(t[0]);
}
__attribute__((target("avx2,fma"))) double fma_peak_256(std::int64_t n) {
  const __m256 init = _mm256_set1_ps(1.0f), b = _mm256_set1_ps(0.999999f), c = _mm256_set1_ps(1e-7f);
  LK_FMA12(__m256, _mm256_fmadd_ps)
  alignas(32) float t[8];
  _mm256_store_ps(
      t, _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)),
                       _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(a4, a5), _mm256_add_ps(a6, a7)),
                                     _mm256_add_ps(_mm256_add_ps(a8, a9), _mm256_add_ps(a10, a11)))));
  return double(t[0]);
}
#undef LK_FMA12
#endif

// An integer XOR-reduction vectorises without -ffast-math and runs far above
// memory speed, so this measures memory only.
std::uint64_t xor_range(const std::uint64_t* p, std::size_t n) noexcept {
  std::uint64_t a = 0, b = 0, c = 0, d = 0;
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    a ^= p[i];
    b ^= p[i + 1];
    c ^= p[i + 2];
    d ^= p[i + 3];
  }
  for (; i < n; ++i) a ^= p[i];
  return a ^ b ^ c ^ d;
}

void scatter_range(const std::int32_t* lead, const float* w, std::size_t n, float* sums) noexcept {
  for (std::size_t i = 0; i < n; ++i) {
    if (i + 32 < n) __builtin_prefetch(sums + lead[i + 32], 1);
    sums[static_cast<std::size_t>(lead[i])] += w[i];
  }
}

void scatter_events(const std::int32_t* lead, const std::int32_t* type, const double* time, std::size_t n,
                    const float* table, float* sums) noexcept {
  for (std::size_t i = 0; i < n; ++i) {
    if (i + 32 < n) __builtin_prefetch(sums + lead[i + 32], 1);
    sums[static_cast<std::size_t>(lead[i])] += table[type[i]] + static_cast<float>(time[i]);
  }
}

// The [begin, end) share of n items of thread t of `threads` (the last takes the remainder).
std::size_t share_begin(std::size_t n, int threads, int t) {
  return n / static_cast<std::size_t>(threads) * static_cast<std::size_t>(t);
}
std::size_t share_end(std::size_t n, int threads, int t) {
  return t + 1 == threads ? n : share_begin(n, threads, t + 1);
}

}  // namespace

extern "C" {

int lkb_fma_lanes(void) {
#if defined(__x86_64__) && defined(__GNUC__)
  if (__builtin_cpu_supports("avx512f")) return 16;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 8;
#endif
  return 0;
}

int lkb_fma_peak(int threads, int64_t iterations, double* out_flop) {
  if (bad_threads(threads, "lkb_fma_peak")) return -1;
  if (iterations < 1 || out_flop == nullptr) {
    std::fprintf(stderr, "lkb_fma_peak: iterations: expected >= 1 and out_flop not NULL\n");
    return -1;
  }
  const int lanes = lkb_fma_lanes();
  if (lanes == 0) {
    std::fprintf(stderr, "lkb_fma_peak: this CPU has no FMA unit this benchmark knows\n");
    return -1;
  }
#if defined(__x86_64__) && defined(__GNUC__)
  std::vector<double> sink(static_cast<std::size_t>(threads));
  on_threads(threads, [&](int t) {
    sink[static_cast<std::size_t>(t)] = lanes == 16 ? fma_peak_512(iterations) : fma_peak_256(iterations);
  });
  volatile double keep = sink[0];
  (void)keep;
#endif
  *out_flop = 2.0 * lanes * 12.0 * static_cast<double>(iterations) * threads;
  return 0;
}

int lkb_read(const uint64_t* data, size_t n, int threads, uint64_t* out_xor) {
  if (bad_threads(threads, "lkb_read")) return -1;
  if (data == nullptr || out_xor == nullptr) {
    std::fprintf(stderr, "lkb_read: data and out_xor must not be NULL\n");
    return -1;
  }
  std::vector<std::uint64_t> sink(static_cast<std::size_t>(threads));
  on_threads(threads, [&](int t) {
    const std::size_t b = share_begin(n, threads, t);
    sink[static_cast<std::size_t>(t)] = xor_range(data + b, share_end(n, threads, t) - b);
  });
  std::uint64_t x = 0;
  for (const auto s : sink) x ^= s;
  *out_xor = x;
  return 0;
}

int lkb_scatter_add(const int32_t* lead, const float* w, size_t n, size_t n_leads, int threads, float* sums) {
  if (bad_threads(threads, "lkb_scatter_add")) return -1;
  if (lead == nullptr || w == nullptr || sums == nullptr || n_leads == 0) {
    std::fprintf(stderr, "lkb_scatter_add: lead, w and sums must not be NULL, n_leads >= 1\n");
    return -1;
  }
  on_threads(threads, [&](int t) {
    const std::size_t b = share_begin(n, threads, t);
    scatter_range(lead + b, w + b, share_end(n, threads, t) - b, sums + static_cast<std::size_t>(t) * n_leads);
  });
  return 0;
}

int lkb_scatter_add_events(const int32_t* lead, const int32_t* type, const double* time, size_t n,
                           const float* table, size_t n_types, size_t n_leads, int threads, float* sums) {
  if (bad_threads(threads, "lkb_scatter_add_events")) return -1;
  if (lead == nullptr || type == nullptr || time == nullptr || table == nullptr || sums == nullptr ||
      n_types == 0 || n_leads == 0) {
    std::fprintf(stderr,
                 "lkb_scatter_add_events: lead, type, time, table and sums must not be NULL, "
                 "n_types and n_leads >= 1\n");
    return -1;
  }
  on_threads(threads, [&](int t) {
    const std::size_t b = share_begin(n, threads, t);
    scatter_events(lead + b, type + b, time + b, share_end(n, threads, t) - b, table,
                   sums + static_cast<std::size_t>(t) * n_leads);
  });
  return 0;
}

}  // extern "C"
