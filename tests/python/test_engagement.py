"""leadkit.EngagementModel / EngagementState / rollup from Python."""
import datetime
import pickle

import numpy as np
import pandas as pd
import pytest

import leadkit

DAY = 86400.0
T0 = 1.7e9

MODEL = {
    "types": [
        {"name": "form_fill", "points": 10, "group": "Web",
         "decay": {"kind": "exponential", "half_life": 7 * DAY}, "cap": 40},
        {"name": "email_open", "points": 2,
         "decay": {"kind": "linear", "percent": 50, "period": 7 * DAY}},
        {"name": "webinar", "points": 15, "count": "once",
         "decay": {"kind": "window", "period": DAY, "periods": 30}},
        {"name": "page_view", "points": 1, "period_cap": {"points": 5, "period": DAY},
         "decay": {"kind": "exponential", "half_life": DAY}},
        {"name": "unsubscribe", "points": -30},
    ],
    "groups": [{"name": "Web", "max": 50}],
    "limit": 100, "floor": True,
}


def reference(model, lead, type_, time, value, n_leads, as_of):
    """The definition in plain Python (docs/ENGAGEMENT.md)."""
    types = model["types"]
    per = np.zeros((n_leads, len(types)))
    events = {}
    for l, t, s, v in zip(lead, type_, time, value):
        if s <= as_of:
            events.setdefault((l, t), []).append((s, v))
    for (l, t), evs in events.items():
        e = types[t]
        d = e.get("decay", {"kind": "none"})
        evs.sort()

        def fac(s):
            if d["kind"] == "exponential":
                return 2.0 ** (-(as_of - s) / d["half_life"])
            if d["kind"] in ("linear", "window"):
                k = np.floor(as_of / d["period"]) - np.floor(s / d["period"])
                if d["kind"] == "linear":
                    return max(0.0, 1 - d["percent"] / 100 * k)
                return 1.0 if k < d["periods"] else 0.0
            return 1.0

        sign = -1 if e["points"] < 0 else 1
        pc = e.get("period_cap")
        if e.get("count") == "once":
            s, v = evs[-1]
            p = abs(e["points"] * v)
            if pc:
                p = min(p, pc["points"])
            per[l, t] = sign * p * fac(s)
            continue
        used = {}
        for s, v in evs:
            p = abs(e["points"] * v)
            if pc:
                b = np.floor(s / pc["period"])
                p = min(p, pc["points"] - used.get(b, 0.0))
                used[b] = used.get(b, 0.0) + p
            per[l, t] += sign * p * fac(s)
    for t, e in enumerate(types):
        if "cap" in e:
            per[:, t] = np.clip(per[:, t], -e["cap"], e["cap"])
    web = [t for t, e in enumerate(types) if e.get("group") == "Web"]
    other = [t for t in range(len(types)) if t not in web]
    total = np.minimum(per[:, web].sum(1), 50) + per[:, other].sum(1)
    return np.maximum(np.minimum(total, 100), 0), per


def random_events(rng, n, n_leads, days):
    lead = rng.integers(0, n_leads, n)
    type_ = rng.integers(0, len(MODEL["types"]), n)
    time = np.floor(T0 + rng.uniform(0, days * DAY, n))
    value = rng.integers(1, 4, n).astype(np.float32) / 2
    return lead, type_, time, value


