/* The machine's limits that bound leadkit's kernels, as plain C functions in
 * one small shared library (libleadkit_limits.so), so that a limit is run in
 * the same process as the kernel it bounds, its runs alternating with the
 * kernel's: by leadkit_bench's BM_Limit* benchmarks (C API rows) and, through
 * ctypes, by compare_peers.py (Python rows). A shared VM's FMA and memory
 * throughput move by up to 1.5x from one minute to the next; a limit measured
 * at another moment, or in another process, would measure the phase.
 *
 * Every function runs its loop on `threads` threads at once (the calling one
 * and threads - 1 started for the call, as a kernel's pool would run them)
 * and returns 0 on success, or -1 when `threads` or a size is out of range
 * (named on stderr). These are measuring loops, not an API: the contents of
 * the arrays are not checked (a check would be a second pass inside the
 * timing); the callers pass arrays they built, leads in [0, n_leads) and
 * types in [0, n_types). None allocates. */
#ifndef LEADKIT_BENCH_LIMITS_H
#define LEADKIT_BENCH_LIMITS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The FP32 lanes of the widest FMA unit this CPU has (16 with AVX-512, 8
 * with AVX2+FMA), or 0 when it has neither (no FMA limit on this machine). */
int lkb_fma_lanes(void);

/* The FMA peak: each thread runs `iterations` x 12 independent FMA chains
 * at the widest width, and *out_flop receives the FP32 FLOPs done by all the
 * threads together (2 x lanes x 12 x iterations x threads). Divide by the
 * call's wall time for FLOP/s. threads in [1, 256], iterations >= 1. */
int lkb_fma_peak(int threads, int64_t iterations, double* out_flop);

/* Streaming read bandwidth: XOR of n 64-bit words, split among the threads;
 * *out_xor receives the XOR (so the reads cannot be dropped). */
int lkb_read(const uint64_t* data, size_t n, int threads, uint64_t* out_xor);

/* Random scatter-add: sums[lead[i]] += w[i] over n events, each thread on
 * its share of the events into its own n_leads sums at sums + t * n_leads
 * (threads x n_leads floats, no atomics), the sum prefetched 32 events
 * ahead. */
int lkb_scatter_add(const int32_t* lead, const float* w, size_t n, size_t n_leads, int threads, float* sums);

/* The same scatter fed by events as engagement decay reads them (lead 4
 * bytes, type 4, time 8: 16 bytes each) with no arithmetic beyond a table
 * lookup and a conversion: sums[lead[i]] += table[type[i]] + (float)time[i]. */
int lkb_scatter_add_events(const int32_t* lead, const int32_t* type, const double* time, size_t n,
                           const float* table, size_t n_types, size_t n_leads, int threads, float* sums);

#ifdef __cplusplus
}
#endif

#endif
