"""leadkit.Scorecard and leadkit.datasets from Python."""
import json
import pathlib
import pickle

import numpy as np
import pandas as pd
import pytest

import leadkit

DATA = pathlib.Path(__file__).resolve().parents[2] / "examples" / "data"


@pytest.fixture(scope="module")
def definition():
    return json.loads((DATA / "scorecard.json").read_text())


@pytest.fixture(scope="module")
def leads():
    return pd.read_csv(DATA / "sample_leads.csv")


def test_scores_the_sample_into_a_labelled_frame(definition, leads):
    sc = leadkit.Scorecard(definition)
    assert sc.fit_score_names == ["fit", "activity", "fit_security"]
    assert sc.primary == "fit"
    r = sc.score(leads, k=3)
    assert len(r) == len(leads)
    assert list(r.columns[:5]) == ["fit", "activity", "fit_security", "total", "probability"]
    assert set(r["stage"].cat.categories) == {"cold", "warm", "MQL"}
    assert set(r["grade"].dropna()) <= {"A", "B", "C", "D"}
    np.testing.assert_allclose(r["total"], r["fit"] + r["activity"], rtol=1e-6)
    # Reasons name rules and add up to the fit score when fewer than k are given.
    assert r["reason_1"].dropna().isin(sc.rule_names).all()
    few = r["reason_3"].isna()
    parts = r[["reason_1_points", "reason_2_points", "reason_3_points"]].sum(axis=1)
    np.testing.assert_allclose(parts[few], r["fit"][few], atol=1e-3)
    # The stages separate buyers: MQLs convert far more often than cold leads.
    rate = leads.groupby(r["stage"].astype(str))["converted"].mean()
    assert rate["MQL"] > 5 * rate["cold"]


def test_equals_its_parts(definition, leads):
    sc = leadkit.Scorecard(definition)
    X = sc.transform(leads)
    assert X.shape == (len(leads), sc.n_features)
    fit = leadkit.PointsModel(sc.schema, definition["fit"][0])
    activity = leadkit.PointsModel(sc.schema, definition["fit"][1])
    r = sc.score(leads, as_frame=False, k=0)
    np.testing.assert_array_equal(r["fit"][:, 0], fit.score(X))
    np.testing.assert_array_equal(r["total"], fit.score(X) + activity.score(X))
    stage, grade = sc.grader.apply(r["total"], r["fit"][:, 0])
    np.testing.assert_array_equal(r["stage"], stage)
    np.testing.assert_array_equal(r["grade"], grade)
    assert "reason_rules" not in r
    # Features in, the same numbers out; any thread count.
    f = sc.score_features(X, as_frame=False, k=0, n_threads=1)
    np.testing.assert_array_equal(f["probability"], r["probability"])
    big = pd.concat([leads] * 6, ignore_index=True)
    a = sc.score(big, n_threads=1)
    b = sc.score(big, n_threads=2)
    pd.testing.assert_frame_equal(a, b)


def test_engagement_joins_the_total(definition, leads):
    sc = leadkit.Scorecard(definition)
    base = sc.score(leads.head(50), k=0)
    boosted = sc.score(leads.head(50), k=0, engagement=np.full(50, 100.0))
    np.testing.assert_allclose(boosted["total"], base["total"] + 100.0, rtol=1e-6)
    assert (boosted["stage"].astype(str) != "cold").all()
    with pytest.raises(leadkit.InvalidInputError, match=r"engagement: expected shape \(50,\)"):
        sc.score(leads.head(50), engagement=np.zeros(3))
    bad = np.zeros(50)
    bad[4] = np.nan
    with pytest.raises(leadkit.InvalidInputError, match=r"engagement\[4\]"):
        sc.score(leads.head(50), engagement=bad)


def test_json_export_round_trips_and_pickles(definition, leads):
    sc = leadkit.Scorecard(definition)
    exported = sc.to_dict()
    assert exported["total"] == ["fit", "activity"]
    assert exported["logistic"]["weights"]["seniority=vp"] == pytest.approx(1.1)
    again = leadkit.Scorecard(sc.to_json())
    assert again.to_json() == sc.to_json()
    clone = pickle.loads(pickle.dumps(sc))
    pd.testing.assert_frame_equal(clone.score(leads.head(100)), sc.score(leads.head(100)))


def test_definition_errors_name_the_json_path(definition):
    d = json.loads(json.dumps(definition))
    d["fit"][0]["rules"][2]["feature"] = "seniority=director-ish"
    with pytest.raises(leadkit.InvalidInputError, match=r"scorecard\.fit\[0\]\.rules\[2\]\.feature"):
        leadkit.Scorecard(d)
    d = json.loads(json.dumps(definition))
    d["logistic"]["weights"]["nope"] = 1
    with pytest.raises(leadkit.InvalidInputError, match=r"scorecard\.logistic\.weights\.nope"):
        leadkit.Scorecard(d)
    d = json.loads(json.dumps(definition))
    d["totl"] = ["fit"]
    with pytest.raises(leadkit.InvalidInputError, match='unknown field "totl"'):
        leadkit.Scorecard(d)
    with pytest.raises(TypeError, match="definition"):
        leadkit.Scorecard(42)


