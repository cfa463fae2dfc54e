"""leadkit.Scorecard: schema, fit scores, probability, grade, stage and reasons in one model."""
import json as _json

import numpy as np

from . import _core
from .grader import Grader
from .schema import Schema, _columns


class Scorecard:
    """The whole lead-scoring model, compiled once from one JSON definition.

    ``definition`` is the JSON text or the equivalent dict::

        {"name": "acme",
         "schema": {"attributes": [...]},               # see leadkit.Schema
         "fit": [{"name": "fit", "rules": [...]},      # one or more points models
                 {"name": "activity", "rules": [...]}],
         "primary": "fit",                               # grade and reasons come from it
         "total": ["fit", "activity"],                   # summed into the total
         "logistic": {"intercept": -3.0, "weights": {"seniority=vp": 0.8}},
         "grader": {"stages": [...], "grades": [...], "matrix": {...}}}

    ``score(leads)`` encodes and scores raw records (a pandas DataFrame or a
    dict of columns) in one pass and returns a DataFrame with one column per fit
    score, ``total``, ``probability``, ``grade``, ``stage`` (labels) and the top
    ``k`` reasons of the primary fit score (``reason_1`` .. and their points
    ``reason_1_points`` ..). ``engagement`` (one value per lead, e.g. from an
    engagement model) is added to the total. Immutable and thread-safe.
    """

    def __init__(self, definition):
        if isinstance(definition, _core.Scorecard):
            self._sc = definition
            return
        if isinstance(definition, dict):
            definition = _json.dumps(definition)
        if not isinstance(definition, str):
            raise TypeError(f"definition: expected a JSON string or a dict, got {type(definition).__name__}")
        self._sc = _core.Scorecard(definition)

    @property
    def name(self):
        return self._sc.name

    @property
    def schema(self):
        """The scorecard's Schema (to encode leads or list feature names)."""
        return Schema(self._sc.schema)

    @property
    def grader(self):
        """The scorecard's Grader, or None."""
        g = self._sc.grader
        return None if g is None else Grader(g)

    @property
    def engagement(self):
        """The definition's EngagementModel (its "engagement" section), or None.
        Score events with it and pass the result as ``score(..., engagement=...)``."""
        from .engagement import EngagementModel

        e = self._sc.engagement
        return None if e is None else EngagementModel(e)

    @property
    def personas(self):
        """The definition's PersonaSet (its "personas" section), or None."""
        from .personas import PersonaSet

        p = self._sc.personas
        return None if p is None else PersonaSet(None, p)

    @property
    def n_features(self):
        return self._sc.n_features

    @property
    def fit_score_names(self):
        return list(self._sc.fit_score_names)

    @property
    def primary(self):
        """The name of the fit score behind the grade and the reasons."""
        return self.fit_score_names[self._sc.primary]

    @property
    def rule_names(self):
        """The primary fit model's rules: what reasons name."""
        return list(self._sc.rule_names)

    @property
    def has_logistic(self):
        return self._sc.has_logistic

    def to_json(self):
        """The definition back as JSON, for review and audit; Scorecard() reads it back."""
        return self._sc.to_json()

    def to_dict(self):
        return _json.loads(self.to_json())

    def transform(self, data, n_threads=0):
        """The leads' encoded features, float32 (n_leads, n_features)."""
        return self.schema.transform(data, n_threads=n_threads)

    def score(self, data, k=3, engagement=None, n_threads=0, as_frame=True, out=None, outputs=None):
        """Scores raw lead records: a DataFrame (or, as_frame=False, a dict of arrays).

        outputs: None for every output the scorecard has, or a list of the
        ones wanted ("fit", "total", "probability", "stage", "grade",
        "persona", "persona_similarity"); the others are neither computed
        into arrays nor allocated. Reasons come with k > 0.
        out: the dict of arrays an earlier call with as_frame=False returned
        (same number of leads, same k, same outputs): it is filled in place
        and returned, so repeated batches allocate nothing.
        """
        cols = _columns(self.schema, data)
        raw = self._sc.score(cols, k, _engagement(engagement), n_threads, outputs, _out(out, as_frame))
        return self._result(raw, k, data if as_frame else None, as_frame)

    def score_features(self, X, k=3, engagement=None, n_threads=0, as_frame=True, out=None, outputs=None):
        """Scores encoded features (float32, rows contiguous, never copied).

        outputs, out: as for score().
        """
        raw = self._sc.score_features(X, k, _engagement(engagement), n_threads, outputs, _out(out, as_frame))
        return self._result(raw, k, None, as_frame)

    def _result(self, raw, k, data, as_frame):
        if not as_frame:
            return raw
        import pandas as pd

        out = {}
        if "fit" in raw:
            out.update({name: raw["fit"][:, i] for i, name in enumerate(self.fit_score_names)})
        if "total" in raw:
            out["total"] = raw["total"]
        if "probability" in raw:
            out["probability"] = raw["probability"]
        grader = self.grader
        if "grade" in raw:
            out["grade"] = pd.Categorical.from_codes(raw["grade"], grader.grades)
        if "stage" in raw:
            out["stage"] = pd.Categorical.from_codes(raw["stage"], grader.stages)
        if "persona" in raw:
            # -1 ("no persona": below the set's min similarity) becomes NaN.
            out["persona"] = pd.Categorical.from_codes(raw["persona"], self.personas.names)
        if "persona_similarity" in raw:
            out["persona_similarity"] = raw["persona_similarity"]
        if k:
            rules = np.asarray(self.rule_names + [None], dtype=object)
            for j in range(k):
                out[f"reason_{j + 1}"] = rules[raw["reason_rules"][:, j]]  # -1 -> None
                out[f"reason_{j + 1}_points"] = raw["reason_points"][:, j]
        index = data.index if data is not None and hasattr(data, "index") and hasattr(data, "columns") else None
        return pd.DataFrame(out, index=index)

    def __repr__(self):
        return (f"Scorecard(name={self.name!r}, fit_scores={self.fit_score_names}, "
                f"logistic={self.has_logistic}, grader={self.grader is not None})")

    def __reduce__(self):
        return (Scorecard, (self.to_json(),))


def _out(out, as_frame):
    if out is not None and as_frame:
        raise ValueError("out: fills arrays in place, so it needs as_frame=False")
    return out


def _engagement(engagement):
    if engagement is None:
        return None
    if hasattr(engagement, "to_numpy"):
        engagement = engagement.to_numpy()
    return np.asarray(engagement, dtype=np.float32)
