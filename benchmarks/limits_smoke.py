#!/usr/bin/python3
"""Smoke test of libleadkit_limits and of compare_peers.py's use of it (ctest:
leadkit_limits_smoke): each loop of limits.h computes what it claims on small
inputs (the scatter sums and the XOR against numpy, the FLOP count), a bad
thread count is refused with -1 and a message naming it, and
compare_peers.Limits / alternate() return rates from those loops.

    limits_smoke.py LIBLEADKIT_LIMITS
"""
import ctypes
import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare_peers  # noqa: E402


def main(path):
    lib = ctypes.CDLL(path)
    P, sz = ctypes.c_void_p, ctypes.c_size_t
    ptr = lambda a: a.ctypes.data_as(P)  # noqa: E731
    lib.lkb_fma_peak.argtypes = [ctypes.c_int, ctypes.c_int64, ctypes.POINTER(ctypes.c_double)]
    lib.lkb_read.argtypes = [P, sz, ctypes.c_int, ctypes.POINTER(ctypes.c_uint64)]
    lib.lkb_scatter_add.argtypes = [P, P, sz, sz, ctypes.c_int, P]
    lib.lkb_scatter_add_events.argtypes = [P, P, P, sz, P, sz, sz, ctypes.c_int, P]

    rng = np.random.default_rng(3)
    n, n_leads, threads = 10_001, 97, 2
    lead = rng.integers(0, n_leads, n, dtype=np.int32)
    etype = rng.integers(0, 8, n, dtype=np.int32)
    etime = rng.uniform(0, 4, n)
    w = rng.standard_normal(n).astype(np.float32)
    table = np.arange(1, 9, dtype=np.float32)
    # Thread t's share of the events into its own sums at t * n_leads; the
    # last thread takes the remainder.
    cut = [0, n // threads, n]

    def want(values):
        out = np.zeros((threads, n_leads), np.float64)
        for t in range(threads):
            np.add.at(out[t], lead[cut[t]:cut[t + 1]], values[cut[t]:cut[t + 1]])
        return out.ravel()

    sums = np.zeros(threads * n_leads, np.float32)
    assert lib.lkb_scatter_add(ptr(lead), ptr(w), n, n_leads, threads, ptr(sums)) == 0
    assert np.allclose(sums, want(w.astype(np.float64)), atol=1e-3), "lkb_scatter_add: wrong sums"
    sums[:] = 0
    assert lib.lkb_scatter_add_events(ptr(lead), ptr(etype), ptr(etime), n, ptr(table), 8, n_leads, threads,
                                      ptr(sums)) == 0
    ev = table[etype].astype(np.float64) + etime.astype(np.float32)
    assert np.allclose(sums, want(ev), rtol=1e-5), "lkb_scatter_add_events: wrong sums"

    words = rng.integers(0, 2**63, 1001, dtype=np.uint64)
    x = ctypes.c_uint64()
    assert lib.lkb_read(ptr(words), len(words), 3, ctypes.byref(x)) == 0
    assert x.value == int(np.bitwise_xor.reduce(words)), "lkb_read: wrong XOR"

    flop = ctypes.c_double()
    lanes = lib.lkb_fma_lanes()
    if lanes:
        assert lib.lkb_fma_peak(2, 1000, ctypes.byref(flop)) == 0
        assert flop.value == 2 * lanes * 12 * 1000 * 2, f"lkb_fma_peak: {flop.value} FLOPs"

    # Bad arguments: -1 and a message naming the argument (on stderr, so in a child).
    probe = ("import ctypes, sys; lib = ctypes.CDLL(sys.argv[1]); "
             "lib.lkb_fma_peak.argtypes = [ctypes.c_int, ctypes.c_int64, ctypes.c_void_p]; "
             "d = ctypes.c_double(); sys.exit(10 + lib.lkb_fma_peak(0, 10, ctypes.addressof(d)))")
    r = subprocess.run([sys.executable, "-c", probe, path], capture_output=True, text=True)
    assert r.returncode == 9 and "threads: expected 1..256, got 0" in r.stderr, (r.returncode, r.stderr)

    # compare_peers's side: rates from the loops, medians and the paired
    # fraction from alternate().
    limits = compare_peers.Limits(path)
    rate = limits.scatter_add_events(lead, etype, etime, table, n_leads, 1)
    t, r, f = compare_peers.alternate(lambda: sum(range(1000)), rate, 3, 1000)
    assert t > 0 and r > 0 and f > 0, (t, r, f)
    peak = limits.fma_peak(1, seconds=0.001)
    if lanes:
        assert peak() > 0
    else:
        assert peak is None
    assert compare_peers.alternate(lambda: None, None, 3, 1)[1:] == (None, None)
    # Huge-page zeros: aligned to 2 MiB, zero, writable, the size asked for.
    z = compare_peers.huge_zeros(1000003, np.float32)
    assert z.shape == (1000003,) and z.dtype == np.float32 and not z.any() and z.ctypes.data % (2 << 20) == 0
    z[-1] = 1.0
    # The read loop through Limits: the bytes of the array it was given.
    words = np.arange(1 << 16, dtype=np.uint64)
    assert limits.read(words.view(np.float32).reshape(-1, 64), 2)() > 0
    # Paired fractions: each round's rate over that round's limit, then the
    # median, not the ratio of the medians (here the rounds give 1, 4 and 1,
    # the medians 10 / 1 / 2.5 = 4).
    assert compare_peers.paired_fractions(10.0, [1.0, 1.0, 4.0], [10.0, 2.5, 2.5]) == 1.0
    assert compare_peers.paired_fractions(10.0, [1.0, 1.0, 1.0], [10.0, 20.0, 40.0]) == 0.5
    print("leadkit_limits: ok")


if __name__ == "__main__":
    main(sys.argv[1])