def test_score_matches_definition_with_names_and_pandas():
    rng = np.random.default_rng(1)
    model = leadkit.EngagementModel(MODEL)
    lead, type_, time, value = random_events(rng, 4000, 50, 60)
    as_of = T0 + 45 * DAY
    ref, ref_per = reference(MODEL, lead, type_, time, value, 50, as_of)
    total, per = model.score(lead, type_, time, value, as_of=as_of, n_leads=50, per_type=True)
    assert total.dtype == np.float32 and total.shape == (50,) and per.shape == (50, 5)
    np.testing.assert_allclose(total, ref, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(per, ref_per, rtol=1e-4, atol=1e-4)
    # Names, pandas columns and datetimes give the same answer.
    names = np.array(model.type_names, dtype=object)[type_]
    df = pd.DataFrame({"lead": lead, "event": names, "when": pd.to_datetime(time, unit="s"),
                       "value": value})
    total2 = model.score(df.lead, df.event, df.when, df.value, n_leads=50,
                         as_of=pd.Timestamp(as_of, unit="s"))
    np.testing.assert_array_equal(total, total2)


def test_hubspot_example_and_ignored_future_events():
    model = leadkit.EngagementModel({"types": [{"name": "form", "points": 10, "decay": {
        "kind": "linear", "percent": 50, "period": 30 * DAY}}]})
    t = 100 * 30 * DAY
    assert model.score([0, 0], ["form", "form"], [t, t + 31 * DAY], as_of=t + 30 * DAY,
                       n_leads=1)[0] == pytest.approx(5.0)


def test_state_equals_batch_on_a_random_stream():
    rng = np.random.default_rng(2)
    model = leadkit.EngagementModel(MODEL)
    lead, type_, time, value = random_events(rng, 3000, 40, 90)
    order = np.argsort(time, kind="stable")
    lead, type_, time, value = lead[order], type_[order], time[order], value[order]
    state = model.state(40)
    cuts = np.unique(np.concatenate([[0], rng.integers(1, len(lead), 25), [len(lead)]]))
    for b, e in zip(cuts[:-1], cuts[1:]):
        while e < len(lead) and time[e] == time[e - 1]:
            e += 1
        if b >= e:
            continue
        state.apply(lead[b:e], type_[b:e], time[b:e], value[b:e], as_of=time[e - 1])
    as_of = state.now + 5 * DAY
    batch = model.score(lead, type_, time, value, as_of=as_of, n_leads=40)
    np.testing.assert_allclose(state.scores(as_of), batch, rtol=1e-4, atol=1e-4)
    # Pickling goes through the byte image and keeps the model.
    back = pickle.loads(pickle.dumps(state))
    np.testing.assert_array_equal(back.scores(as_of), state.scores(as_of))
    assert back.model.type_names == model.type_names
    assert back.now == state.now


def test_state_cannot_go_back_in_time_and_rejects_atomically():
    model = leadkit.EngagementModel(MODEL)
    state = model.state(3)
    state.apply([0, 1], ["form_fill", "page_view"], [T0, T0 + 1], as_of=T0 + 10)
    before = state.to_bytes()
    with pytest.raises(leadkit.InvalidInputError, match="cannot go back in time"):
        state.apply([2, 2], ["webinar", "webinar"], [T0 + 20, T0 + 5], as_of=T0 + 30)
    with pytest.raises(leadkit.InvalidInputError, match="as_of"):
        state.apply([2], ["webinar"], [T0 + 20], as_of=T0 + 5)
    with pytest.raises(leadkit.InvalidInputError, match="cannot go back in time"):
        state.scores(T0)
    assert state.to_bytes() == before
    with pytest.raises(leadkit.LeadkitError) as e:
        leadkit.EngagementState.from_bytes(before[:-4])
    assert e.value.status_name == "LK_ERR_FORMAT"


def test_bad_events_are_specific_errors():
    model = leadkit.EngagementModel(MODEL)
    ok = dict(lead=[0, 1], type=["form_fill", "webinar"], time=[T0, T0])
    with pytest.raises(leadkit.InvalidInputError, match=r"lead\[1\]"):
        model.score([0, 5], ok["type"], ok["time"], as_of=T0, n_leads=2)
    with pytest.raises(leadkit.InvalidInputError, match=r"lead\[0\]"):
        model.score([-1, 0], ok["type"], ok["time"], as_of=T0, n_leads=2)
    with pytest.raises(leadkit.InvalidInputError, match=r"type\[1\]: unknown event type 'demo'"):
        model.score(ok["lead"], ["form_fill", "demo"], ok["time"], as_of=T0, n_leads=2)
    with pytest.raises(leadkit.InvalidInputError, match=r"type\[0\]: unknown event type 9"):
        model.score(ok["lead"], [9, 0], ok["time"], as_of=T0, n_leads=2)
    with pytest.raises(leadkit.InvalidInputError, match=r"time\[1\]"):
        model.score(ok["lead"], ok["type"], [T0, np.nan], as_of=T0, n_leads=2)
    with pytest.raises(leadkit.InvalidInputError, match="epoch"):
        model.score(ok["lead"], ok["type"], [T0, -3.0], as_of=T0, n_leads=2)
    with pytest.raises(leadkit.InvalidInputError, match=r"value\[0\]"):
        model.score(**ok, value=[np.nan, 1.0], as_of=T0, n_leads=2)
    with pytest.raises(leadkit.InvalidInputError, match="as_of"):
        model.score(**ok, as_of=np.nan, n_leads=2)
    with pytest.raises(leadkit.InvalidInputError, match="events but lead has"):
        model.score(ok["lead"], ok["type"], [T0], as_of=T0, n_leads=2)
    with pytest.raises(TypeError, match="lead"):
        model.score([0.5, 1.0], ok["type"], ok["time"], as_of=T0, n_leads=2)
    with pytest.raises(KeyError, match="nope"):
        model.type_index("nope")
    with pytest.raises(leadkit.InvalidInputError, match=r"engagement.types\[0\].decay.half_life"):
        leadkit.EngagementModel({"types": [{"name": "a", "points": 1,
                                            "decay": {"kind": "exponential", "half_life": 0}}]})


def test_model_round_trips_and_pickles():
    model = leadkit.EngagementModel(MODEL)
    again = leadkit.EngagementModel(model.to_dict())
    assert again.to_dict() == model.to_dict()
    assert pickle.loads(pickle.dumps(model)).type_names == model.type_names
    assert model.type_index("webinar") == 2


def test_rollup_by_account_names_with_pandas():
    df = pd.DataFrame({"account": ["acme", "acme", "globex", None, "acme"],
                       "engagement": [10.0, 0.0, 30.0, 5.0, 7.0],
                       "fit": [50.0, 20.0, 10.0, 0.0, 60.0]})
    one = leadkit.rollup(df.engagement, df.account, threshold=5)
    assert list(one.index) == ["acme", "globex"]
    assert one.loc["acme", "sum"] == pytest.approx(17.0)
    assert one.loc["acme", "max"] == 10.0
    assert one.loc["acme", "mean"] == pytest.approx(17 / 3)
    assert one.loc["acme", "engaged"] == 2
    assert one.loc["acme", "leads"] == 3
    both = leadkit.rollup(df[["engagement", "fit"]], df.account)
    assert both.loc["acme", "fit_sum"] == pytest.approx(130.0)
    assert both.loc["globex", "engagement_max"] == 30.0
    with pytest.raises(leadkit.InvalidInputError, match="values"):
        leadkit.rollup([1.0, 2.0], ["a", "b", "c"])
    with pytest.raises(leadkit.InvalidInputError, match="not finite"):
        leadkit.rollup([1.0, np.nan], ["a", "b"])


def test_batch_is_bit_identical_for_any_thread_count():
    rng = np.random.default_rng(4)
    model = leadkit.EngagementModel({"types": [
        {"name": "a", "points": 5, "decay": {"kind": "exponential", "half_life": DAY}},
        {"name": "b", "points": -1}]})
    n = 3_000_000
    lead = rng.integers(0, 50_000, n, dtype=np.int32)
    type_ = rng.integers(0, 2, n, dtype=np.int32)
    time = np.floor(T0 + rng.uniform(0, 30 * DAY, n))
    one = model.score(lead, type_, time, as_of=T0 + 31 * DAY, n_leads=50_000, n_threads=1)
    two = model.score(lead, type_, time, as_of=T0 + 31 * DAY, n_leads=50_000, n_threads=2)
    assert one.tobytes() == two.tobytes()


def test_out_fills_the_arrays_of_an_earlier_call_in_place():
    rng = np.random.default_rng(6)
    model = leadkit.EngagementModel(MODEL)
    lead, type_, time, value = random_events(rng, 2000, 30, 60)
    as_of = T0 + 61 * DAY
    want = model.score(lead, type_, time, value, as_of=as_of, n_leads=30)
    out = np.full(30, np.nan, np.float32)
    got = model.score(lead, type_, time, value, as_of=as_of, n_leads=30, out=out)
    assert got is out
    np.testing.assert_array_equal(out, want)
    # per_type: the (total, per_type) tuple, both filled.
    want_t, want_p = model.score(lead, type_, time, value, as_of=as_of, n_leads=30, per_type=True)
    pair = (np.zeros(30, np.float32), np.zeros((30, len(model.type_names)), np.float32))
    got_t, got_p = model.score(lead, type_, time, value, as_of=as_of, n_leads=30, per_type=True, out=pair)
    assert got_t is pair[0] and got_p is pair[1]
    np.testing.assert_array_equal(got_t, want_t)
    np.testing.assert_array_equal(got_p, want_p)
    # The streaming state's scores take out= the same way.
    order = np.argsort(time, kind="stable")
    state = model.state(30)
    state.apply(lead[order], type_[order], time[order], value[order], as_of=time[order][-1])
    s_out = np.empty(30, np.float32)
    assert state.scores(as_of, out=s_out) is s_out
    np.testing.assert_array_equal(s_out, state.scores(as_of))
    t_out = (np.empty(30, np.float32), np.empty((30, len(model.type_names)), np.float32))
    st, sp = state.scores(as_of, per_type=True, out=t_out)
    assert st is t_out[0] and sp is t_out[1]
    np.testing.assert_array_equal(sp, state.scores(as_of, per_type=True)[1])


def test_bad_out_is_refused_before_anything_is_written():
    model = leadkit.EngagementModel(MODEL)
    lead = np.array([0, 1], np.int32)
    time = np.array([T0, T0 + DAY])
    kw = dict(as_of=T0 + 2 * DAY, n_leads=3)
    T = len(model.type_names)
    cases = [
        ([0.0, 0.0, 0.0], TypeError, "out: expected a numpy array, got list"),
        (np.zeros(3, np.float64), TypeError, "out: expected dtype float32, got float64"),
        (np.zeros(4, np.float32), ValueError, r"out: expected shape \(3,\), got \(4,\)"),
        (np.zeros((3, 2), np.float32)[:, 0], ValueError, "out: must be C-contiguous"),
    ]
    for out, err, msg in cases:
        keep = out.copy() if isinstance(out, np.ndarray) else None
        with pytest.raises(err, match=msg):
            model.score(lead, ["form_fill", "webinar"], time, **kw, out=out)
        if keep is not None:
            np.testing.assert_array_equal(out, keep)  # untouched
    ro = np.zeros(3, np.float32)
    ro.flags.writeable = False
    with pytest.raises(ValueError, match="out: is read-only"):
        model.score(lead, ["form_fill", "webinar"], time, **kw, out=ro)
    with pytest.raises(TypeError, match=r"out: with per_type=True, expected the \(total, per_type\) tuple"):
        model.score(lead, ["form_fill", "webinar"], time, **kw, per_type=True, out=np.zeros(3, np.float32))
    with pytest.raises(ValueError, match="out: expected the 2 arrays"):
        model.score(lead, ["form_fill", "webinar"], time, **kw, per_type=True, out=(np.zeros(3, np.float32),))
    with pytest.raises(ValueError, match=r"out\[1\] \(per_type\): expected shape \(3, %d\)" % T):
        model.score(lead, ["form_fill", "webinar"], time, **kw, per_type=True,
                    out=(np.zeros(3, np.float32), np.zeros((3, T + 1), np.float32)))
    both = np.zeros(3 * (T + 1), np.float32)
    with pytest.raises(ValueError, match="out: total and per_type overlap"):
        model.score(lead, ["form_fill", "webinar"], time, **kw, per_type=True,
                    out=(both[:3], both[:3 * T].reshape(3, T)))
    # An output on top of an event array would be read while written.
    events_time = np.array([T0, T0 + DAY, 0.0])[:2]
    alias = events_time.view(np.float32)[:3]
    with pytest.raises(ValueError, match="out: overlaps time; the outputs need memory of their own"):
        model.score(lead, ["form_fill", "webinar"], events_time, **kw, out=alias)
    # A call the library rejects (a lead out of range) leaves a given out as it was.
    kept = np.full(3, 7.0, np.float32)
    with pytest.raises(leadkit.InvalidInputError, match=r"lead\[1\]: lead index 5 is out of range"):
        model.score(np.array([0, 5], np.int32), ["form_fill", "webinar"], time, **kw, out=kept)
    np.testing.assert_array_equal(kept, np.full(3, 7.0, np.float32))
    state = model.state(3)
    with pytest.raises(ValueError, match=r"out: expected shape \(3,\), got \(2,\)"):
        state.scores(T0, out=np.zeros(2, np.float32))
