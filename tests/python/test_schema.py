"""leadkit.Schema from Python: dicts and DataFrames in, float32 features out."""
import pickle

import numpy as np
import pandas as pd
import pytest

import leadkit

DEFINITION = {
    "attributes": [
        {"name": "employees", "type": "numeric", "missing": "median", "bands": [50, 1000]},
        {"name": "industry", "type": "categorical", "vocabulary": ["software", "fintech"],
         "unknown": "slot", "missing": "slot"},
        {"name": "is_customer", "type": "boolean", "missing": "false"},
        {"name": "interests", "type": "tags", "vocabulary": ["security", "cloud"]},
    ]
}


@pytest.fixture
def leads():
    return pd.DataFrame({
        "name": ["Ana", "Ben", "Chloe"],
        "employees": [20, np.nan, 5000],
        "industry": ["Software", "retail", None],
        "is_customer": [True, None, False],
        "interests": ["security;cloud", None, "gaming"],
    })


def test_feature_names_and_shape(leads):
    s = leadkit.Schema(DEFINITION)
    assert s.feature_names == [
        "employees < 50", "employees in [50,1000)", "employees >= 1000",
        "industry=software", "industry=fintech", "industry=<unknown>", "industry=<missing>",
        "is_customer", "interests:security", "interests:cloud"]
    assert s.attribute_names == ["employees", "industry", "is_customer", "interests"]


def test_fit_transform_dataframe(leads):
    s = leadkit.Schema(DEFINITION)
    with pytest.raises(leadkit.InvalidInputError, match="fitted"):
        s.transform(leads)  # "median" has to be learned first
    f = s.fit(leads)
    X = f.transform(leads)
    assert X.dtype == np.float32 and X.shape == (3, 10)
    np.testing.assert_array_equal(X, [
        [1, 0, 0, 1, 0, 0, 0, 1, 1, 1],
        [0, 0, 1, 0, 0, 1, 0, 0, 0, 0],   # median 2510 -> >= 1000; retail -> <unknown>
        [0, 0, 1, 0, 0, 0, 1, 0, 0, 0],   # missing industry -> <missing>
    ])
    assert f.to_dict()["attributes"][0]["impute"] == pytest.approx(2510.0)


def test_dict_input_and_threads(leads):
    f = leadkit.Schema(DEFINITION).fit(leads)
    n = 50_000
    data = {
        "employees": np.arange(n, dtype=np.int64) % 3000,
        "industry": ["software", "fintech", None, "x"] * (n // 4),
        "is_customer": np.arange(n) % 2 == 0,
        "interests": ["cloud", "security;cloud", None, ""] * (n // 4),
    }
    a = f.transform(data, n_threads=1)
    b = f.transform(data, n_threads=2)
    assert a.tobytes() == b.tobytes()
    assert a.shape == (n, 10)


def test_round_trip_json_and_pickle(leads):
    f = leadkit.Schema(DEFINITION).fit(leads)
    g = leadkit.Schema(f.to_json())
    h = pickle.loads(pickle.dumps(f))
    assert g.transform(leads).tobytes() == f.transform(leads).tobytes() == h.transform(leads).tobytes()


def test_bad_definitions_name_the_json_path():
    with pytest.raises(leadkit.InvalidInputError, match=r"schema.attributes\[0\].bands\[1\]: expected a number"):
        leadkit.Schema({"attributes": [{"name": "x", "type": "numeric", "bands": [1, "b"]}]})
    with pytest.raises(leadkit.InvalidInputError, match="unknown field \"vocab\""):
        leadkit.Schema({"attributes": [{"name": "c", "type": "categorical", "vocabulary": ["a"], "vocab": []}]})
    with pytest.raises(leadkit.InvalidInputError, match="not valid JSON"):
        leadkit.Schema("{")
    with pytest.raises(TypeError, match="definition"):
        leadkit.Schema(42)


def test_bad_data():
    s = leadkit.Schema({"attributes": [
        {"name": "x", "type": "numeric"},
        {"name": "c", "type": "categorical", "vocabulary": ["a"], "unknown": "error"}]})
    with pytest.raises(leadkit.InvalidInputError, match="row 1, attribute 'c': value 'b' is not in the vocabulary"):
        s.transform({"x": [1.0, 2.0], "c": ["a", "b"]})
    with pytest.raises(leadkit.InvalidInputError, match="row 0, attribute 'x': value is missing"):
        s.transform({"x": [np.nan, 2.0], "c": ["a", "a"]})
    with pytest.raises(leadkit.InvalidInputError, match="no column for attribute 'c'"):
        s.transform({"x": [1.0]})
    with pytest.raises(leadkit.InvalidInputError, match="column 'y' is not an attribute"):
        s.transform({"x": [1.0], "c": ["a"], "y": [1.0]})
    with pytest.raises(leadkit.InvalidInputError, match="holds strings but attribute 'x' is numeric"):
        s.transform({"x": ["1"], "c": ["a"]})
    with pytest.raises(ValueError, match=r"data\['c'\]: has 2 rows but the first column has 1"):
        s.transform({"x": [1.0], "c": ["a", "a"]})
    with pytest.raises(TypeError, match=r"data\['c'\]\[0\]: expected a string or None, got dict"):
        s.transform({"x": [1.0], "c": [{}]})
    with pytest.raises(leadkit.InvalidInputError, match="empty"):
        s.transform({"x": np.zeros(0), "c": []})
    with pytest.raises(TypeError, match="data: expected a dict"):
        s.transform([1, 2])


def test_encoded_features_feed_the_logistic_model(leads):
    f = leadkit.Schema(DEFINITION).fit(leads)
    X = f.transform(leads)
    m = leadkit.LogisticModel(np.linspace(-1, 1, f.n_features).astype(np.float32), 0.1)
    p = m.predict_proba(X)
    assert p.shape == (3,) and np.all((p > 0) & (p < 1))
