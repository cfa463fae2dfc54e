"""leadkit.LogisticModel from Python: results, no-copy views, threads, bad input."""
import pickle
import re
import threading
import time
import tracemalloc

import numpy as np
import pytest

import leadkit


def reference(X, w, b):
    s = X.astype(np.float64) @ w.astype(np.float64) + b
    return 1.0 / (1.0 + np.exp(-s))


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((1000, 64)).astype(np.float32)
    w = (0.2 * rng.standard_normal(64)).astype(np.float32)
    return X, w, 0.3


def test_matches_float64_reference(data):
    X, w, b = data
    m = leadkit.LogisticModel(w, b)
    p = m.predict_proba(X)
    assert p.dtype == np.float32 and p.shape == (1000,)
    np.testing.assert_allclose(p, reference(X, w, b), atol=2e-6)
    s = m.decision_function(X)
    assert s.dtype == np.float32 and s.shape == (1000,)
    np.testing.assert_allclose(s, X.astype(np.float64) @ w + b, atol=1e-4)


def test_properties_and_repr(data):
    _, w, b = data
    m = leadkit.LogisticModel(w, b)
    assert m.n_features == 64
    np.testing.assert_array_equal(m.weights, w)
    assert m.intercept == pytest.approx(b)
    assert repr(m) == f"LogisticModel(n_features=64, intercept={float(np.float32(b))!r})"
    # weights may be any real sequence; they are copied into the model
    m3 = leadkit.LogisticModel([1, 2, 3])
    assert m3.n_features == 3 and m3.intercept == 0.0
    # the property is a copy: changing it does not change the model
    m3.weights[0] = 100.0
    np.testing.assert_array_equal(m3.weights, [1, 2, 3])


def test_row_strided_views_score_in_place(data):
    X, w, b = data
    wide = np.zeros((1000, 80), np.float32)
    wide[:, :64] = X
    m = leadkit.LogisticModel(w, b)
    expected = m.predict_proba(X)
    view = wide[:, :64]  # rows 320 bytes apart: not C-contiguous, not copied
    assert not view.flags["C_CONTIGUOUS"]
    np.testing.assert_array_equal(m.predict_proba(view), expected)
    np.testing.assert_array_equal(m.predict_proba(X[::2]), expected[::2])
    np.testing.assert_array_equal(m.predict_proba(wide[3::7, :64]), expected[3::7])
    np.testing.assert_array_equal(m.decision_function(view), m.decision_function(X))
    # a read-only array is fine: X is only read
    ro = X.copy()
    ro.flags.writeable = False
    np.testing.assert_array_equal(m.predict_proba(ro), expected)


def test_views_are_not_copied():
    # numpy reports its allocations to tracemalloc: scoring a 25 MB view must
    # allocate the 400 kB result and nothing like a copy of X.
    wide = np.ones((100_000, 80), np.float32)
    X = wide[:, :64]
    m = leadkit.LogisticModel(np.full(64, 0.01, np.float32))
    tracemalloc.start()
    try:
        m.predict_proba(X)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < X.nbytes // 10


def test_rejects_layouts_it_would_have_to_copy(data):
    X, w, b = data
    m = leadkit.LogisticModel(w, b)
    with pytest.raises(ValueError, match=r"X: the features of a lead must be contiguous.*ascontiguousarray"):
        m.predict_proba(np.asfortranarray(X))
    with pytest.raises(ValueError, match=r"X: the features of a lead must be contiguous"):
        m.predict_proba(X[:, ::2])
    with pytest.raises(ValueError, match=r"X: row stride of -256 bytes"):
        m.predict_proba(X[::-1])


def test_rejects_overlapping_and_unaligned_rows():
    m = leadkit.LogisticModel(np.ones(4, np.float32))
    # stride 0: every row is the same memory (and must not be read as n_cols apart)
    with pytest.raises(ValueError, match=r"X: row stride of 0 bytes"):
        m.predict_proba(np.broadcast_to(np.ones(4, np.float32), (5, 4)))
    overlapping = np.lib.stride_tricks.as_strided(np.ones(20, np.float32), (5, 4), (8, 4))
    with pytest.raises(ValueError, match=r"X: row stride of 8 bytes.*overlap"):
        m.predict_proba(overlapping)
    unaligned = np.ndarray((3, 4), np.float32, buffer=np.zeros(100, np.uint8).data, offset=1)
    with pytest.raises(ValueError, match=r"X: data is not aligned"):
        m.predict_proba(unaligned)


def test_bit_identical_for_any_thread_count():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((200_000, 64)).astype(np.float32)
    m = leadkit.LogisticModel(rng.standard_normal(64).astype(np.float32) * 0.1, -0.2)
    p1 = m.predict_proba(X, n_threads=1)
    p2 = m.predict_proba(X, n_threads=2)
    p0 = m.predict_proba(X, n_threads=0)
    assert p1.tobytes() == p2.tobytes() == p0.tobytes()
    s1 = m.decision_function(X, n_threads=1)
    assert s1.tobytes() == m.decision_function(X, n_threads=2).tobytes()


