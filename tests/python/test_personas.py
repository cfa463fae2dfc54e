"""leadkit.PersonaSet and leadkit.PersonaMatcher from Python: authored personas,
matching against a float64 reference, discovery, scikit-learn conventions, bad input."""
import pickle

import numpy as np
import pandas as pd
import pytest

import leadkit

SCHEMA = {"attributes": [
    {"name": "seniority", "type": "categorical", "vocabulary": ["junior", "manager", "director", "vp"]},
    {"name": "department", "type": "categorical", "vocabulary": ["it", "marketing", "sales"]},
    {"name": "employees", "type": "numeric", "log1p": True, "bands": [50, 1000]},
    {"name": "interests", "type": "tags", "vocabulary": ["security", "cloud", "ads"]},
]}
PERSONAS = {"metric": "cosine", "min_similarity": 0.6, "personas": [
    {"name": "IT Director", "attributes": {"seniority": "director", "department": "it",
                                           "interests": ["security", "cloud"]}},
    {"name": "Marketer", "attributes": {"department": "marketing", "interests": "ads"}},
]}


@pytest.fixture
def setup():
    schema = leadkit.Schema(SCHEMA)
    leads = pd.DataFrame({
        "seniority": ["director", "junior", "vp", "manager"],
        "department": ["it", "marketing", "sales", "it"],
        "employees": [5000, 20, 300, 80],
        "interests": ["security;cloud", "ads", None, "cloud"],
    })
    return schema, leadkit.PersonaSet(schema, PERSONAS), schema.transform(leads)


def test_authored_personas_match_leads(setup):
    schema, personas, X = setup
    assert personas.names == ["IT Director", "Marketer"]
    assert personas.n_features == schema.n_features
    best, sim, margin, top_i, top_s = personas.match(X, k=2)
    assert best.tolist()[:2] == [0, 1]
    assert best[2] == -1  # a sales VP is neither
    assert sim[0] == pytest.approx(1.0, abs=1e-6) and sim[1] == pytest.approx(1.0, abs=1e-6)
    assert np.all(margin >= 0) and top_i.shape == (4, 2) and np.all(top_s[:, 0] >= top_s[:, 1])
    assert np.array_equal(personas.predict(X), best)
    assert np.allclose(personas.similarities(X)[np.arange(4), top_i[:, 0]], sim)
    # Left-out attributes weigh 0: Marketer ignores seniority and employees.
    w = personas.weights[1]
    names = schema.feature_names
    assert all(w[j] == 0 for j, n in enumerate(names) if n.startswith(("seniority", "employees")))
    again = leadkit.PersonaSet(schema, personas.to_json())
    assert again.names == personas.names and np.array_equal(again.profiles, personas.profiles)
    copy = pickle.loads(pickle.dumps(personas))
    assert np.array_equal(copy.match(X, k=2)[3], top_i)


@pytest.mark.parametrize("metric", ["cosine", "dot", "euclidean"])
def test_match_agrees_with_float64_reference(metric):
    rng = np.random.default_rng(1)
    K, D, N = 37, 20, 2000
    P = rng.standard_normal((K, D)).astype(np.float32)
    W = rng.uniform(0, 2, (K, D)).astype(np.float32)
    X = (rng.standard_normal((N, D)) * (0.1 if metric == "euclidean" else 1)).astype(np.float32)
    s = leadkit.PersonaSet.from_profiles([f"p{i}" for i in range(K)], P, metric, 0.0, W)
    x, p, w = X.astype(np.float64), P.astype(np.float64), W.astype(np.float64)
    xp = x @ (w * p).T
    if metric == "dot":
        ref = xp
    elif metric == "cosine":
        ref = xp / np.sqrt((x * x) @ w.T) / np.sqrt((w * p * p).sum(1))
    else:
        ref = 1 / (1 + ((x * x) @ w.T - 2 * xp + (w * p * p).sum(1)))
    best, sim, _, top_i, _ = s.match(X, k=3)
    exact = ref.argmax(1)
    diff = exact != best
    assert np.all(ref[np.arange(N), exact] - ref[np.arange(N), best] < 1e-6)
    assert diff.mean() < 0.01
    assert np.allclose(sim, ref.max(1), rtol=1e-4, atol=1e-5)
    assert np.allclose(s.similarities(X), ref, rtol=1e-4, atol=1e-5)


def test_persona_matcher_discovers_and_follows_sklearn_conventions():
    from sklearn.base import clone
    from sklearn.cluster import KMeans

    rng = np.random.default_rng(2)
    centres = rng.standard_normal((5, 6)) * 6
    X = (centres[np.arange(3000) % 5] + rng.standard_normal((3000, 6))).astype(np.float32)
    m = leadkit.PersonaMatcher(5, random_state=3).fit(X)
    assert m.cluster_centers_.shape == (5, 6) and m.n_features_in_ == 6
    labels = m.predict(X)
    assert np.array_equal(labels, m.labels_)
    assert m.transform(X).shape == (3000, 5)
    sk = KMeans(5, n_init=4, random_state=0).fit(X)
    assert m.inertia_ == pytest.approx(sk.inertia_, rel=1e-3)
    m_copy = pickle.loads(pickle.dumps(m))
    assert np.array_equal(m_copy.predict(X), labels)
    m2 = clone(m)
    assert m2.get_params() == m.get_params() and not hasattr(m2, "personas_")
    assert np.array_equal(m2.fit(X).cluster_centers_, m.cluster_centers_)  # seeded
    assert m.set_params(n_personas=3) is m and m.n_personas == 3
    with pytest.raises(ValueError, match="not a parameter"):
        m.set_params(k=3)
    mb = leadkit.PersonaMatcher(5, batch_size=256, max_iter=200, random_state=1).fit(X)
    assert mb.inertia_ < 1.1 * sk.inertia_
    df = leadkit.PersonaMatcher(5, random_state=3).fit(X).describe(
        X, feature_names=[f"f{j}" for j in range(6)], outcomes=(labels == 0).astype(int))
    assert list(df.columns) == ["persona", "size", "share", "conversion_rate", "profile"]
    assert df["size"].sum() == 3000 and sorted(df["conversion_rate"].tolist()) == [0, 0, 0, 0, 1]
    ks = leadkit.PersonaMatcher(random_state=0).choose_k(X, [2, 5, 8], sample_size=500)
    assert ks["inertia"].is_monotonic_decreasing
    assert ks["silhouette"].idxmax() == 1  # k = 5


