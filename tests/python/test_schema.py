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


def test_pandas_categoricals_encode_as_their_strings(leads):
    """A category column goes in as its codes and categories (each category
    looked up once) and gives exactly the features of the same strings."""
    f = leadkit.Schema(DEFINITION).fit(leads)
    cat = leads.copy()
    cat["industry"] = cat["industry"].astype("category")
    cat["interests"] = cat["interests"].astype("category")
    np.testing.assert_array_equal(f.transform(cat), f.transform(leads))
    # A bare pandas.Categorical in a dict, and "learn" vocabularies fitted from codes.
    d = {k: leads[k] for k in f.attribute_names}
    d["industry"] = pd.Categorical(leads["industry"])
    np.testing.assert_array_equal(f.transform(d), f.transform(leads))
    learn = leadkit.Schema({"attributes": [
        {"name": "industry", "type": "categorical", "vocabulary": "learn"},
        {"name": "interests", "type": "tags", "vocabulary": "learn"}]})
    assert learn.fit(cat).feature_names == learn.fit(leads).feature_names
    # Categories of numbers are their values (a numeric attribute may be a category column).
    num = leads.copy()
    num["employees"] = num["employees"].astype("category")
    np.testing.assert_array_equal(f.transform(num), f.transform(leads))


def test_bad_category_codes_are_named(leads):
    f = leadkit.Schema(DEFINITION).fit(leads)

    class Codes:  # shaped like pandas.Categorical
        def __init__(self, codes, categories):
            self.codes, self.categories = np.asarray(codes), categories

    def data(industry):
        return {"employees": [1.0, 2.0], "industry": industry, "is_customer": [True, False],
                "interests": ["cloud", None]}

    with pytest.raises(leadkit.InvalidInputError, match=r"row 1, attribute 'industry': code 5 is out of range"):
        f.transform(data(Codes([0, 5], ["software"])))
    with pytest.raises(leadkit.InvalidInputError, match="code -2 is out of range"):
        f.transform(data(Codes(np.array([0, -2], np.int8), ["software"])))
    with pytest.raises(TypeError, match=r"data\['industry'\].categories\[0\]: expected a string, got int"):
        f.transform(data(Codes([0, 0], [1])))
    with pytest.raises(TypeError, match=r"data\['industry'\].codes: expected a 1-D array of integers"):
        f.transform(data(Codes([0.5, 0.0], ["software"])))
    with pytest.raises(ValueError, match=r"codes must lie in -1 \.\. 2\^31 - 1"):
        f.transform(data(Codes(np.array([0, 2**40]), ["software"])))
    with pytest.raises(leadkit.InvalidInputError, match="holds category codes but attribute 'employees' is numeric"):
        f.transform({"employees": pd.Categorical(["a", "b"]), "industry": ["x", "y"],
                     "is_customer": [True, False], "interests": ["cloud", None]})
