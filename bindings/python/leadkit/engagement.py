"""leadkit.EngagementModel, leadkit.EngagementState and leadkit.rollup:
behavioural scoring from events (batch and streaming) and account roll-up.

Events are parallel arrays (numpy arrays, lists or pandas Series): ``lead``
(integer lead indices in ``[0, n_leads)``), ``type`` (event type names or
integer type indices), ``time`` (Unix seconds, or numpy/pandas datetimes) and
an optional ``value`` (a multiplier >= 0, default 1). Events later than
``as_of`` are ignored by ``EngagementModel.score``. See docs/ENGAGEMENT.md for
the exact semantics.
"""
import json as _json

import numpy as np

from . import _core

__all__ = ["EngagementModel", "EngagementState", "rollup"]


def _is_pandas(x):
    return type(x).__module__.startswith("pandas")


def _array(x):
    if _is_pandas(x):
        x = x.to_numpy()
    return np.asarray(x)


def _leads(lead):
    a = _array(lead)
    if a.ndim != 1:
        raise _core.InvalidInputError(f"lead: expected a 1-D array, got shape {a.shape}")
    if a.dtype == np.int32:
        return np.ascontiguousarray(a)
    if a.size and a.dtype.kind not in "iu":
        raise TypeError(f"lead: expected integer lead indices, got dtype {a.dtype}")
    if a.size and (a.min() < 0 or a.max() > np.iinfo(np.int32).max):
        bad = int(np.flatnonzero((a < 0) | (a > np.iinfo(np.int32).max))[0])
        raise _core.InvalidInputError(f"lead[{bad}]: lead index {a[bad]} is out of range")
    return a.astype(np.int32)


def _times(time):
    a = _array(time)
    if a.dtype.kind == "M":  # datetime64: to Unix seconds (NaT becomes NaN: an error)
        nat = np.isnat(a)
        secs = a.astype("datetime64[ns]").astype(np.int64).astype(np.float64) / 1e9
        secs[nat] = np.nan
        return secs
    if a.dtype.kind == "O" and a.size and hasattr(a.flat[0], "timestamp"):
        import pandas as pd  # datetimes, tz-aware or naive (naive = UTC), as _as_of reads them

        return _times(pd.to_datetime(a, utc=True).tz_localize(None).to_numpy())
    if a.size and a.dtype.kind not in "iuf":
        raise TypeError(f"time: expected Unix seconds or datetimes, got dtype {a.dtype}")
    return np.ascontiguousarray(a, dtype=np.float64)


def _values(value, n):
    if value is None:
        return None
    a = _array(value)
    if a.size and a.dtype.kind not in "iuf":
        raise TypeError(f"value: expected numbers, got dtype {a.dtype}")
    return np.ascontiguousarray(a, dtype=np.float32)


def _as_of(t):
    if isinstance(t, (int, float, np.integer, np.floating)):
        return float(t)
    if isinstance(t, np.datetime64) or hasattr(t, "timestamp"):
        import pandas as pd  # naive datetimes are UTC; the same arithmetic as _times

        ts = pd.Timestamp(t)
        if ts.tzinfo is not None:
            ts = ts.tz_convert("UTC").tz_localize(None)
        return float(_times(np.array([ts.to_datetime64()]))[0])
    raise TypeError(f"as_of: expected Unix seconds or a datetime, got {type(t).__name__}")


class EngagementModel:
    """Points per event type, decaying with age, capped per type and per
    period, counted once or each time, grouped with caps, limited and floored.

    ``definition`` is JSON text or the equivalent dict::

        model = leadkit.EngagementModel({
            "types": [
                {"name": "form_fill", "points": 10,
                 "decay": {"kind": "exponential", "half_life": 30 * 86400}},
                {"name": "page_view", "points": 1,
                 "period_cap": {"points": 20, "period": 86400}},
                {"name": "unsubscribe", "points": -50}],
            "floor": True})
        total = model.score(df.lead, df.event, df.time, as_of=now, n_leads=n)
    """

    def __init__(self, definition):
        if isinstance(definition, _core.EngagementModel):
            self._model = definition
        else:
            if isinstance(definition, dict):
                definition = _json.dumps(definition)
            if not isinstance(definition, str):
                raise TypeError("definition: expected a JSON string or a dict, got "
                                f"{type(definition).__name__}")
            self._model = _core.EngagementModel(definition)
        self._names = list(self._model.type_names)
        self._index = {n: i for i, n in enumerate(self._names)}

    @property
    def type_names(self):
        return list(self._names)

    @property
    def n_types(self):
        return len(self._names)

    def type_index(self, name):
        """The index of an event type by name (KeyError if unknown)."""
        try:
            return self._index[name]
        except KeyError:
            raise KeyError(f"type: '{name}' is not an event type of the model "
                           f"(types: {', '.join(self._names)})") from None

    def to_dict(self):
        """The model's canonical JSON definition as a dict."""
        return _json.loads(self._model.to_json())

    def _types(self, type):
        a = _array(type)
        if a.ndim != 1:
            raise _core.InvalidInputError(f"type: expected a 1-D array, got shape {a.shape}")
        if a.dtype == np.int32:
            return np.ascontiguousarray(a)  # checked (naming the event) by the library
        if a.dtype.kind in "iu":
            if a.size and (a.min() < 0 or a.max() >= self.n_types):
                bad = int(np.flatnonzero((a < 0) | (a >= self.n_types))[0])
                raise _core.InvalidInputError(
                    f"type[{bad}]: unknown event type {a[bad]}; the model has {self.n_types} types")
            return np.ascontiguousarray(a, dtype=np.int32)
        if a.size == 0:
            return np.zeros(0, np.int32)
        if a.dtype.kind not in "OUS":
            raise TypeError(f"type: expected event type names or indices, got dtype {a.dtype}")
        # Names resolved once per distinct name, not once per event.
        uniq, inverse = np.unique(a.astype(str), return_inverse=True)
        codes = np.empty(len(uniq), np.int32)
        for k, name in enumerate(uniq):
            if name not in self._index:
                bad = int(np.flatnonzero(inverse == k)[0])
                raise _core.InvalidInputError(
                    f"type[{bad}]: unknown event type '{name}' (types: {', '.join(self._names)})")
            codes[k] = self._index[name]
        return codes[inverse]

    def _events(self, lead, type, time, value):
        lead = _leads(lead)
        return lead, self._types(type), _times(time), _values(value, len(lead))

    def score(self, lead, type, time, value=None, *, as_of, n_leads, per_type=False, n_threads=0, out=None):
        """Engagement per lead as of ``as_of``: float32 array (n_leads,), or
        ``(total, per_type)`` with per_type of shape (n_leads, n_types).

        out: what an earlier call with the same n_leads and per_type returned
        (the array, or the tuple): filled in place and returned, so repeated
        batches allocate nothing.
        """
        lead, type, time, value = self._events(lead, type, time, value)
        return self._model.score(lead, type, time, value, _as_of(as_of), int(n_leads), bool(per_type),
                                 int(n_threads), out)

    def state(self, n_leads):
        """A new streaming EngagementState for n_leads leads."""
        return EngagementState(self, n_leads)

    def __reduce__(self):
        return (EngagementModel, (self._model.to_json(),))

    def __repr__(self):
        return f"EngagementModel(types={self._names})"


