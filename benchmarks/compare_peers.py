#!/usr/bin/python3
"""Side-by-side peer comparison: leadkit against what an analyst would otherwise
use (numpy on OpenBLAS, pandas, scikit-learn and faiss), on the same data, in
one process, at 1 and 2 threads. Prints a table of
workload, leadkit, best peer, ratio, and the machine limit (measured read
bandwidth, FMA peak or scatter throughput) with leadkit's fraction of it;
--markdown FILE also writes it as BENCHMARKS.md.

    PYTHONPATH=build/release/python /usr/bin/python3 benchmarks/compare_peers.py \
        --bench build/release/benchmarks/leadkit_bench --markdown BENCHMARKS.md

Ratios are what count: this machine is shared and noisy, so every figure here
is compared only with figures from the same run. Each timing is the median of
--repeats runs after one warm-up. A Python row's fraction of its limit is the
median over rounds of leadkit's rate over the limit measured in the same round
(paired_fractions), not the ratio of the two medians.
"""
import argparse
import contextlib
import datetime
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time

# OpenBLAS's idle worker threads spin for 2^28 cycles (~0.1 s here) after a
# call before they sleep. With calls of every side interleaved, a two-thread
# call that started right after a numpy call ran with one of its two cores
# taken by a spinning OpenBLAS thread (leadkit's Scorecard on 2 threads at its
# 1-thread rate: 78-110M against 155-158M leads/s with the spin cut to 2^4
# cycles). So OpenBLAS's threads sleep at once, here and in leadkit_bench,
# which runs OpenBLAS's sgemv beside leadkit's kernels. numpy loses only the
# wake-up of its threads, microseconds on calls of milliseconds. Set before
# numpy loads OpenBLAS; an explicit setting in the environment wins.
os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", "4")

import numpy as np  # noqa: E402

try:
    from threadpoolctl import threadpool_info, threadpool_limits
except ImportError:  # pragma: no cover - Debian's python3-threadpoolctl comes with sklearn
    threadpool_info = None
    threadpool_limits = None

import leadkit


def median_time(fn, repeats):
    return median_times([fn], repeats)[0]


def median_times(fns, repeats, seed=0):
    """median_time for several functions at once, their runs interleaved
    (round_times)."""
    return [statistics.median(t) for t in round_times(fns, repeats, seed)]


def round_times(fns, repeats, seed=0):
    """The functions' times round by round: times[i][r] is fns[i]'s run in
    round r. Round r runs them all, in an order shuffled afresh each round,
    after one warm-up of each, so a slow phase of a shared machine hits every
    side of a comparison alike, and figures from one round can be paired.
    The order is random, not rotated: under a fixed cyclic order one call
    always follows the same other one, and a call after numpy's sigmoid
    (whose freed temporaries glibc hands back to the kernel) pays to fault
    its fresh result pages in every single round."""
    order = random.Random(seed)
    for fn in fns:
        fn()  # warm-up: page faults, thread start, caches
    times = [[] for _ in fns]
    idx = list(range(len(fns)))
    for _ in range(repeats):
        order.shuffle(idx)
        for i in idx:
            t0 = time.perf_counter()
            fns[i]()
            times[i].append(time.perf_counter() - t0)
    return times


def paired_fractions(work, times, limits):
    """A kernel's fraction of its limit, round by round, and its median:
    work / times[r] / limits[r], each round's kernel rate over the limit
    measured in that same round. On a VM whose throughput drifts from one
    minute to the next, the ratio of two runs seconds apart varies far less
    than either run; the median of the ratios is the figure (as leadkit_ab
    reports its A/B ratios), not the ratio of the two medians, which can come
    from different phases."""
    return statistics.median(work / t / lim for t, lim in zip(times, limits))


def blas_threads(n):
    """Caps OpenBLAS (numpy's matmul) at n threads for the peer runs."""
    if threadpool_limits is None:
        return contextlib.nullcontext()
    return threadpool_limits(limits=n, user_api="blas")


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def blas_name():
    if threadpool_info is None:
        return "unknown BLAS"
    for pool in threadpool_info():
        if pool.get("user_api") == "blas":
            return f"{pool.get('internal_api')} {pool.get('version') or ''}".strip()
    return "no BLAS found by threadpoolctl"


def google_benchmark(bench, flt, repetitions=3):
    """Runs leadkit_bench and returns {name: run} from its JSON output: the
    median of `repetitions` runs of each benchmark (one slow run on a shared
    machine does not make the figure), the runs of all the benchmarks
    interleaved in random order (a slow phase of the machine hits both
    sides of a comparison alike)."""
    out = subprocess.run(
        [bench, f"--benchmark_filter={flt}", "--benchmark_format=json",
         "--benchmark_min_time=0.2", f"--benchmark_repetitions={repetitions}",
         "--benchmark_enable_random_interleaving=true", "--benchmark_report_aggregates_only=true"],
        check=True, capture_output=True, text=True).stdout
    return {b["run_name"]: b for b in json.loads(out)["benchmarks"]
            if b.get("aggregate_name", "median") == "median"}