def test_bad_data_names_the_lead(definition, leads):
    sc = leadkit.Scorecard(definition)
    with pytest.raises(leadkit.InvalidInputError, match="no column for attribute 'seniority'"):
        sc.score(leads.drop(columns=["seniority"]))
    bad = leads.head(10).copy()
    bad.loc[6, "employees"] = np.inf
    with pytest.raises(leadkit.InvalidInputError, match="row 6"):
        sc.score(bad)
    with pytest.raises(leadkit.InvalidInputError, match="k: must be >= 0"):
        sc.score(leads.head(3), k=-1)
    with pytest.raises(TypeError, match="float32"):
        sc.score_features(np.zeros((2, sc.n_features)))


def test_datasets_are_seeded_and_plausible():
    a = leadkit.datasets.make_leads(3000, seed=5)
    b = leadkit.datasets.make_leads(3000, seed=5)
    c = leadkit.datasets.make_leads(3000, seed=6)
    pd.testing.assert_frame_equal(a, b)
    assert not a["title"].equals(c["title"])
    assert 0.03 < a["converted"].mean() < 0.2
    by_seniority = a.groupby("seniority")["converted"].mean()
    assert by_seniority["vp"] > by_seniority["individual"] > by_seniority.get("student", 0.0)
    # Leads of one account share its company attributes.
    per_account = a.groupby("account_id")[["industry", "country", "company"]].nunique()
    assert (per_account <= 1).all().all()
    with pytest.raises(ValueError, match="n: must be at least 1"):
        leadkit.datasets.make_leads(0)
    with pytest.raises(ValueError, match="seed"):
        leadkit.datasets.make_leads(10, seed=-1)


def test_engagement_section_feeds_the_total(definition, leads):
    d = json.loads(json.dumps(definition))
    d["engagement"] = {"types": [{"name": "webinar", "points": 40,
                                  "decay": {"kind": "exponential", "half_life": 7 * 86400}}]}
    sc = leadkit.Scorecard(d)
    model = sc.engagement
    assert model is not None and leadkit.Scorecard(definition).engagement is None
    now = pd.Timestamp("2026-11-01")
    eng = model.score([0, 0, 3], ["webinar"] * 3, [now - pd.Timedelta(days=7)] * 3, as_of=now, n_leads=10)
    np.testing.assert_allclose(eng[[0, 3]], [40.0, 20.0], rtol=1e-5)
    r = sc.score(leads.head(10), k=0, engagement=eng)
    base = sc.score(leads.head(10), k=0)
    np.testing.assert_allclose(r["total"], base["total"] + eng, rtol=1e-6)
    assert sc.to_dict()["engagement"]["types"][0]["name"] == "webinar"


def test_personas_in_every_result(definition, leads):
    sc = leadkit.Scorecard(definition)
    personas = sc.personas
    assert personas is not None and "Security buyer" in personas.names
    r = sc.score(leads, k=0)
    X = sc.transform(leads)
    best = personas.match(X, k=1)[0]
    expected = pd.Categorical.from_codes(best, personas.names)
    assert (r["persona"].astype(str) == pd.Series(expected).astype(str)).all()
    assert r["persona"].isna().any() and r["persona"].notna().any()  # "no persona" below 0.5
    assert (r["persona_similarity"][r["persona"].notna()] >= 0.5).all()
    d = json.loads(json.dumps(definition))
    del d["personas"]
    assert "persona" not in leadkit.Scorecard(d).score(leads.head(5)).columns


def test_out_fills_the_callers_arrays_in_place(definition, leads):
    sc = leadkit.Scorecard(definition)
    X = sc.transform(leads)
    want = sc.score_features(X, k=2, as_frame=False)
    out = {key: np.full_like(v, -9) for key, v in want.items()}
    got = sc.score_features(X, k=2, as_frame=False, out=out)
    assert got.keys() == want.keys()
    for key in want:
        assert got[key] is out[key] or np.shares_memory(got[key], out[key]), key
        np.testing.assert_array_equal(out[key], want[key], err_msg=key)
    # Raw records too, and the arrays are reused call after call.
    again = sc.score(leads, k=2, as_frame=False, out=out)
    for key in want:
        assert np.shares_memory(again[key], out[key])
        np.testing.assert_array_equal(out[key], want[key], err_msg=key)


