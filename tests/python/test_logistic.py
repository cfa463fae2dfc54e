"""leadkit.LogisticModel from Python: results, no-copy views, threads, bad input."""
import pickle
import re
import threading

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
    np.testing.assert_allclose(s, X.astype(np.float64) @ w + b, atol=1e-4)


def test_properties_and_repr(data):
    _, w, b = data
    m = leadkit.LogisticModel(w, b)
    assert m.n_features == 64
    np.testing.assert_array_equal(m.weights, w)
    assert m.intercept == pytest.approx(b)
    assert "n_features=64" in repr(m)
    # weights may be any real sequence; they are copied into the model
    assert leadkit.LogisticModel([1, 2, 3]).n_features == 3


def test_row_strided_views_score_in_place(data):
    X, w, b = data
    wide = np.zeros((1000, 80), np.float32)
    wide[:, :64] = X
    m = leadkit.LogisticModel(w, b)
    view = wide[:, :64]  # rows 320 bytes apart: not C-contiguous, not copied
    assert not view.flags["C_CONTIGUOUS"]
    np.testing.assert_array_equal(m.predict_proba(view), m.predict_proba(X))
    every_other = X[::2]
    np.testing.assert_array_equal(m.predict_proba(every_other), m.predict_proba(X)[::2])


def test_rejects_column_strided_and_fortran_arrays(data):
    X, w, b = data
    m = leadkit.LogisticModel(w, b)
    with pytest.raises(ValueError, match="contiguous"):
        m.predict_proba(np.asfortranarray(X))
    with pytest.raises(ValueError, match="row stride"):
        m.predict_proba(X[::-1])


def test_bit_identical_for_any_thread_count():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((200_000, 64)).astype(np.float32)
    m = leadkit.LogisticModel(rng.standard_normal(64).astype(np.float32) * 0.1, -0.2)
    p1 = m.predict_proba(X, n_threads=1)
    p2 = m.predict_proba(X, n_threads=2)
    p0 = m.predict_proba(X, n_threads=0)
    assert p1.tobytes() == p2.tobytes() == p0.tobytes()


def test_concurrent_python_threads(data):
    X, w, b = data
    m = leadkit.LogisticModel(w, b)
    expected = m.predict_proba(X)
    big = np.tile(X, (200, 1))
    results, errors = [], []

    def work():
        try:
            for _ in range(5):
                results.append(np.array_equal(m.predict_proba(big, n_threads=2)[:1000], expected))
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(results) == 15 and all(results)


def test_gil_is_released_during_scoring():
    # While one thread scores a large batch, another Python thread keeps running.
    X = np.ones((2_000_000, 64), np.float32)
    m = leadkit.LogisticModel(np.full(64, 0.001, np.float32))
    ticks = 0
    done = threading.Event()

    def scorer():
        for _ in range(3):
            m.predict_proba(X, n_threads=1)
        done.set()

    t = threading.Thread(target=scorer)
    t.start()
    while not done.is_set():
        ticks += 1
        done.wait(0.001)
    t.join()
    assert ticks > 5


@pytest.mark.parametrize(
    "X, exc, pattern",
    [
        (np.zeros((3, 4), np.float64), TypeError, r"X: expected a float32 array, got float64"),
        (np.zeros(4, np.float32), ValueError, r"X: expected a 2-D array.*reshape"),
        (np.zeros((3, 3), np.float32), ValueError, r"LK_ERR_DIMENSION_MISMATCH: X: has 3 columns"),
        (np.zeros((0, 4), np.float32), ValueError, r"empty batch"),
    ],
)
def test_bad_X(X, exc, pattern):
    m = leadkit.LogisticModel(np.ones(4, np.float32))
    with pytest.raises(exc, match=pattern):
        m.predict_proba(X)


def test_nan_feature_names_the_row():
    m = leadkit.LogisticModel(np.ones(4, np.float32))
    X = np.zeros((10, 4), np.float32)
    X[7, 2] = np.nan
    with pytest.raises(leadkit.InvalidInputError, match=r"LK_ERR_NOT_FINITE: X: row 7"):
        m.predict_proba(X)


def test_bad_model_parameters():
    with pytest.raises(ValueError, match=r"weights\[1\]"):
        leadkit.LogisticModel(np.array([1.0, np.nan], np.float32))
    with pytest.raises(ValueError, match="intercept"):
        leadkit.LogisticModel(np.ones(2, np.float32), float("inf"))
    with pytest.raises(ValueError, match="n_features"):
        leadkit.LogisticModel(np.zeros(0, np.float32))
    with pytest.raises(ValueError, match="weights: expected a 1-D"):
        leadkit.LogisticModel(np.ones((2, 2), np.float32))
    with pytest.raises(TypeError, match="weights"):
        leadkit.LogisticModel("not numbers")
    m = leadkit.LogisticModel(np.ones(2, np.float32))
    with pytest.raises(ValueError, match="n_threads"):
        m.predict_proba(np.ones((2, 2), np.float32), n_threads=-1)


def test_errors_are_leadkit_errors():
    assert issubclass(leadkit.InvalidInputError, leadkit.LeadkitError)
    assert issubclass(leadkit.InvalidInputError, ValueError)


def test_pickle_round_trip(data):
    X, w, b = data
    m = leadkit.LogisticModel(w, b)
    m2 = pickle.loads(pickle.dumps(m))
    assert m2.predict_proba(X).tobytes() == m.predict_proba(X).tobytes()


def test_version_and_build_info():
    assert re.fullmatch(r"\d+\.\d+\.\d+", leadkit.__version__)
    info = leadkit.build_info()
    assert info["version"] == leadkit.__version__
    assert "baseline" in info["compiled"]
    assert info["active"] in info["compiled"]