def test_concurrent_python_threads(data):
    X, w, b = data
    m = leadkit.LogisticModel(w, b)
    big = np.tile(X, (200, 1))
    expected = np.tile(m.predict_proba(X), 200)
    results, errors = [], []

    def work():
        try:
            for _ in range(5):
                results.append(np.array_equal(m.predict_proba(big, n_threads=2), expected))
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(results) == 15 and all(results)


def test_gil_is_released_during_scoring():
    # The main thread keeps ticking while another thread is inside predict.
    # A tick can only land well inside a call (away from its Python edges, where
    # a thread switch is legal anyway) if the call runs without the GIL.
    X = np.ones((250_000, 64), np.float32)
    m = leadkit.LogisticModel(np.full(64, 0.001, np.float32))
    calls, ticks = [], []
    done = threading.Event()

    def scorer():
        busy = 0.0
        while busy < 0.3 and len(calls) < 500:
            t0 = time.perf_counter()
            m.predict_proba(X, n_threads=1)
            t1 = time.perf_counter()
            calls.append((t0, t1))
            busy += t1 - t0
        done.set()

    t = threading.Thread(target=scorer)
    t.start()
    while not done.is_set():
        ticks.append(time.perf_counter())
        time.sleep(0.0002)
    t.join()
    margin = 0.0003
    inside = sum(1 for ts in ticks if any(t0 + margin < ts < t1 - margin for t0, t1 in calls))
    assert inside >= 10, f"{inside} ticks inside {len(calls)} predict calls"


@pytest.mark.parametrize("method", ["predict_proba", "decision_function"])
@pytest.mark.parametrize(
    "X, exc, pattern",
    [
        (np.zeros((3, 4), np.float64), TypeError,
         r"^X: expected a float32 array, got float64; convert with X\.astype\(np\.float32\)$"),
        (np.zeros((3, 4), np.int32), TypeError, r"X: expected a float32 array, got int32"),
        ([[0.0, 0.0, 0.0, 0.0]], TypeError, r"X: expected a 2-D numpy float32 array, got list"),
        (np.zeros(4, np.float32), ValueError, r"X: expected a 2-D array.*shape \(4,\).*reshape\(1, -1\)"),
        (np.zeros((2, 3, 4), np.float32), ValueError, r"X: expected a 2-D array.*shape \(2, 3, 4\)"),
        (np.zeros((3, 3), np.float32), ValueError,
         r"LK_ERR_DIMENSION_MISMATCH: X: has 3 columns but the model expects 4"),
        (np.zeros((0, 4), np.float32), ValueError, r"X: empty batch"),
    ],
)
def test_bad_X(method, X, exc, pattern):
    m = leadkit.LogisticModel(np.ones(4, np.float32))
    with pytest.raises(exc, match=pattern):
        getattr(m, method)(X)


def test_dataframe_is_refused_with_advice():
    pd = pytest.importorskip("pandas")
    m = leadkit.LogisticModel(np.ones(4, np.float32))
    with pytest.raises(TypeError, match=r"X: expected a 2-D numpy float32 array, got DataFrame"):
        m.predict_proba(pd.DataFrame(np.zeros((2, 4), np.float32)))


@pytest.mark.parametrize("method", ["predict_proba", "decision_function"])
def test_nan_feature_names_the_row(method):
    m = leadkit.LogisticModel(np.ones(4, np.float32))
    X = np.zeros((10, 4), np.float32)
    X[7, 2] = np.nan
    with pytest.raises(leadkit.InvalidInputError, match=r"LK_ERR_NOT_FINITE: X: row 7") as info:
        getattr(m, method)(X)
    assert info.value.status == leadkit.STATUS["LK_ERR_NOT_FINITE"]
    assert info.value.status_name == "LK_ERR_NOT_FINITE"


def test_bad_model_parameters():
    with pytest.raises(ValueError, match=r"weights\[1\]: is nan"):
        leadkit.LogisticModel(np.array([1.0, np.nan], np.float32))
    with pytest.raises(ValueError, match=r"weights\[0\]: is inf"):
        leadkit.LogisticModel([np.inf])
    with pytest.raises(ValueError, match="intercept"):
        leadkit.LogisticModel(np.ones(2, np.float32), float("inf"))
    with pytest.raises(ValueError, match="n_features: must be at least 1"):
        leadkit.LogisticModel(np.zeros(0, np.float32))
    with pytest.raises(ValueError, match=r"weights: expected a 1-D array, got shape \(2, 2\)"):
        leadkit.LogisticModel(np.ones((2, 2), np.float32))
    with pytest.raises(TypeError, match="weights: expected a 1-D sequence of numbers, got str"):
        leadkit.LogisticModel("not numbers")
    with pytest.raises(TypeError, match="weights: .* got NoneType"):
        leadkit.LogisticModel(None)


@pytest.mark.parametrize("n_threads", [-1, 2**40])
def test_bad_n_threads(n_threads):
    m = leadkit.LogisticModel(np.ones(2, np.float32))
    with pytest.raises(ValueError, match=r"n_threads: is -?\d+"):
        m.predict_proba(np.ones((2, 2), np.float32), n_threads=n_threads)