class EngagementState:
    """Each lead's running engagement: feed events as they arrive with
    ``apply`` and read current scores with ``scores``, without replaying
    history; equal to ``EngagementModel.score`` over the same events.

    Time only moves forward: ``apply`` needs every event time in
    ``[state.now, as_of]`` and then sets ``now = as_of``; ``scores(as_of)``
    needs ``as_of >= now``. A rejected call leaves the state unchanged. One
    writer at a time. Pickles to its byte image (model included).
    """

    def __init__(self, model, n_leads):
        if not isinstance(model, EngagementModel):
            raise TypeError(f"model: expected a leadkit.EngagementModel, got {type(model).__name__}")
        self.model = model
        self._state = _core.EngagementState(model._model, int(n_leads))

    @classmethod
    def from_bytes(cls, data):
        state = _core.EngagementState.from_bytes(bytes(data))
        self = cls.__new__(cls)
        self._state = state
        self.model = EngagementModel(state.model)
        return self

    def to_bytes(self):
        return self._state.to_bytes()

    @property
    def now(self):
        return self._state.now

    @property
    def n_leads(self):
        return self._state.n_leads

    def apply(self, lead, type, time, value=None, *, as_of):
        lead, type, time, value = self.model._events(lead, type, time, value)
        self._state.apply(lead, type, time, value, _as_of(as_of))
        return self

    def scores(self, as_of=None, per_type=False, n_threads=0, out=None):
        """Current engagement per lead as of ``as_of`` (default: now).

        out: as for EngagementModel.score.
        """
        t = self._state.now if as_of is None else _as_of(as_of)
        return self._state.scores(t, bool(per_type), int(n_threads), out)

    def __reduce__(self):
        return (EngagementState.from_bytes, (self.to_bytes(),))

    def __repr__(self):
        return f"EngagementState(n_leads={self.n_leads}, now={self.now})"


def rollup(values, account, threshold=0.0):
    """Aggregates per-lead values to their accounts: B2B buying is done by groups.

    ``values``: per-lead numbers (array or Series), or a DataFrame / dict of
    such columns (engagement, fit, total...). ``account``: per-lead account
    ids, strings or integers (a Series or array); missing ids (None/NaN) are
    left out. Returns a pandas DataFrame indexed by account with, per value
    column, ``sum``, ``max``, ``mean``, ``engaged`` (leads with value >
    threshold) and ``leads``; with several value columns the columns are
    named ``<column>_<stat>``.
    """
    import pandas as pd

    acc = account.to_numpy() if _is_pandas(account) else np.asarray(account)
    codes, uniques = pd.factorize(acc, sort=True)
    if len(uniques) == 0:
        raise _core.InvalidInputError("account: no lead has an account")
    codes = codes.astype(np.int32)
    if isinstance(values, (dict, pd.DataFrame)):
        columns = {str(k): values[k] for k in values}
        multi = True
    else:
        columns = {"value": values}
        multi = False
    out = {}
    for name, col in columns.items():
        v = np.ascontiguousarray(_array(col), dtype=np.float32)
        if v.ndim != 1 or len(v) != len(codes):
            raise _core.InvalidInputError(
                f"values{'[' + repr(name) + ']' if multi else ''}: expected {len(codes)} values "
                f"(one per lead), got shape {v.shape}")
        s, mx, mean, cnt, leads = _core.rollup(v, codes, len(uniques), float(threshold))
        prefix = f"{name}_" if multi else ""
        out[prefix + "sum"] = s.astype(np.float64)
        out[prefix + "max"] = mx.astype(np.float64)
        out[prefix + "mean"] = mean.astype(np.float64)
        out[prefix + "engaged"] = cnt
        if "leads" not in out:
            out["leads"] = leads
    return pd.DataFrame(out, index=pd.Index(uniques, name="account"))