def test_outputs_selects_what_is_computed(definition, leads):
    sc = leadkit.Scorecard(definition)
    X = sc.transform(leads)
    full = sc.score_features(X, k=0, as_frame=False)
    some = sc.score_features(X, k=0, as_frame=False, outputs=["probability", "stage", "probability"])
    assert sorted(some) == ["probability", "stage"]  # asked twice, given once
    for key in some:
        np.testing.assert_array_equal(some[key], full[key], err_msg=key)
    # Raw records and the frame: only the columns asked for (and the reasons, with k).
    frame = sc.score(leads, k=1, outputs=("fit", "grade"))
    assert list(frame.columns) == ["fit", "activity", "fit_security", "grade", "reason_1", "reason_1_points"]
    ref = sc.score(leads, k=1)
    pd.testing.assert_frame_equal(frame, ref[frame.columns])
    # out= takes the dict of a call with the same outputs.
    again = sc.score_features(X, k=0, as_frame=False, outputs=["probability", "stage"], out=some)
    assert np.shares_memory(again["probability"], some["probability"])


def test_outputs_errors_name_the_choices(definition, leads):
    sc = leadkit.Scorecard(definition)
    X = sc.transform(leads)
    with pytest.raises(ValueError, match=r"outputs: unknown output 'proba'; choose from fit, total, probability"):
        sc.score_features(X, outputs=["proba"])
    with pytest.raises(ValueError, match="outputs: asks for nothing"):
        sc.score_features(X, outputs=[])
    with pytest.raises(TypeError, match="outputs: expected None or a list of output names"):
        sc.score_features(X, outputs="probability")
    with pytest.raises(TypeError, match="outputs: expected output names as strings, got int"):
        sc.score(leads, outputs=[1])
    bare = dict(definition)
    for key in ("logistic", "personas"):
        bare.pop(key, None)
    with pytest.raises(ValueError, match="outputs: this scorecard has no 'probability' output"):
        leadkit.Scorecard(bare).score(leads, outputs=["probability"])
    with pytest.raises(ValueError, match=r'out\["stage"\]: missing'):
        sc.score_features(X, k=0, as_frame=False, outputs=["stage"],
                          out=sc.score_features(X, k=0, as_frame=False, outputs=["total"]))


def test_out_errors_name_the_array(definition, leads):
    sc = leadkit.Scorecard(definition)
    X = sc.transform(leads)
    good = sc.score_features(X, k=0, as_frame=False)
    with pytest.raises(ValueError, match="as_frame=False"):
        sc.score_features(X, k=0, out=good)
    with pytest.raises(TypeError, match="out: expected None or the dict"):
        sc.score_features(X, k=0, as_frame=False, out=[1, 2])
    missing = {k: v for k, v in good.items() if k != "total"}
    with pytest.raises(ValueError, match=r'out\["total"\]: missing'):
        sc.score_features(X, k=0, as_frame=False, out=missing)
    with pytest.raises(ValueError, match=r'out\["reason_rules"\]: missing'):
        sc.score_features(X, k=1, as_frame=False, out=good)  # k changed: reasons not in out
    wrong = dict(good, probability=good["probability"].astype(np.float64))
    with pytest.raises(TypeError, match=r'out\["probability"\]: expected dtype float32, got float64'):
        sc.score_features(X, k=0, as_frame=False, out=wrong)
    short = dict(good, stage=good["stage"][:-1].copy())
    with pytest.raises(ValueError, match=r'out\["stage"\]: expected shape'):
        sc.score_features(X, k=0, as_frame=False, out=short)
    strided = dict(good, fit=np.zeros((len(X), 2 * good["fit"].shape[1]), np.float32)[:, ::2])
    with pytest.raises(ValueError, match=r'out\["fit"\]: must be C-contiguous'):
        sc.score_features(X, k=0, as_frame=False, out=strided)
    frozen = good["total"].copy()
    frozen.flags.writeable = False
    with pytest.raises(ValueError, match=r'out\["total"\]: is read-only'):
        sc.score_features(X, k=0, as_frame=False, out=dict(good, total=frozen))
    not_array = dict(good, grade=[0] * len(X))
    with pytest.raises(TypeError, match=r'out\["grade"\]: expected a numpy array, got list'):
        sc.score_features(X, k=0, as_frame=False, out=not_array)
    # Outputs that overlap the features would be overwritten while read.
    buf = np.zeros((len(X), X.shape[1] + 1), np.float32)
    buf[:, : X.shape[1]] = X
    inside = buf.reshape(-1)[: len(X)]  # a contiguous run of floats inside the feature rows
    with pytest.raises(ValueError, match=r'out\["total"\]: overlaps X'):
        sc.score_features(buf[:, : X.shape[1]], k=0, as_frame=False, out=dict(good, total=inside))


def test_category_columns_score_as_their_strings(definition, leads):
    """A DataFrame with category columns (pandas' usual layout for repetitive
    text) scores exactly as its strings do."""
    sc = leadkit.Scorecard(definition)
    cat = leads.copy()
    for name in cat.columns:
        if cat[name].dtype == object:
            cat[name] = cat[name].astype("category")
    assert any(str(t) == "category" for t in cat.dtypes)
    pd.testing.assert_frame_equal(sc.score(cat, k=3), sc.score(leads, k=3))