def test_error_classes_and_status():
    assert issubclass(leadkit.LeadkitError, RuntimeError)
    assert issubclass(leadkit.InvalidInputError, leadkit.LeadkitError)
    assert issubclass(leadkit.InvalidInputError, ValueError)
    assert leadkit.STATUS["LK_OK"] == 0
    assert leadkit.STATUS["LK_ERR_DIMENSION_MISMATCH"] == -3
    assert leadkit.STATUS["LK_ERR_INTERNAL"] == -99
    m = leadkit.LogisticModel(np.ones(4, np.float32))
    with pytest.raises(leadkit.LeadkitError) as info:
        m.predict_proba(np.zeros((2, 3), np.float32))
    e = info.value
    assert isinstance(e, ValueError)
    assert e.status == leadkit.STATUS["LK_ERR_DIMENSION_MISMATCH"]
    assert e.status_name == "LK_ERR_DIMENSION_MISMATCH"
    assert str(e).startswith("LK_ERR_DIMENSION_MISMATCH: X: ")
    # checks made in the binding are reported the same way
    with pytest.raises(leadkit.InvalidInputError) as info:
        m.predict_proba(np.zeros(4, np.float32))
    assert info.value.status_name == "LK_ERR_INVALID_ARGUMENT"


def test_pickle_round_trip(data):
    X, w, b = data
    m = leadkit.LogisticModel(w, b)
    m2 = pickle.loads(pickle.dumps(m))
    assert m2.n_features == 64 and m2.intercept == m.intercept
    assert m2.predict_proba(X).tobytes() == m.predict_proba(X).tobytes()


def test_version_and_build_info():
    assert re.fullmatch(r"\d+\.\d+\.\d+", leadkit.__version__)
    assert leadkit._core.version() == leadkit.__version__
    info = leadkit.build_info()
    assert info["version"] == leadkit.__version__
    assert "baseline" in info["compiled"]
    assert info["active"] in info["compiled"]


def test_reasons_explain_the_log_odds():
    rng = np.random.default_rng(7)
    X = rng.standard_normal((500, 12)).astype(np.float32)
    X[:, 3] = 0.0
    w = rng.standard_normal(12).astype(np.float32)
    m = leadkit.LogisticModel(w, -0.4)
    p, feats, contrib = m.reasons(X, k=12)
    np.testing.assert_array_equal(p, m.predict_proba(X))
    assert feats.dtype == np.int32 and feats.shape == (500, 12)
    assert (feats[:, -1] == -1).all()  # feature 3 is zero for every lead: never a reason
    logit = -0.4 + contrib.sum(axis=1, dtype=np.float64)
    np.testing.assert_allclose(1 / (1 + np.exp(-logit)), p, atol=2e-6)
    p3, f3, c3 = m.reasons(X, k=3, n_threads=2)
    np.testing.assert_array_equal(f3, feats[:, :3])
    assert (np.abs(c3[:, 0]) >= np.abs(c3[:, 1])).all()
    with pytest.raises(ValueError, match="k: must be at least 1"):
        m.reasons(X, k=0)


@pytest.mark.parametrize("method", ["predict_proba", "decision_function"])
def test_out_is_filled_in_place(data, method):
    X, w, b = data
    m = leadkit.LogisticModel(w, b)
    want = getattr(m, method)(X)
    out = np.full(len(X), -7.0, np.float32)
    got = getattr(m, method)(X, out=out)
    assert got is out or np.shares_memory(got, out)
    np.testing.assert_array_equal(out, want)
    # Bad out: the argument and what is wrong, and nothing written.
    before = out.copy()
    with pytest.raises(TypeError, match=r"out: expected dtype float32, got float64"):
        getattr(m, method)(X, out=np.zeros(len(X)))
    with pytest.raises(ValueError, match=r"out: expected shape \(1000,\), got \(999,\)"):
        getattr(m, method)(X, out=out[:-1])
    with pytest.raises(ValueError, match=r"out: must be C-contiguous"):
        getattr(m, method)(X, out=np.zeros(2 * len(X), np.float32)[::2])
    frozen = out.copy()
    frozen.flags.writeable = False
    with pytest.raises(ValueError, match=r"out: is read-only"):
        getattr(m, method)(X, out=frozen)
    with pytest.raises(TypeError, match=r"out: expected a numpy array, got list"):
        getattr(m, method)(X, out=[0.0] * len(X))
    np.testing.assert_array_equal(out, before)
    # An out that overlaps X is refused rather than read while written.
    Xc = X.copy()
    with pytest.raises(ValueError, match=r"out: overlaps X"):
        getattr(m, method)(Xc, out=Xc.reshape(-1)[:len(X)])


def test_out_on_a_bad_row_holds_nan_not_stale_values():
    m = leadkit.LogisticModel(np.ones(4, np.float32))
    X = np.zeros((10, 4), np.float32)
    X[7, 2] = np.nan
    out = np.full(10, 5.0, np.float32)
    with pytest.raises(leadkit.InvalidInputError, match=r"X: row 7"):
        m.predict_proba(X, out=out)
    assert np.isnan(out).all()
