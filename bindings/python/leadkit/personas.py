"""leadkit.PersonaSet and leadkit.PersonaMatcher: buyer personas.

A :class:`PersonaSet` holds named personas in a schema's feature space (written
by attribute values, or given as raw profiles) and matches leads to them in one
fused native pass: best persona, similarity, margin to the runner-up, top-k,
and -1 ("unmatched") below ``min_similarity``.

:class:`PersonaMatcher` is a scikit-learn style estimator: ``fit`` discovers
personas with k-means (k-means++, Lloyd or mini-batch, seeded, bit-identical
for any thread count), ``predict`` gives each lead's persona, ``transform``
every similarity, ``describe`` a readable profile per persona.

Mixed numeric and categorical features: in the encoded matrix, two leads that
differ in one categorical attribute differ in two one-hot columns, a squared
distance of 2, while a standardised numeric attribute one standard deviation
apart contributes 1. :func:`persona_feature_scales` scales every one-hot,
multi-hot (tags) and band column by ``categorical_weight / sqrt(2)`` so that a
categorical mismatch costs ``categorical_weight**2`` (1 by default: the same as
one standard deviation of a numeric attribute). Pass the result as
``PersonaMatcher(feature_scales=...)``: k-means then runs on the scaled
features, and the discovered personas carry the squared scales as weights, so
predict/transform take the unscaled matrix and give the same assignments.
Numeric attributes should be standardised in the schema (``"standardize":
true``) for this balance to hold.
"""
import json as _json
import math as _math

import numpy as _np

from . import _core
from .schema import Schema

_PARAMS = ("n_personas", "metric", "min_similarity", "n_init", "max_iter", "tol", "batch_size",
           "random_state", "feature_scales", "personas", "n_threads")


class PersonaSet:
    """Named personas with a metric and a minimum similarity.

    ``definition`` is JSON text or the equivalent dict::

        personas = leadkit.PersonaSet(schema, {
            "metric": "cosine", "min_similarity": 0.5,
            "personas": [
                {"name": "IT Director",
                 "attributes": {"seniority": "director", "department": "it",
                                "interests": ["security", "cloud"]},
                 "weights": {"interests": 2}},
                {"name": "Marketer", "attributes": {"department": "marketing"}}]})
        best, similarity, margin, top_index, top_score = personas.match(X, k=3)

    An attribute a persona leaves out is not part of it (its features weigh 0).
    Metrics: ``cosine`` (default), ``dot``, ``euclidean`` (1 / (1 + squared
    weighted distance), in (0, 1]).
    """

    def __init__(self, schema, definition):
        if isinstance(definition, _core.PersonaSet):
            self._set = definition
            return
        if not isinstance(schema, Schema):
            raise TypeError(f"schema: expected a leadkit.Schema, got {type(schema).__name__}")
        if isinstance(definition, dict):
            definition = _json.dumps(definition)
        if not isinstance(definition, str):
            raise TypeError(f"definition: expected a JSON string or a dict, got {type(definition).__name__}")
        self._set = _core.PersonaSet(schema._schema, definition)

    @classmethod
    def from_profiles(cls, names, profiles, metric="cosine", min_similarity=0.0, weights=None):
        """Personas given directly in the feature space: ``profiles`` of shape
        (n_personas, n_features), ``weights`` None (all 1) or the same shape."""
        return cls(None, _core.PersonaSet.from_profiles(list(names), profiles, metric, float(min_similarity),
                                                        weights))

    names = property(lambda self: list(self._set.names))
    n_personas = property(lambda self: self._set.n_personas)
    n_features = property(lambda self: self._set.n_features)
    metric = property(lambda self: self._set.metric)
    min_similarity = property(lambda self: self._set.min_similarity)
    profiles = property(lambda self: self._set.profiles, doc="(n_personas, n_features) float32")
    weights = property(lambda self: self._set.weights, doc="(n_personas, n_features) float32")

    def match(self, X, k=1, n_threads=0, out=None):
        """``(best, similarity, margin, top_index, top_score)`` per lead: best is
        -1 when the best similarity is below ``min_similarity``; top_* have
        shape (n_leads, k), best first. ``out``: the tuple an earlier call
        returned (same leads count and k), filled in place and returned, so
        repeated batches allocate nothing."""
        return self._set.match(X, k, n_threads, out)

    def predict(self, X, n_threads=0):
        """The best persona per lead (int32), -1 = unmatched."""
        return self._set.match(X, 1, n_threads)[0]

    def similarities(self, X, n_threads=0):
        """Every similarity, float32 of shape (n_leads, n_personas)."""
        return self._set.similarities(X, n_threads)

    def to_json(self):
        return self._set.to_json()

    def to_dict(self):
        return _json.loads(self.to_json())

    def __repr__(self):
        return f"PersonaSet(names={self.names}, metric={self.metric!r}, min_similarity={self.min_similarity})"

    def __reduce__(self):
        return (_persona_set_from_state, (self.names, self.profiles, self.metric, self.min_similarity, self.weights))