class Limits:
    """The machine limits of libleadkit_limits (benchmarks/limits.h, the
    loops leadkit_bench's BM_Limit* benchmarks run) through ctypes, so that a
    Python row's limit runs in this process, alternating with leadkit's calls
    (alternate()). A shared VM's FMA and scatter throughput move by up to 1.5x
    from one minute to the next: a limit from another moment, or another
    process, would measure the phase, not the kernel. The library is loaded
    on first use (leadkit_bench builds it next to itself; --limits names
    another)."""

    def __init__(self, path):
        import ctypes

        self._c, self._path, self._lib, self._iters = ctypes, path, None, {}

    @property
    def lib(self):
        if self._lib is None:
            ctypes = self._c
            try:
                lib = ctypes.CDLL(self._path)
            except OSError as e:
                sys.exit(f"compare_peers: cannot load the limits library {self._path} ({e}); build it with "
                         "scripts/bench or pass --limits")
            P, i32, i64, sz = ctypes.c_void_p, ctypes.c_int, ctypes.c_int64, ctypes.c_size_t
            lib.lkb_fma_lanes.restype = i32
            lib.lkb_fma_peak.argtypes = [i32, i64, ctypes.POINTER(ctypes.c_double)]
            lib.lkb_scatter_add_events.argtypes = [P, P, P, sz, P, sz, sz, i32, P]
            lib.lkb_read.argtypes = [P, sz, i32, P]
            for fn in (lib.lkb_fma_peak, lib.lkb_scatter_add_events, lib.lkb_read):
                fn.restype = i32
            self._lib = lib
        return self._lib

    def _ok(self, rc, what):
        if rc != 0:
            raise RuntimeError(f"compare_peers: {what} failed (its message is on stderr)")

    def fma_peak(self, threads, seconds=0.05):
        """A function that runs the FMA peak on `threads` threads at once for
        about `seconds` and returns its FLOP/s."""
        if self.lib.lkb_fma_lanes() == 0:
            return None
        flop = self._c.c_double()

        def run(iters):
            t0 = time.perf_counter()
            self._ok(self.lib.lkb_fma_peak(threads, iters, self._c.byref(flop)), "lkb_fma_peak")
            return flop.value / (time.perf_counter() - t0)

        key = (threads, seconds)
        if key not in self._iters:  # iterations for about `seconds`, from a short run
            probe = 1 << 20
            run(probe)
            self._iters[key] = max(probe, int(probe * seconds * run(probe) / (flop.value or 1)))
        return lambda: run(self._iters[key])

    def read(self, array, threads):
        """A function that reads `array` (C-contiguous; its whole 8-byte
        words) on `threads` threads at once, as the read-
        bandwidth limit loop does (lkb_read, the loop of
        BM_LimitReadBandwidth), and returns its bytes/s."""
        assert array.flags.c_contiguous, "Limits.read: the array must be C-contiguous (read in place, not a copy)"
        raw = array.reshape(-1).view(np.uint8)
        words = raw[:raw.size // 8 * 8].view(np.uint64)  # the whole 8-byte words of it
        xor = self._c.c_uint64()
        args = (words.ctypes.data_as(self._c.c_void_p), words.size, threads, self._c.byref(xor))

        def run():
            t0 = time.perf_counter()
            self._ok(self.lib.lkb_read(*args), "lkb_read")
            return words.nbytes / (time.perf_counter() - t0)

        return run

    def scatter_add_events(self, lead, etype, etime, table, n_leads, threads):
        """A function that scatter-adds the given events (16 bytes each, as
        engagement decay reads them) into per-thread sums and returns events/s."""
        ptr = lambda a: a.ctypes.data_as(self._c.c_void_p)  # noqa: E731
        table = np.ascontiguousarray(table, np.float32)
        sums = huge_zeros(threads * n_leads, np.float32)  # as leadkit's own sums (core/huge_pages.hpp)
        assert lead.dtype == np.int32 and etype.dtype == np.int32 and etime.dtype == np.float64
        assert 0 <= lead.min() and lead.max() < n_leads and 0 <= etype.min() and etype.max() < len(table)
        args = (ptr(lead), ptr(etype), ptr(etime), len(lead), ptr(table), len(table), n_leads, threads, ptr(sums))

        def run():
            t0 = time.perf_counter()
            self._ok(self.lib.lkb_scatter_add_events(*args), "lkb_scatter_add_events")
            return len(lead) / (time.perf_counter() - t0)

        return run


def huge_zeros(n, dtype):
    """n zeros of dtype in memory aligned to 2 MiB and advised to use
    transparent huge pages, as leadkit allocates its own large random-access
    arrays (src/core/huge_pages.hpp) and numpy its arrays of 4 MiB or more:
    a limit loop must not run on smaller pages than the kernel it bounds."""
    import mmap

    dtype, page = np.dtype(dtype), 2 << 20
    size = n * dtype.itemsize
    m = mmap.mmap(-1, size + page)  # anonymous: zero-filled
    if hasattr(mmap, "MADV_HUGEPAGE"):
        m.madvise(mmap.MADV_HUGEPAGE)
    raw = np.frombuffer(m, np.uint8)  # keeps the mapping alive
    start = -raw.ctypes.data % page
    return raw[start:start + size].view(dtype)


def alternate(kernel, limit, rounds, work):
    """Runs kernel() (timed) and limit() (returns its own rate) in
    alternation, `rounds` times each after one warm-up of both, the order
    flipped every round; returns (median kernel time, median limit rate,
    fraction of the limit): the fraction is paired_fractions' median of each
    round's work / kernel time / limit rate. Without a limit (None: no FMA
    unit the limits library knows) only the kernel runs, and the last two
    are None."""
    if limit is None:
        return median_time(kernel, rounds), None, None
    kernel()
    limit()
    times, rates = [], []
    for r in range(rounds):
        for which in ((0, 1) if r % 2 == 0 else (1, 0)):
            if which == 0:
                t0 = time.perf_counter()
                kernel()
                times.append(time.perf_counter() - t0)
            else:
                rates.append(limit())
    return statistics.median(times), statistics.median(rates), paired_fractions(work, times, rates)


def bench_args(name, *keys):
    """A Google Benchmark run name's named arguments ("BM_X/K:32/k:1/..."):
    all of them as a dict, or the given keys' integer values as a sort key
    (runs come back in the random order they were interleaved in)."""
    args = dict(part.split(":") for part in name.split("/")[1:] if ":" in part)
    if not keys:
        return args
    return tuple(int(args.get(k, -1)) for k in keys)


class Table:
    def __init__(self):
        self.rows = []

    def add(self, workload, threads, unit, leadkit_value, peer_name, peer_value,
            limit=None, leadkit_bytes_per_s=None, higher_is_better=True, limit_unit="GB/s", frac=None):
        """frac: leadkit's fraction of the limit when it was paired round by
        round (paired_fractions); else leadkit_bytes_per_s / limit."""
        ratio = (leadkit_value / peer_value) if higher_is_better else (peer_value / leadkit_value)
        if frac is None and limit and leadkit_bytes_per_s:
            frac = leadkit_bytes_per_s / limit
        self.rows.append((workload, threads, unit, leadkit_value, peer_name, peer_value, ratio,
                          limit, frac, limit_unit))

    def render(self, markdown=False):
        head = ["workload", "thr", "leadkit", "best peer", "peer", "leadkit/peer",
                "limit", "of limit"]
        lines = []
        for w, t, unit, lv, pn, pv, ratio, limit, frac, lunit in self.rows:
            g = "G" + lunit if lunit != "GB/s" else lunit
            lines.append([w, str(t), f"{fmt(lv)} {unit}", pn, f"{fmt(pv)} {unit}",
                          f"{ratio:.2f}x", f"{limit / 1e9:.1f} {g}" if limit else "-",
                          f"{100 * frac:.0f}%" if frac else "-"])
        if markdown:
            out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
            out += ["| " + " | ".join(r) + " |" for r in lines]
            return "\n".join(out)
        widths = [max(len(r[i]) for r in lines + [head]) for i in range(len(head))]
        fmt_row = lambda r: "  ".join(c.ljust(widths[i]) for i, c in enumerate(r))  # noqa: E731
        return "\n".join([fmt_row(head), fmt_row(["-" * w for w in widths])] +
                         [fmt_row(r) for r in lines])


def fmt(v):
    for scale, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(v) >= scale:
            return f"{v / scale:.2f}{suffix}"
    return f"{v:.3g}"


def encode_workload(n):
    import pandas as pd

    rng = np.random.default_rng(3)
    ind = np.array(["Software", "fintech", "healthcare", "manufacturing", "retail", "education",
                    "media", "telecom", "energy", "government", "other"], dtype=object)
    sen = np.array(["c-level", "VP", "director", "manager", "individual", "student"], dtype=object)
    tags = np.array(["security;cloud", "ai", "", "data;devops;cloud", "gaming"], dtype=object)
    df = pd.DataFrame({
        "employees": np.exp(rng.uniform(1, 11, n)), "visits": rng.integers(0, 40, n).astype(float),
        "industry": ind[rng.integers(0, 11, n)], "seniority": sen[rng.integers(0, 6, n)],
        "is_customer": rng.integers(0, 2, n).astype(bool), "interests": tags[rng.integers(0, 5, n)]})
    schema = leadkit.Schema({"attributes": [
        {"name": "employees", "type": "numeric", "missing": "constant", "impute": 10,
         "clip": [1, 1e6], "bands": [10, 50, 200, 1000, 5000]},
        {"name": "visits", "type": "numeric", "missing": "constant", "log1p": True},
        {"name": "industry", "type": "categorical", "vocabulary": [
            "software", "fintech", "healthcare", "manufacturing", "retail", "education", "media",
            "telecom", "energy", "government"]},
        {"name": "seniority", "type": "categorical", "vocabulary": [
            "c-level", "vp", "director", "manager", "individual", "student"]},
        {"name": "is_customer", "type": "boolean", "missing": "false"},
        {"name": "interests", "type": "tags", "vocabulary": ["security", "cloud", "ai", "data", "devops"]},
    ]})
    return df, schema


def pandas_encode(df):
    """The same encoding as encode_workload's schema, the way pandas users write it."""
    import pandas as pd

    parts = [
        pd.get_dummies(pd.cut(df.employees.clip(1, 1e6), [-np.inf, 10, 50, 200, 1000, 5000, np.inf],
                              right=False)),
        np.log1p(df.visits).to_frame(),
        pd.get_dummies(df.industry.str.strip().str.lower()),
        pd.get_dummies(df.seniority.str.strip().str.lower()),
        df.is_customer.astype(np.float32).to_frame(),
        df.interests.str.get_dummies(sep=";"),
    ]
    return pd.concat(parts, axis=1).to_numpy(np.float32)


def scorecard_workload(n):
    """The example scorecard (examples/data/scorecard.json: its fit model,
    logistic model and grader) widened to D = 64 features, and n encoded leads
    drawn by leadkit.datasets (200k distinct leads, tiled)."""
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[1]
    d = json.loads((root / "examples/data/scorecard.json").read_text())
    # Like for like with the numpy peer: one points model, the logistic model
    # and the grader (no extra fit scores, no personas).
    d["fit"] = d["fit"][:1]
    for key in ("total", "personas", "engagement"):
        d.pop(key, None)
    attrs = d["schema"]["attributes"]
    for a in attrs:
        if a["name"] == "employees":
            a["value"] = True
        if a["name"] == "interests":
            a["unknown"] = "slot"
    attrs.append({"name": "source", "type": "categorical", "missing": "slot",
                  "vocabulary": ["web", "event", "referral", "partner"]})
    d["fit"][0]["rules"].append({"feature": "source=referral", "points": 10})
    sc = leadkit.Scorecard(d)
    leads = leadkit.datasets.make_leads(200_000, seed=9)
    leads["source"] = np.random.default_rng(9).choice(["web", "event", "referral", "partner", None], len(leads))
    X = np.ascontiguousarray(np.tile(sc.transform(leads), (-(-n // len(leads)), 1))[:n])
    return sc, X


def sigmoid_into(X, w, b, out):
    """numpy's sigmoid(X @ w + b) with every step written into `out`: what a
    numpy user does to avoid a fresh array (and its page faults) per step."""
    np.matmul(X, w, out=out)
    np.add(out, b, out=out)
    np.negative(out, out=out)
    np.exp(out, out=out)
    np.add(out, np.float32(1.0), out=out)
    np.reciprocal(out, out=out)


def numpy_scorecard(sc, X):
    """The same points (groups, caps, limit, floor) + logistic, as a numpy user
    writes it: one matmul against every group's points and the weights."""
    d = sc.to_dict()
    names = sc.schema.feature_names
    col = {f: j for j, f in enumerate(names)}
    fit = d["fit"][0]
    groups = [g["name"] for g in fit.get("groups", [])]
    W = np.zeros((len(groups) + 2, len(names)), np.float32)
    for r in fit["rules"]:
        W[groups.index(r["group"]) if "group" in r else len(groups), col[r["feature"]]] += r["points"]
    for f, w in d["logistic"]["weights"].items():
        W[-1, col[f]] = w
    lo = np.array([g.get("min", -np.inf) for g in fit["groups"]], np.float32)
    hi = np.array([g.get("max", np.inf) for g in fit["groups"]], np.float32)
    b = np.float32(d["logistic"]["intercept"])
    limit = np.float32(fit.get("limit", np.inf))

    def run():
        S = X @ W.T
        score = np.clip(S[:, :len(groups)], lo, hi).sum(axis=1) + S[:, len(groups)]
        score = np.maximum(np.minimum(score, limit), 0) if fit.get("floor") else np.minimum(score, limit)
        return score, 1.0 / (1.0 + np.exp(-(S[:, -1] + b)))

    return run


def scorecard_rows(table, args, read_bw, limits):
    N = args.rows
    sc, X = scorecard_workload(N)
    D = X.shape[1]
    w = np.zeros(D, np.float32)
    names = sc.schema.feature_names
    for f, v in sc.to_dict()["logistic"]["weights"].items():
        w[names.index(f)] = v
    b = np.float32(sc.to_dict()["logistic"]["intercept"])
    peer = numpy_scorecard(sc, X)
    got = sc.score_features(X[:5000], k=0, as_frame=False)
    fit_np, p_np = (v[:5000] for v in peer())
    assert np.allclose(got["fit"][:, 0], fit_np, atol=1e-3) and np.allclose(got["probability"], p_np, atol=1e-5)
    bytes_per_row = (D + 5) * 4  # features read; fit, total, probability, grade, stage written
    # Steady state: both sides write into arrays they were given (leadkit's
    # out=, numpy's out=), so neither pays for fresh pages on every call.
    lk_out = sc.score_features(X[:N], k=0, as_frame=False)
    np_out = np.empty(N, np.float32)
    # The read-bandwidth limit of these rows, as for linear scoring, round by
    # round: the fastest pass over the features in that round, by the limit
    # loop (lkb_read), leadkit's linear kernel (X @ w + b into an array it was
    # given) or numpy's X @ w; each row's fraction is the median of its
    # rounds' (paired_fractions).
    linear = leadkit.LogisticModel(w, b)
    lin_out = np.empty(N, np.float32)

    def numpy_sigmoid_out():
        sigmoid_into(X, w, b, np_out)

    for t in args.threads:
        with blas_threads(t):
            t_np = median_time(peer, max(1, args.repeats // 2))
            times = round_times(
                [lambda: sc.score_features(X, k=0, as_frame=False, n_threads=t),
                 lambda: X @ w,
                 lambda: 1.0 / (1.0 + np.exp(-(X @ w + b))),
                 lambda: sc.score_features(X, k=0, as_frame=False, n_threads=t, out=lk_out),
                 lambda: sc.score_features(X, k=0, as_frame=False, n_threads=t, outputs=["fit", "probability"]),
                 lambda: np.matmul(X, w, out=np_out),
                 numpy_sigmoid_out,
                 lambda: linear.decision_function(X, n_threads=t, out=lin_out),
                 limits.read(X, t)],
                args.repeats)
        t_lk, t_xw, t_sig, t_lk_out, t_lk_fp, t_xw_out, t_sig_out, _ = (statistics.median(x) for x in times[:8])
        limits_r = [max(X.nbytes / times[8][r], *(N * (D + 1) * 4 / times[i][r] for i in (1, 5, 7)))
                    for r in range(args.repeats)]
        limit = statistics.median(limits_r)
        frac_all, frac_out = (paired_fractions(N * bytes_per_row, times[i], limits_r) for i in (0, 3))
        fp_bytes = (D + 2) * 4
        frac_fp = paired_fractions(N * fp_bytes, times[4], limits_r)
        label = f"scorecard points+logistic+grade, N={N // 1_000_000}M D={D}"
        table.add(label, t, "leads/s", N / t_lk, "numpy X@w", N / t_xw, limit, frac=frac_all)
        table.add(label, t, "leads/s", N / t_lk, "numpy 1/(1+exp(-(X@w+b)))", N / t_sig, limit, frac=frac_all)
        table.add(label, t, "leads/s", N / t_lk, "numpy same points+logistic", N / t_np, limit, frac=frac_all)
        # What X @ w and the sigmoid give a numpy user: the points and the
        # probability only (outputs=), each side allocating its results.
        label = f"scorecard fit+probability (outputs=), N={N // 1_000_000}M D={D}"
        table.add(label, t, "leads/s", N / t_lk_fp, "numpy X@w", N / t_xw, limit, frac=frac_fp)
        table.add(label, t, "leads/s", N / t_lk_fp, "numpy 1/(1+exp(-(X@w+b)))", N / t_sig, limit, frac=frac_fp)
        label = f"scorecard points+logistic+grade into out= arrays, N={N // 1_000_000}M D={D}"
        table.add(label, t, "leads/s", N / t_lk_out, "numpy matmul(X, w, out=)", N / t_xw_out, limit, frac=frac_out)
        table.add(label, t, "leads/s", N / t_lk_out, "numpy sigmoid, every step out=", N / t_sig_out, limit,
                  frac=frac_out)
    # The same comparison inside one C++ process: the C API (the bench
    # scorecard: 20 rules in 4 capped groups, a limit, a floor, 64 logistic
    # weights, a grader with a matrix) against OpenBLAS's sgemv (numpy's X @ w
    # kernel) on the same 2M leads. "fit+probability" asks for what X @ w
    # gives a numpy user (one number per model and lead, 8 bytes written per
    # lead to sgemv's 4); "all outputs" adds the total, grade and stage.
    # The limit as above: the fastest pass over the leads among the runs
    # interleaved here (leadkit's linear kernel, BM_LogisticDecision, or
    # OpenBLAS's sgemv) or the run's limit benchmark.
    runs = google_benchmark(args.bench, "BM_ScorecardFeatures/rows:2000000/.*/k:0/|BM_PeerOpenBlasSgemv|"
                            "BM_LogisticDecision/rows:2000000/", repetitions=7)
    for name, run in sorted(runs.items(), key=lambda kv: bench_args(kv[0], "out", "threads")):
        if not name.startswith("BM_ScorecardFeatures/"):
            continue
        args_of = bench_args(name)
        t = int(args_of["threads"])
        peer = runs.get(f"BM_PeerOpenBlasSgemv/rows:2000000/threads:{t}/real_time")
        if peer is None:
            continue
        asked = "fit+probability" if args_of["out"] == "1" else "all outputs"
        lin = runs.get(f"BM_LogisticDecision/rows:2000000/cols:64/threads:{t}/real_time")
        limit = max(read_bw.get(t, 0.0), peer["bytes_per_second"], lin["bytes_per_second"] if lin else 0.0)
        table.add(f"scorecard via C API, {asked}, N=2M D=64", t, "leads/s", run["items_per_second"],
                  "OpenBLAS sgemv X@w (C, same process)", peer["items_per_second"], limit,
                  run["bytes_per_second"])
    single = google_benchmark(args.bench, "BM_ScorecardSingleLead")
    c_ns = next(iter(single.values()))["real_time"]
    one = X[:1]
    t_np1 = median_time(lambda: [peer_one(one, w, b) for _ in range(10_000)], args.repeats) / 10_000
    table.add("scorecard single lead via C API (vs numpy from Python)", 1, "s/lead", c_ns * 1e-9,
              "numpy sigmoid", t_np1, higher_is_better=False)


def training_rows(table, args):
    """Learning the logistic model: leadkit's Newton solver against
    scikit-learn's LogisticRegression (lbfgs, the default) on the same encoded
    leads, same C, each run to its own convergence; both reach the same
    objective (checked)."""
    from sklearn.linear_model import LogisticRegression

    sc, X = scorecard_workload(args.rows // 4)
    y = np.tile(leadkit.datasets.make_leads(200_000, seed=9)["converted"].to_numpy(),
                -(-len(X) // 200_000))[:len(X)]

    def objective(coef, intercept):
        z = X.astype(np.float64) @ np.ravel(coef) + float(np.ravel(intercept)[0])
        return np.sum(np.logaddexp(0, z) - y * z) + 0.5 * np.sum(np.square(coef))

    for t in args.threads:
        lk = leadkit.LeadScoreClassifier(C=1.0, n_threads=t)
        sk = LogisticRegression(C=1.0, tol=1e-6, max_iter=2000)
        with blas_threads(t):
            t_lk = median_time(lambda: lk.fit(X, y), max(1, args.repeats // 3))
            t_sk = median_time(lambda: sk.fit(X, y), max(1, args.repeats // 3))
        f_lk, f_sk = objective(lk.coef_, lk.intercept_), objective(sk.coef_, sk.intercept_)
        assert f_lk <= f_sk * (1 + 1e-6), (f_lk, f_sk)
        table.add(f"logistic training, N={len(X) // 1000}k D={X.shape[1]} ({lk.n_iter_[0]} vs {sk.n_iter_[0]} it)",
                  t, "fits/s", 1 / t_lk, "sklearn LogisticRegression(lbfgs)", 1 / t_sk)


def peer_one(x, w, b):
    return 1.0 / (1.0 + np.exp(-(x @ w + b)))


def engagement_workload(table, bench, limits, threads, repeats, n_events=20_000_000, n_leads=1_000_000):
    """Batch engagement decay (the issue's workload): 20M events over 1M leads,
    8 event types with exponential decay, against numpy's
    np.bincount(lead, weights=points[t] * np.exp(-ln2 * age / half_life[t])) on
    the same arrays; and streaming apply (time-ordered chunks of 65536 events
    into an EngagementState) against the same numpy formula. The bytes are the
    events read (lead int32, type int32, time float64: 16 per event), but each
    event also adds into a random lead's score, so streaming bandwidth alone is
    no bound: the limit column is the machine's random scatter-add throughput
    over those same 16-byte events (BM_LimitScatterAddEvents: sums[lead[i]] +=
    table[type[i]] + float(time[i]), 20M events into 1M leads, the sum
    prefetched ahead), the memory traffic of decay with none of its
    arithmetic. (BM_LimitScatterAdd, the bare scatter of 8-byte events, reads
    half the bytes decay must read, so no decay kernel can reach it.)"""
    rng = np.random.default_rng(5)
    day = 86400.0
    half_life = np.array([1, 3, 7, 14, 30, 45, 60, 90], dtype=np.float64) * day
    points = np.array([1, 2, -2, 4, 5, -2, 7, 8], dtype=np.float64)
    lead = rng.integers(0, n_leads, n_events, dtype=np.int32)
    etype = rng.integers(0, 8, n_events, dtype=np.int32)
    start, span = 1.7e9, 365 * day
    etime = np.floor(start + rng.uniform(0, span, n_events))
    as_of = start + span
    model = leadkit.EngagementModel({"types": [
        {"name": f"t{k}", "points": float(points[k]),
         "decay": {"kind": "exponential", "half_life": float(half_life[k])}} for k in range(8)]})
    ln2 = np.log(2.0)

    def numpy_decay():
        age = as_of - etime
        return np.bincount(lead, weights=points[etype] * np.exp(-ln2 * age / half_life[etype]),
                           minlength=n_leads)

    ref = numpy_decay()
    got = model.score(lead, etype, etime, as_of=as_of, n_leads=n_leads)
    assert np.allclose(got, ref, rtol=1e-4, atol=1e-3), "engagement: leadkit and numpy disagree"
    t_np = median_time(numpy_decay, repeats)
    # leadkit writes into the array an earlier call returned (out=), as the
    # limit loop writes into sums it was given: a fresh 4 MiB result costs
    # milliseconds of page faults on this VM. numpy's bincount has no out=;
    # its 8 MiB result is ~1-3% of its time.
    lk_out = got.copy()
    for t in threads:
        # The limit: random scatter-add throughput over these same events
        # (lkb_scatter_add_events, the loop of BM_LimitScatterAddEvents), in
        # events/s, its runs alternating with leadkit's in this process.
        t_lk, scatter, frac = alternate(
            lambda: model.score(lead, etype, etime, as_of=as_of, n_leads=n_leads, n_threads=t, out=lk_out),
            limits.scatter_add_events(lead, etype, etime, points, n_leads, t), repeats, n_events)
        table.add(f"engagement batch decay into out=, {n_events // 1_000_000}M events, {n_leads // 1_000_000}M leads, 8 types",
                  t, "events/s", n_events / t_lk, "numpy bincount(exp decay)", n_events / t_np,
                  scatter, n_events / t_lk, limit_unit="events/s", frac=frac)

    # The same kernel inside one C++ process (leadkit_bench, the C API), on
    # leadkit_bench's own events of the same shape (20M events of 8
    # exponential types, 1M leads), each call paired with the scatter limit
    # over the same events run next to it (BM_EngagementBatchDecayPaired,
    # benchmarks/paired.hpp): the per-call medians of the rate, the limit and
    # the fraction, then the median over the repetitions.
    # The rate shown is the plain benchmark's (BM_EngagementBatchDecay, no
    # limit loop between its calls); the fraction is the paired one's.
    runs = google_benchmark(bench, "BM_EngagementBatchDecay/|BM_EngagementBatchDecayPaired/", repetitions=5)
    for name, run in sorted(runs.items(), key=lambda kv: bench_args(kv[0], "threads")):
        if not name.startswith("BM_EngagementBatchDecay/"):
            continue
        t = int(bench_args(name)["threads"])
        paired = runs.get(name.replace("BM_EngagementBatchDecay/", "BM_EngagementBatchDecayPaired/").replace(
            "/real_time", "/manual_time"))
        table.add(f"engagement batch decay via C API, {n_events // 1_000_000}M events, "
                  f"{n_leads // 1_000_000}M leads (vs numpy from Python)", t, "events/s",
                  run["items_per_second"], "numpy bincount(exp decay)", n_events / t_np,
                  paired["limit"] if paired else None, limit_unit="events/s",
                  frac=paired["of_limit"] if paired else None)

    order = np.argsort(etime, kind="stable")
    s_lead, s_type, s_time = lead[order], etype[order], etime[order]
    chunk = 65536

    def stream(state):
        for b in range(0, n_events, chunk):
            e = min(n_events, b + chunk)
            state.apply(s_lead[b:e], s_type[b:e], s_time[b:e], as_of=s_time[e - 1])
        return state

    st = stream(model.state(n_leads))
    assert np.allclose(st.scores(as_of), ref, rtol=1e-4, atol=1e-3), "engagement: stream != batch"
    # Applying events is timed; creating the state (a product does it once, at
    # start-up: 1M leads x 8 types of zeroed arrays) is not.
    times = []
    for _ in range(max(1, repeats // 2)):
        fresh = model.state(n_leads)
        t0 = time.perf_counter()
        stream(fresh)
        times.append(time.perf_counter() - t0)
    t_st = statistics.median(times)
    table.add(f"engagement streaming apply, 64k-event chunks, {n_leads // 1_000_000}M leads", 1,
              "events/s", n_events / t_st, "numpy bincount(exp decay)", n_events / t_np)
def _all_threads(n):
    """Caps every thread pool threadpoolctl knows (BLAS and OpenMP) at n."""
    if threadpool_limits is None:
        return contextlib.nullcontext()
    return threadpool_limits(limits=n)


def persona_workloads(table, args, limits):
    """Persona matching against faiss IndexFlatIP and numpy matmul + argmax /
    argpartition (both exact), and k-means discovery against scikit-learn's
    KMeans (lloyd, n_init=1, the same initial centres, the same iterations).
    Matching is compute-bound: the limit column is the core's FP32 FMA peak
    (leadkit_bench BM_LimitFmaPeak, measured with 1 and with 2 threads at once)."""
    from sklearn.cluster import KMeans

    try:
        import faiss
    except ImportError:  # pragma: no cover - python3-faiss is in scripts/bootstrap
        faiss = None
    # The limit of a row: the FMA peak of t cores running at once (on a shared
    # machine two cores together need not reach twice one core's peak), its
    # runs alternating with leadkit's in this process (Limits, alternate).
    rng = np.random.default_rng(11)
    N, D = 1_000_000, 64
    X = rng.standard_normal((N, D), dtype=np.float32)
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    reps = max(1, args.repeats // 2)
    for K in (32, 256):
        P = rng.standard_normal((K, D), dtype=np.float32)
        P /= np.linalg.norm(P, axis=1, keepdims=True)
        personas = leadkit.PersonaSet.from_profiles([f"p{i}" for i in range(K)], P, "cosine")
        index = None
        if faiss is not None:
            index = faiss.IndexFlatIP(D)
            index.add(P)
        PT = np.ascontiguousarray(P.T)

        top_out = {k: np.empty((N, k), np.int64) for k in (1, 3)}

        def numpy_top(k, chunk=65536):
            out = top_out[k]
            for i in range(0, N, chunk):
                S = X[i:i + chunk] @ PT
                if k == 1:
                    out[i:i + chunk, 0] = S.argmax(1)
                else:
                    idx = np.argpartition(-S, k, axis=1)[:, :k]
                    order = np.argsort(-np.take_along_axis(S, idx, 1), axis=1)
                    out[i:i + chunk] = np.take_along_axis(idx, order, 1)
            return out

        # Same answer first (ties aside): leadkit's best persona is numpy's and faiss's.
        best = personas.match(X[:20000], k=3)[3]
        assert (best[:, 0] == numpy_top(1)[:20000, 0]).mean() > 0.999
        if index is not None:
            assert (best == index.search(X[:20000], 3)[1]).all(axis=1).mean() > 0.999
        for k in (1, 3):
            # Steady state: every side writes into result arrays it was given
            # (leadkit's out=, faiss's D= and I=, numpy's out=), so none pays
            # for fresh pages on each call.
            lk_out = personas.match(X, k=k)
            f_dist, f_idx = np.empty((N, k), np.float32), np.empty((N, k), np.int64)
            for t in args.threads:
                t_lk, peak, frac = alternate(lambda: personas.match(X, k=k, n_threads=t, out=lk_out),
                                             limits.fma_peak(t), args.repeats, 2.0 * N * K * D)
                peers = []
                # Every peer pinned to t threads: BLAS and OpenMP (faiss) alike.
                with _all_threads(t):
                    peers.append(("numpy matmul+arg" + ("max" if k == 1 else "partition"),
                                  median_time(lambda: numpy_top(k), args.repeats)))
                    if index is not None:
                        faiss.omp_set_num_threads(t)
                        peers.append(("faiss IndexFlatIP",
                                      median_time(lambda: index.search(X, k, D=f_dist, I=f_idx), args.repeats)))
                flops = 2.0 * N * K * D / t_lk
                for name, t_peer in peers:
                    table.add(f"persona top-{k} cosine, N=1M D={D} K={K} ({flops / 1e9:.0f} GFLOP/s)", t,
                              "leads/s", N / t_lk, name, N / t_peer, peak, flops,
                              limit_unit="FLOP/s", frac=frac)
    # The same comparison inside one C++ process (leadkit_bench, when built with
    # Debian's libfaiss-dev): the C API against faiss's IndexFlatIP, the same
    # leads and personas, result buffers allocated once. Each leadkit call is
    # paired with the FMA peak on as many threads run next to it
    # (BM_PersonaMatchPaired, benchmarks/paired.hpp): on this kind of VM the
    # two vCPUs sometimes share one core's FMA units (two threads then peak at
    # one core's rate) and sometimes not, and a limit from another moment
    # would not bound the call. Per-call medians, then the median over the
    # repetitions.
    # The rate and the ratio to faiss are the plain benchmarks' (both timed
    # alike, with no limit loop between calls); the fraction is the paired one's.
    runs = google_benchmark(args.bench, "BM_PersonaMatch/|BM_PersonaMatchPaired/|BM_PeerFaissFlatIP",
                            repetitions=5)
    for name, run in sorted(runs.items(), key=lambda kv: bench_args(kv[0], "k", "K", "threads")):
        if not name.startswith("BM_PersonaMatch/"):
            continue
        args_of = bench_args(name)
        peer = runs.get(name.replace("BM_PersonaMatch/", "BM_PeerFaissFlatIP/"))
        paired = runs.get(name.replace("BM_PersonaMatch/", "BM_PersonaMatchPaired/").replace(
            "/real_time", "/manual_time"))
        if peer is None:
            continue
        K, k, t = int(args_of["K"]), int(args_of["k"]), int(args_of["threads"])
        table.add(f"persona top-{k} cosine via C API, N=1M D=64 K={K} ({run['FLOP/s'] / 1e9:.0f} GFLOP/s)", t,
                  "leads/s", run["items_per_second"], "faiss IndexFlatIP (C++, same process)",
                  peer["items_per_second"], paired["limit"] if paired else None, run["FLOP/s"],
                  limit_unit="FLOP/s", frac=paired["of_limit"] if paired else None)
    # Discovery: the same initial centres, max_iter, tol=0, inertia compared.
    Nk, k, iters = 200_000, 16, 20
    C = 0.5 * rng.standard_normal((k, D)).astype(np.float32)
    Xk = (C[np.arange(Nk) % k] + rng.standard_normal((Nk, D))).astype(np.float32)
    init = Xk[:k].copy()
    for t in args.threads:
        with _all_threads(t):
            km = KMeans(k, init=init, n_init=1, max_iter=iters, tol=0.0, algorithm="lloyd")
            t_sk = median_time(lambda: km.fit(Xk), reps)
        lk = leadkit._core.kmeans(Xk, k, 0, 1, iters, 0.0, 0, init, t)
        t_lk = median_time(lambda: leadkit._core.kmeans(Xk, k, 0, 1, iters, 0.0, 0, init, t), reps)
        # Both stop early only on unchanged labels (tol = 0); iterations shown as leadkit/sklearn.
        gap = lk[2] / km.inertia_ - 1
        table.add(f"k-means lloyd N=200k D={D} k={k}, {lk[3]}/{km.n_iter_} iters, inertia {100 * gap:+.3f}%",
                  t, "runs/s", 1 / t_lk, "sklearn KMeans", 1 / t_sk)
    # A product's call: 8 leads, K = 32, one thread (Google Benchmark, C API),
    # against faiss searching the same 8 leads from Python.
    small = google_benchmark(args.bench, "BM_PersonaMatchSmall/rows:8/")
    c_s = next(iter(small.values()))["real_time"] * 1e-6  # us -> s
    if faiss is not None:
        P = rng.standard_normal((32, D), dtype=np.float32)
        index = faiss.IndexFlatIP(D)
        index.add(P)
        faiss.omp_set_num_threads(1)
        x8 = X[:8].copy()
        with _all_threads(1):
            t_f = median_time(lambda: [index.search(x8, 1) for _ in range(1000)], reps) / 1000
        table.add("8 leads K=32 via C API (vs faiss from Python)", 1, "s/call", c_s, "faiss search", t_f,
                  higher_is_better=False)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bench", default="build/release/benchmarks/leadkit_bench",
                    help="the leadkit_bench executable (for C-API latency and machine limits)")
    ap.add_argument("--limits", help="libleadkit_limits.so (default: next to --bench)")
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--rows", type=int, default=2_000_000)
    ap.add_argument("--cols", type=int, default=64)
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--markdown", help="also write the results as markdown to this file")
    ap.add_argument("--only", choices=["all", "scoring", "engagement", "personas", "scorecard"], default="all",
                    help="run every workload (the reference), or only one family for a quick look")
    args = ap.parse_args()

    if not os.access(args.bench, os.X_OK):
        sys.exit(f"compare_peers: {args.bench} not found; build it with scripts/bench "
                 "or pass --bench")

    limits = Limits(args.limits or os.path.join(os.path.dirname(os.path.abspath(args.bench)),
                                                "libleadkit_limits.so"))
    table = Table()
    if args.only == "personas":
        persona_workloads(table, args, limits)
        return finish(table, args)
    read_runs = google_benchmark(args.bench, "BM_LimitReadBandwidth")
    read_bw = {int(bench_args(n)["threads"]): b["bytes_per_second"] for n, b in read_runs.items()}
    if args.only == "engagement":
        engagement_workload(table, args.bench, limits, args.threads, args.repeats)
        return finish(table, args)
    if args.only == "scorecard":
        scorecard_rows(table, args, read_bw, limits)
        return finish(table, args)

    rng = np.random.default_rng(42)
    N, D = args.rows, args.cols
    X = rng.standard_normal((N, D), dtype=np.float32)
    w = (0.1 * rng.standard_normal(D)).astype(np.float32)
    b = np.float32(0.5)
    model = leadkit.LogisticModel(w, b)
    bytes_per_row = (D + 1) * 4  # features read + one float written

    # Same answer first: a comparison of different results means nothing.
    ref = 1.0 / (1.0 + np.exp(-(X[:1000].astype(np.float64) @ w + b)))
    assert np.allclose(model.predict_proba(X[:1000]), ref, atol=2e-6)

    # The same calls into arrays they were given (leadkit's out=, numpy's out=
    # at every step): no side pays for the first touch of fresh result pages,
    # which on this VM can cost as much as the pass over X.
    lk_z, lk_p, np_z, np_p = (np.empty(N, np.float32) for _ in range(4))

    def numpy_sigmoid_out():
        sigmoid_into(X, w, b, np_p)

    for t in args.threads:
        with blas_threads(t):
            times = round_times(
                [lambda: model.decision_function(X, n_threads=t), lambda: X @ w,
                 lambda: model.predict_proba(X, n_threads=t), lambda: 1.0 / (1.0 + np.exp(-(X @ w + b))),
                 lambda: model.decision_function(X, n_threads=t, out=lk_z), lambda: np.matmul(X, w, out=np_z),
                 lambda: model.predict_proba(X, n_threads=t, out=lk_p), numpy_sigmoid_out,
                 limits.read(X, t)],
                args.repeats)
        t_lk_raw, t_np_raw, t_lk, t_np, t_lk_raw_out, t_np_raw_out, t_lk_out, t_np_out = (
            statistics.median(x) for x in times[:8])
        # The bound is the streaming read bandwidth, round by round: the
        # fastest pass over X in that round, by the limit loop (lkb_read, on
        # t threads), numpy's X@w or leadkit's linear kernel, raw or with the
        # sigmoid (which outrun the plain read loop on this machine; a bound
        # they beat would be no bound). Each leadkit row's fraction is the
        # median of its rounds' (paired_fractions).
        readers = [times[i] for i in (0, 1, 2, 4, 5, 6)]
        limits_r = [max(X.nbytes / times[8][r], N * bytes_per_row / min(x[r] for x in readers))
                    for r in range(args.repeats)]
        limit = statistics.median(limits_r)
        read_bw[t] = max(read_bw.get(t, 0.0), limit)  # the scorecard's C API rows are held to it too
        frac = {i: paired_fractions(N * bytes_per_row, times[i], limits_r) for i in (0, 2, 4, 6)}
        table.add(f"linear score X@w+b, N={N // 1_000_000}M D={D}", t, "leads/s", N / t_lk_raw,
                  "numpy X@w", N / t_np_raw, limit, frac=frac[0])
        table.add(f"logistic sigmoid(X@w+b), N={N // 1_000_000}M D={D}", t, "leads/s", N / t_lk,
                  "numpy 1/(1+exp(-(X@w+b)))", N / t_np, limit, frac=frac[2])
        table.add(f"linear score X@w+b into out= arrays, N={N // 1_000_000}M D={D}", t, "leads/s", N / t_lk_raw_out,
                  "numpy matmul(X, w, out=)", N / t_np_raw_out, limit, frac=frac[4])
        table.add(f"logistic sigmoid(X@w+b) into out= arrays, N={N // 1_000_000}M D={D}", t, "leads/s", N / t_lk_out,
                  "numpy sigmoid, every step out=", N / t_np_out, limit, frac=frac[6])

    if args.only == "scoring":
        return finish(table, args)

    # Reasons: the top-3 contributions w_j * x_j per lead, largest magnitude
    # first, against numpy's argpartition + sort of the same products.
    Nr = min(N, 1_000_000)
    Xr = X[:Nr]

    def numpy_top3():
        contrib = Xr * w
        mag = np.abs(contrib)
        idx = np.argpartition(-mag, 3, axis=1)[:, :3]
        order = np.argsort(-np.take_along_axis(mag, idx, axis=1), axis=1)
        idx = np.take_along_axis(idx, order, axis=1)
        return idx, np.take_along_axis(contrib, idx, axis=1)

    _, f_lk, _ = model.reasons(Xr[:1000], k=3)
    assert (f_lk == numpy_top3()[0][:1000]).mean() > 0.999  # same features (ties aside)
    t_np = median_time(numpy_top3, max(1, args.repeats // 2))
    for t in args.threads:
        t_lk = median_time(lambda: model.reasons(Xr, k=3, n_threads=t), max(1, args.repeats // 2))
        table.add(f"logistic + top-3 reasons, N={Nr // 1000}k D={D}", t, "leads/s", Nr / t_lk,
                  "numpy argpartition", Nr / t_np)

    # Encoding raw records (strings, numbers, tags) into features: leadkit's
    # Schema against the pandas pipeline an analyst writes for the same columns.
    enc_n = args.rows // 2
    df, schema = encode_workload(enc_n)
    assert schema.transform(df.iloc[:1000]).shape[0] == 1000
    t_pd = median_time(lambda: pandas_encode(df), max(1, args.repeats // 2))
    for t in args.threads:
        t_lk = median_time(lambda: schema.transform(df, n_threads=t), max(1, args.repeats // 2))
        table.add(f"encode raw leads from pandas, N={enc_n // 1000}k, 6 attrs", t, "leads/s",
                  enc_n / t_lk, "pandas get_dummies/cut/str.get_dummies", enc_n / t_pd)
    # The same frame with its text columns as pandas categories: leadkit reads
    # the codes and looks each category up once; pandas' pipeline gets the
    # categories too.
    df_cat = df.astype({"industry": "category", "seniority": "category", "interests": "category"})
    np.testing.assert_array_equal(schema.transform(df_cat.iloc[:1000]), schema.transform(df.iloc[:1000]))
    t_pd = median_time(lambda: pandas_encode(df_cat), max(1, args.repeats // 2))
    for t in args.threads:
        t_lk = median_time(lambda: schema.transform(df_cat, n_threads=t), max(1, args.repeats // 2))
        table.add(f"encode raw leads from pandas categories, N={enc_n // 1000}k, 6 attrs", t, "leads/s",
                  enc_n / t_lk, "pandas get_dummies/cut/str.get_dummies", enc_n / t_pd)

    engagement_workload(table, args.bench, limits, args.threads, args.repeats)

    # One lead at a time. The C API figure comes from Google Benchmark; the
    # Python figures compare like with like (one call per lead from Python).
    one = X[:1]
    t_py = median_time(lambda: [model.predict_proba(one, n_threads=1) for _ in range(10_000)],
                       args.repeats) / 10_000
    t_np1 = median_time(lambda: [1.0 / (1.0 + np.exp(-(one @ w + b))) for _ in range(10_000)],
                        args.repeats) / 10_000
    table.add("single lead from Python, D=64", 1, "s/lead", t_py, "numpy", t_np1,
              higher_is_better=False)
    single = google_benchmark(args.bench, "BM_LogisticSingleLead")
    c_ns = next(iter(single.values()))["real_time"]  # ns per call
    table.add("single lead via C API (vs numpy from Python)", 1, "s/lead", c_ns * 1e-9, "numpy",
              t_np1, higher_is_better=False)

    scorecard_rows(table, args, read_bw, limits)
    training_rows(table, args)

    persona_workloads(table, args, limits)
    finish(table, args)


def fresh_memory_cost(mib=8, count=5):
    """Milliseconds to fill `mib` MiB of memory the process never touched (a
    2M-lead float32 result is 8 MiB), and to fill it again (median of `count`
    each). Each buffer is a new anonymous mapping, asked for huge pages as
    numpy asks for any array of 4 MiB or more, so it is what a result gets
    whenever the allocator hands it fresh pages, which depends on what the call
    before it freed."""
    import mmap

    size = mib << 20
    fresh, again = [], []
    for _ in range(count):
        m = mmap.mmap(-1, size)
        if hasattr(mmap, "MADV_HUGEPAGE"):
            m.madvise(mmap.MADV_HUGEPAGE)
        a = np.frombuffer(m, np.float32)
        t0 = time.perf_counter()
        a.fill(1.0)
        t1 = time.perf_counter()
        a.fill(2.0)
        t2 = time.perf_counter()
        fresh.append((t1 - t0) * 1e3)
        again.append((t2 - t1) * 1e3)
        del a
        m.close()
    return statistics.median(fresh), statistics.median(again)


def finish(table, args):
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    info = leadkit.build_info()
    fresh, again = fresh_memory_cost()
    header = (f"{stamp} | {cpu_name()} | {os.cpu_count()} cores | leadkit {info['version']} "
              f"kernels={info['active']} | numpy {np.__version__} on {blas_name()} "
              f"(OPENBLAS_THREAD_TIMEOUT={os.environ.get('OPENBLAS_THREAD_TIMEOUT')}) | "
              f"8 MiB of fresh memory fills in {fresh:.1f} ms, again in {again:.1f} ms")
    print(header)
    print(table.render())
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write("# leadkit benchmarks\n\n")
            f.write("Produced by `benchmarks/compare_peers.py` (see its docstring); every ratio "
                    "compares figures measured in the same run on the same data. "
                    "`of limit` is leadkit's bytes/s (features read + result written) over the "
                    "machine's streaming read bandwidth: the fastest pass over the "
                    "features, by the read loop of `leadkit_bench --benchmark_filter=Limit` (`lkb_read`), numpy's `X@w` or "
                    "leadkit's linear kernel, raw or with the sigmoid (so a linear or logistic row "
                    "is at 100% when it is the fastest reader); where the limit is in GFLOP/s (persona matching, compute-bound) it "
                    "is the FMA peak of that many cores running at once (`BM_LimitFmaPeak`); for engagement "
                    "decay, which adds every event into a random lead's sum, it is the machine's "
                    "random scatter-add throughput over the same 16-byte events, with no decay "
                    "arithmetic (`BM_LimitScatterAddEvents`), in events/s. These two limits are "
                    "run in the same process as the row they bound, their runs alternating with the "
                    "kernel's (this VM's FMA and scatter throughput move by up to 1.5x from one minute "
                    "to the next): for a Python row, the loops of those benchmarks called through "
                    "ctypes (`libleadkit_limits.so`, `benchmarks/limits.h`), the scatter over the very "
                    "events leadkit scores and the read over the very features; for a C API row of "
                    "persona matching or decay, the same loops run in `leadkit_bench` next to every "
                    "call (`BM_PersonaMatchPaired`, `BM_EngagementBatchDecayPaired`, "
                    "`benchmarks/paired.hpp`; the rate shown is the plain benchmark's, with no limit loop "
                    "between its calls); for the scorecard's C API rows, the fastest pass over "
                    "the features in the whole run. `of limit` is paired: the median, over the rounds "
                    "(Python) or calls (C API), of leadkit's rate over the limit measured in the same "
                    "round or next to the call (for scoring, the fastest reader of that round), so a "
                    "slower minute of the VM lowers both sides of a ratio together; the `limit` column "
                    "shows the median limit, so `of limit` need not equal the ratio of the two "
                    "columns. The scorecard's C API rows take the ratio of the medians. Rows marked "
                    "\"via C API\" are Google Benchmark medians of 3 runs (5 for engagement decay and persona matching, 7 for the scorecard; "
                    "for the paired benchmarks, medians of their per-call medians), "
                    "the runs of both sides interleaved in random order in one C++ process; the "
                    "scorecard's peer there is OpenBLAS's sgemv, the kernel numpy's `X@w` runs. "
                    "The other rows time Python calls on both sides (medians; for linear, "
                    "logistic and scorecard scoring the calls of all sides interleaved), allocating "
                    "their result arrays, except rows marked \"into out= arrays\" and the "
                    "persona matching rows, where every side writes into arrays it was given "
                    "(leadkit's out=, numpy's out=, faiss's D= and I=). An allocating call pays "
                    "for the first touch of its result's pages whenever the allocator hands it "
                    "fresh ones, which depends on what the call before it freed (the order of "
                    "calls is shuffled each round). The run line gives that cost as measured in "
                    "the run: the time to fill 8 MiB of memory the process never touched (a 2M-lead "
                    "float32 result) against filling it again. Where it is high, as on the benchmark VM, "
                    "allocating rows swing from run to run; leadkit's side of the out= and C API "
                    "rows does not allocate.\n\n")
            f.write(f"Run: {header}\n\n")
            f.write(table.render(markdown=True) + "\n")
        print(f"wrote {args.markdown}")


if __name__ == "__main__":
    main()
