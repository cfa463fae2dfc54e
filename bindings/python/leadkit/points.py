"""leadkit.PointsModel: rule-based fit scoring with reasons."""
import json as _json

from . import _core
from .schema import Schema


class PointsModel:
    """Points per schema feature, groups with caps, a limit and a floor.

    ``definition`` is JSON text or the equivalent dict::

        fit = leadkit.PointsModel(schema, {
            "groups": [{"name": "Role", "max": 30}],
            "rules": [{"feature": "seniority=vp", "points": 20, "group": "Role"},
                      {"feature": "seniority=student", "points": -30},
                      {"name": "enterprise", "feature": "employees >= 1000", "points": 25}],
            "limit": 100, "floor": True})
        scores = fit.score(schema.transform(leads))

    Rule features are the schema's ``feature_names``. ``reasons`` explains each
    score with its largest contributions, which add up to the score.
    """

    def __init__(self, schema, definition):
        if not isinstance(schema, Schema):
            raise TypeError(f"schema: expected a leadkit.Schema, got {type(schema).__name__}")
        if isinstance(definition, dict):
            definition = _json.dumps(definition)
        if not isinstance(definition, str):
            raise TypeError(f"definition: expected a JSON string or a dict, got {type(definition).__name__}")
        self._model = _core.PointsModel(schema._schema, definition)
        self._schema = schema
        self._definition = definition

    @property
    def rule_names(self):
        return list(self._model.rule_names)

    @property
    def n_features(self):
        return self._model.n_features

    def score(self, X, n_threads=0, out=None):
        """Fit score per lead: float32 array of shape (n_leads,). ``out``: a
        float32 array of that shape to fill and return instead of a new one
        (it must not overlap X)."""
        return self._model.score(X, n_threads, out)

    def reasons(self, X, k=3, n_threads=0):
        """``(scores, rules, points)``: per lead the k contributions of largest
        magnitude, largest first; ``rules`` holds indices into ``rule_names``
        (-1 pads), ``points`` their points after caps, limit and floor."""
        return self._model.reasons(X, k, n_threads)

    def explain(self, X, k=3, n_threads=0):
        """The reasons as readable lists: per lead, [(rule name, points), ...]."""
        _, rules, points = self.reasons(X, k, n_threads)
        names = self.rule_names
        return [[(names[r], float(p)) for r, p in zip(rr, pp) if r >= 0]
                for rr, pp in zip(rules.tolist(), points.tolist())]

    def __reduce__(self):
        return (PointsModel, (self._schema, self._definition))

    def __repr__(self):
        return f"PointsModel(rules={len(self.rule_names)}, n_features={self.n_features})"