def _persona_set_from_state(names, profiles, metric, min_similarity, weights):
    return PersonaSet.from_profiles(names, profiles, metric, min_similarity, weights)


def _attribute_columns(schema):
    """Per feature column: (attribute name, attribute type, is_value_column)."""
    attrs = schema.to_dict()["attributes"]
    names = schema.feature_names
    out, j = [], 0
    for a in attrs:
        n = a["name"]
        while j < len(names) and (names[j] == n or names[j].startswith((n + "=", n + ":", n + " "))):
            out.append((n, a.get("type", "numeric"), names[j] == n))
            j += 1
    if j != len(names):
        raise ValueError("schema: could not map every feature column to its attribute")
    return out


def persona_feature_scales(schema, categorical_weight=1.0):
    """Column scales for k-means on mixed data (see the module docstring):
    1 for numeric value and boolean columns, ``categorical_weight / sqrt(2)``
    for one-hot (categorical, numeric bands) and multi-hot (tags) columns."""
    if not (categorical_weight > 0 and _math.isfinite(categorical_weight)):
        raise ValueError(f"categorical_weight: must be finite and > 0, got {categorical_weight}")
    s = []
    for _, typ, is_value in _attribute_columns(schema):
        one_hot = typ in ("categorical", "tags") or (typ == "numeric" and not is_value)
        s.append(categorical_weight / _math.sqrt(2.0) if one_hot else 1.0)
    return _np.asarray(s, dtype=_np.float32)


def _features(X, name="X"):
    """X as a C-contiguous float32 (n_leads, n_features) array (a copy only if
    it is not one already), with scikit-learn's messages for wrong inputs."""
    if hasattr(X, "tocsr") or type(X).__module__.startswith("scipy.sparse"):
        raise TypeError(f"{name}: sparse input is not supported; convert it with {name}.toarray()")
    if hasattr(X, "to_numpy"):
        X = X.to_numpy()
    X = _np.asarray(X)
    if _np.iscomplexobj(X):
        raise ValueError(f"{name}: Complex data not supported")
    if X.ndim != 2:
        raise ValueError(f"{name}: expected a 2-D array (n_leads, n_features), got shape {X.shape}. "
                         f"Reshape your data with {name}.reshape(-1, 1) for one feature or "
                         f"{name}.reshape(1, -1) for one lead")
    if X.shape[1] == 0:
        raise ValueError(f"{name}: 0 feature(s) (shape={X.shape}) while a minimum of 1 is required.")
    if X.dtype != _np.float32:
        X = X.astype(_np.float32)
    return _np.ascontiguousarray(X)


