"""leadkit.PointsModel from Python: scores, caps, reasons, bad input."""
import pickle

import numpy as np
import pandas as pd
import pytest

import leadkit

SCHEMA = {"attributes": [
    {"name": "seniority", "type": "categorical", "vocabulary": ["c-level", "vp", "director", "student"]},
    {"name": "employees", "type": "numeric", "missing": "constant", "impute": 1, "bands": [50, 1000]},
    {"name": "web_visits", "type": "numeric", "missing": "constant", "value": True},
]}
MODEL = {
    "name": "fit",
    "groups": [{"name": "Role", "max": 30}, {"name": "Company", "max": 25}],
    "rules": [
        {"feature": "seniority=c-level", "points": 30, "group": "Role"},
        {"feature": "seniority=vp", "points": 20, "group": "Role"},
        {"feature": "seniority=student", "points": -40},
        {"name": "mid-market", "feature": "employees in [50,1000)", "points": 10, "group": "Company"},
        {"name": "enterprise", "feature": "employees >= 1000", "points": 25, "group": "Company"},
        {"name": "engaged", "feature": "web_visits", "points": 2},
    ],
    "limit": 80,
    "floor": True,
}


@pytest.fixture
def setup():
    schema = leadkit.Schema(SCHEMA)
    leads = pd.DataFrame({
        "seniority": ["vp", "student", "c-level", "director"],
        "employees": [5000, 10, 20000, 200],
        "web_visits": [3, 5, 20, 0],
    })
    return schema, leadkit.PointsModel(schema, MODEL), schema.transform(leads)


def test_scores(setup):
    _, fit, X = setup
    np.testing.assert_array_equal(fit.score(X), [20 + 25 + 6, 0, 80, 10])
    assert fit.score(X, n_threads=1).tobytes() == fit.score(X, n_threads=2).tobytes()


def test_score_into_out(setup):
    _, fit, X = setup
    out = np.full(4, -7.0, np.float32)
    got = fit.score(X, out=out)
    assert np.shares_memory(got, out)
    np.testing.assert_array_equal(out, [20 + 25 + 6, 0, 80, 10])
    with pytest.raises(ValueError, match=r"out: expected shape \(4,\), got \(3,\)"):
        fit.score(X, out=out[:3])
    with pytest.raises(TypeError, match=r"out: expected dtype float32, got int32"):
        fit.score(X, out=np.zeros(4, np.int32))
    np.testing.assert_array_equal(out, [20 + 25 + 6, 0, 80, 10])


def test_reasons_add_up_and_read_well(setup):
    _, fit, X = setup
    scores, rules, points = fit.reasons(X, k=6)
    assert rules.dtype == np.int32 and rules.shape == (4, 6) and points.shape == (4, 6)
    np.testing.assert_allclose(points.sum(axis=1), scores, atol=1e-4)
    assert fit.explain(X, k=2)[0] == [("enterprise", 25.0), ("seniority=vp", 20.0)]
    assert fit.explain(X, k=2)[3] == [("mid-market", 10.0)]


def test_bad_input(setup):
    schema, fit, X = setup
    with pytest.raises(leadkit.InvalidInputError, match=r"points.rules\[0\].feature: 'seniority=ceo' is not a feature"):
        leadkit.PointsModel(schema, {"rules": [{"feature": "seniority=ceo", "points": 1}]})
    with pytest.raises(leadkit.InvalidInputError, match="duplicate rule name"):
        leadkit.PointsModel(schema, {"rules": [{"feature": "web_visits", "points": 1},
                                               {"feature": "web_visits", "points": 2}]})
    with pytest.raises(TypeError, match="schema"):
        leadkit.PointsModel(SCHEMA, MODEL)
    with pytest.raises(ValueError, match="columns"):
        fit.score(X[:, :3])
    with pytest.raises(ValueError, match="k: must be at least 1"):
        fit.reasons(X, k=0)
    with pytest.raises(TypeError, match="float32"):
        fit.score(X.astype(np.float64))
    bad = X.copy()
    bad[2, -1] = np.nan
    with pytest.raises(leadkit.InvalidInputError, match="row 2"):
        fit.score(bad)


def test_pickle(setup):
    _, fit, X = setup
    again = pickle.loads(pickle.dumps(fit))
    assert again.score(X).tobytes() == fit.score(X).tobytes()