def test_mixed_data_scales_are_folded_into_persona_weights(setup):
    schema = leadkit.Schema({"attributes": [
        {"name": "employees", "type": "numeric", "standardize": True},
        {"name": "industry", "type": "categorical", "vocabulary": ["software", "retail", "bank"]}]})
    rng = np.random.default_rng(4)
    data = {"employees": rng.lognormal(5, 1, 2000), "industry": rng.choice(["software", "retail", "bank"], 2000)}
    schema = schema.fit(data)
    X = schema.transform(data)
    scales = leadkit.persona_feature_scales(schema)
    assert scales.tolist() == pytest.approx([1.0] + [2 ** -0.5] * 5)
    m = leadkit.PersonaMatcher(3, feature_scales=scales, random_state=0).fit(X)
    assert np.mean(m.predict(X) == m.labels_) > 0.999
    assert np.all(m.personas_.weights[:, 1:] == pytest.approx(0.5))
    prof = m.describe(X, feature_names=schema)
    assert prof["profile"].str.contains("industry=").all()


def test_bad_input_is_a_specific_error(setup):
    schema, personas, X = setup
    with pytest.raises(leadkit.InvalidInputError, match=r"personas\[0\]\.attributes\.seniority: 'ceo'"):
        leadkit.PersonaSet(schema, {"personas": [{"name": "x", "attributes": {"seniority": "ceo"}}]})
    with pytest.raises(leadkit.InvalidInputError, match="duplicate persona name 'x'"):
        leadkit.PersonaSet.from_profiles(["x", "x"], np.eye(2, dtype=np.float32))
    with pytest.raises(leadkit.InvalidInputError, match="zero-norm profile"):
        leadkit.PersonaSet.from_profiles(["x", "y"], np.array([[1, 0], [0, 0]], np.float32))
    with pytest.raises(leadkit.LeadkitError) as e:
        personas.match(X[:, :5])
    assert e.value.status_name == "LK_ERR_DIMENSION_MISMATCH"
    with pytest.raises(TypeError, match="float32"):
        personas.match(X.astype(np.float64))
    bad = X.copy()
    bad[2, 1] = np.nan
    with pytest.raises(leadkit.LeadkitError, match="X: row 2") as e:
        personas.match(bad)
    assert e.value.status_name == "LK_ERR_NOT_FINITE"
    with pytest.raises(ValueError, match="n_samples=4 should be >= n_personas=5"):
        leadkit.PersonaMatcher(5).fit(X)
    with pytest.raises(leadkit.InvalidInputError, match="k: 5 personas but only 4 leads"):
        leadkit._core.kmeans(X, 5)
    with pytest.raises(leadkit.InvalidInputError, match="k: 3 is more than the 2 personas"):
        personas.match(X, k=3)
    with pytest.raises(AttributeError, match="not fitted"):
        leadkit.PersonaMatcher(2).predict(X)
    with pytest.raises(ValueError, match="has 3 features but the personas have"):
        leadkit.PersonaMatcher(personas=personas).fit(X[:, :3])


def test_persona_matcher_passes_sklearn_estimator_checks():
    import warnings

    from sklearn.utils.estimator_checks import check_estimator

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_estimator(leadkit.PersonaMatcher(3, n_init=1))


def test_match_fills_the_callers_arrays(setup):
    _, personas, X = setup
    want = personas.match(X, k=2)
    out = tuple(np.full_like(a, -7) for a in want)
    got = personas.match(X, k=2, out=out)
    for a, b, c in zip(got, out, want):
        assert np.shares_memory(a, b)
        np.testing.assert_array_equal(b, c)
    # Bad out: each array is named.
    with pytest.raises(TypeError, match="out: expected None or the tuple of 5 arrays"):
        personas.match(X, k=2, out={"best": out[0]})
    with pytest.raises(ValueError, match="out: expected the 5 arrays match"):
        personas.match(X, k=2, out=out[:4])
    with pytest.raises(ValueError, match=r"out\[3\] \(top_index\): expected shape \(4, 3\), got \(4, 2\)"):
        personas.match(X, k=3, out=out)
    with pytest.raises(TypeError, match=r"out\[1\] \(similarity\): expected dtype float32, got float64"):
        personas.match(X, k=2, out=(out[0], out[1].astype(np.float64)) + out[2:])
    frozen = out[0].copy()
    frozen.flags.writeable = False
    with pytest.raises(ValueError, match=r"out\[0\] \(best\): is read-only"):
        personas.match(X, k=2, out=(frozen,) + out[1:])