class PersonaMatcher:
    """Persona discovery and matching as a scikit-learn estimator.

    ``fit(X)`` runs k-means (``n_personas`` clusters, k-means++ with
    ``n_init`` restarts, Lloyd or, with ``batch_size > 0``, mini-batch) over
    the encoded leads and keeps the centres as personas named "persona 0",
    "persona 1", ... With ``personas=`` a :class:`PersonaSet`, ``fit`` only
    checks the width of X and uses those personas.

    ``predict(X)``: best persona per lead, -1 below ``min_similarity``.
    ``transform(X)``: every similarity, shape (n_leads, n_personas).
    ``describe(X, feature_names, outcomes)``: a readable profile per persona.
    ``choose_k(X, ks)``: inertia (elbow) and silhouette for each k.
    """

    def __init__(self, n_personas=8, *, metric="euclidean", min_similarity=0.0, n_init=4, max_iter=300,
                 tol=1e-4, batch_size=0, random_state=0, feature_scales=None, personas=None, n_threads=0):
        self.n_personas = n_personas
        self.metric = metric
        self.min_similarity = min_similarity
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.batch_size = batch_size
        self.random_state = random_state
        self.feature_scales = feature_scales
        self.personas = personas
        self.n_threads = n_threads

    def _more_tags(self):  # scikit-learn: outputs are float32 whatever the input
        return {"preserves_dtype": [_np.float32]}

    def get_params(self, deep=True):
        return {p: getattr(self, p) for p in _PARAMS}

    def set_params(self, **params):
        for k, v in params.items():
            if k not in _PARAMS:
                raise ValueError(f"{k}: not a parameter of PersonaMatcher (parameters: {', '.join(_PARAMS)})")
            setattr(self, k, v)
        return self

    def __repr__(self):
        changed = {k: v for k, v in self.get_params().items() if v is not PersonaMatcher().get_params()[k]}
        return "PersonaMatcher(" + ", ".join(f"{k}={v!r}" for k, v in changed.items()) + ")"

    def _seed(self):
        if self.random_state is None:
            return 0
        if isinstance(self.random_state, (int, _np.integer)) and self.random_state >= 0:
            return int(self.random_state)
        raise ValueError(f"random_state: expected a non-negative int or None, got {self.random_state!r}")

    def _scales(self, n_features):
        if self.feature_scales is None:
            return None
        s = _np.asarray(self.feature_scales, dtype=_np.float32)
        if s.shape != (n_features,):
            raise ValueError(f"feature_scales: expected shape ({n_features},), got {s.shape}")
        if not _np.all(_np.isfinite(s)) or _np.any(s <= 0):
            raise ValueError("feature_scales: every scale must be finite and > 0")
        return s

    def fit(self, X, y=None):
        X = _features(X)
        if self.personas is not None:
            if not isinstance(self.personas, PersonaSet):
                raise TypeError(f"personas: expected a leadkit.PersonaSet, got {type(self.personas).__name__}")
            if X.shape[1] != self.personas.n_features:
                raise ValueError(f"X: has {X.shape[1]} features but the personas have {self.personas.n_features}")
            self.personas_ = self.personas
            self.cluster_centers_ = self.personas.profiles
            self.n_features_in_ = X.shape[1]
            return self
        if X.shape[0] < int(self.n_personas):
            raise ValueError(f"n_samples={X.shape[0]} should be >= n_personas={self.n_personas}: "
                             "k-means needs at least one lead per persona")
        s = self._scales(X.shape[1])
        Xs = X if s is None else _np.ascontiguousarray(X * s)
        centers, labels, inertia, n_iter = _core.kmeans(
            Xs, int(self.n_personas), self._seed(), int(self.n_init), int(self.max_iter), float(self.tol),
            int(self.batch_size), None, int(self.n_threads))
        names = [f"persona {i}" for i in range(centers.shape[0])]
        if s is None:
            profiles, weights = centers, None
        else:
            # Centres in the unscaled space, squared scales as weights: the
            # weighted distance to them equals the scaled distance k-means used.
            profiles = _np.ascontiguousarray(centers / s)
            weights = _np.ascontiguousarray(_np.broadcast_to(s * s, centers.shape))
        self.personas_ = PersonaSet.from_profiles(names, profiles, self.metric, self.min_similarity, weights)
        self.cluster_centers_ = profiles
        self.labels_ = labels
        self.inertia_ = inertia
        self.n_iter_ = n_iter
        self.n_features_in_ = X.shape[1]
        return self

    def _fitted(self):
        if not hasattr(self, "personas_"):
            raise AttributeError("This PersonaMatcher is not fitted yet; call fit(X) first")  # sklearn NotFittedError-like
        return self.personas_

    def predict(self, X):
        return self._fitted().predict(_features(X), self.n_threads)

    def fit_predict(self, X, y=None):
        return self.fit(X).predict(X)

    def transform(self, X):
        return self._fitted().similarities(_features(X), self.n_threads)

    def fit_transform(self, X, y=None):
        return self.fit(X).transform(X)

    def match(self, X, k=3):
        """``(best, similarity, margin, top_index, top_score)``, see PersonaSet.match."""
        return self._fitted().match(_features(X), k, self.n_threads)

    def score(self, X, y=None):
        """Mean similarity of each lead to its best persona (higher is better)."""
        return float(_np.mean(self._fitted().match(_features(X), 1, self.n_threads)[1]))

    def choose_k(self, X, ks, sample_size=2000):
        """For each k in ``ks``: k-means inertia (for an elbow plot) and the mean
        silhouette on a seeded sample of ``sample_size`` leads. A pandas
        DataFrame with columns k, inertia, silhouette."""
        import pandas as pd

        X = _features(X)
        s = self._scales(X.shape[1])
        Xs = X if s is None else _np.ascontiguousarray(X * s)
        rows = []
        for k in ks:
            _, labels, inertia, _ = _core.kmeans(Xs, int(k), self._seed(), int(self.n_init), int(self.max_iter),
                                                 float(self.tol), int(self.batch_size), None, int(self.n_threads))
            sil = _core.silhouette(Xs, labels, int(k), int(sample_size), self._seed(), int(self.n_threads)) \
                if k >= 2 else float("nan")
            rows.append({"k": int(k), "inertia": inertia, "silhouette": sil})
        return pd.DataFrame(rows)

    def describe(self, X, feature_names=None, outcomes=None, top=3):
        """A readable profile per persona as a pandas DataFrame: size, share,
        conversion rate (if ``outcomes``, 0/1 per lead, are given) and the
        ``top`` features whose mean differs most from the whole population
        (in standard deviations), e.g. ``industry=software 78% vs 21%``.
        ``feature_names``: a list, or a leadkit.Schema (its feature names)."""
        import pandas as pd

        X = _features(X)
        labels = self.predict(X)
        names = self._fitted().names
        if isinstance(feature_names, Schema):
            feature_names = feature_names.feature_names
        if feature_names is None:
            feature_names = [f"x{j}" for j in range(X.shape[1])]
        if len(feature_names) != X.shape[1]:
            raise ValueError(f"feature_names: {len(feature_names)} names for {X.shape[1]} features")
        y = None
        if outcomes is not None:
            y = _np.asarray(outcomes, dtype=_np.float64)
            if y.shape != (X.shape[0],):
                raise ValueError(f"outcomes: expected shape ({X.shape[0]},), got {y.shape}")
        Xd = X.astype(_np.float64)
        mean_all = Xd.mean(axis=0)
        std_all = Xd.std(axis=0)
        binary = _np.all((Xd == 0) | (Xd == 1), axis=0)
        rows = []
        for c in list(range(len(names))) + [-1]:
            mask = labels == c
            n = int(mask.sum())
            if c == -1 and n == 0:
                continue
            row = {"persona": names[c] if c >= 0 else "unmatched", "size": n, "share": n / X.shape[0]}
            if y is not None:
                row["conversion_rate"] = float(y[mask].mean()) if n else float("nan")
            parts = []
            if n:
                m = Xd[mask].mean(axis=0)
                lift = _np.abs(m - mean_all) / _np.where(std_all > 0, std_all, _np.inf)
                for j in _np.argsort(-lift, kind="stable")[:top]:
                    if not lift[j] > 0:
                        break
                    if binary[j]:
                        parts.append(f"{feature_names[j]} {m[j]:.0%} vs {mean_all[j]:.0%}")
                    else:
                        a, b = round(float(m[j]), 6) + 0.0, round(float(mean_all[j]), 6) + 0.0
                        parts.append(f"{feature_names[j]} {a:.3g} vs {b:.3g}")
            row["profile"] = "; ".join(parts)
            rows.append(row)
        return pd.DataFrame(rows)
