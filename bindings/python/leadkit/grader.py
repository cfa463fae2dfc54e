"""leadkit.Grader: lifecycle stages from the score, letter grades from the fit score."""
import json as _json

import numpy as np

from . import _core


class Grader:
    """Score bands to stages, fit-score bands to grades, and a grade x stage matrix::

        grader = leadkit.Grader({
            "stages": [{"label": "cold"}, {"label": "warm", "min": 50}, {"label": "MQL", "min": 100}],
            "grades": [{"label": "D"}, {"label": "C", "min": 25}, {"label": "B", "min": 50},
                       {"label": "A", "min": 75}],
            "matrix": {"A": {"warm": "MQL"}}})      # an A-grade warm lead is an MQL
        stage, grade = grader.labels(total, fit)   # arrays of labels

    The first band of each list catches everything below the second band's min.
    """

    def __init__(self, definition):
        if isinstance(definition, _core.Grader):
            self._grader = definition
            self._definition = definition.to_json()
            return
        if isinstance(definition, dict):
            definition = _json.dumps(definition)
        if not isinstance(definition, str):
            raise TypeError(f"definition: expected a JSON string or a dict, got {type(definition).__name__}")
        self._grader = _core.Grader(definition)
        self._definition = definition

    @property
    def stages(self):
        return list(self._grader.stages)

    @property
    def grades(self):
        return list(self._grader.grades)

    def apply(self, score, fit=None):
        """``(stage_index, grade_index)`` int32 arrays; grade is -1 without grades."""
        return self._grader.apply(score, fit)

    def labels(self, score, fit=None):
        """``(stage_labels, grade_labels)`` as numpy object arrays (grades None without grades)."""
        s, g = self.apply(score, fit)
        stages = np.array(self.stages, dtype=object)[s]
        grades = np.array(self.grades, dtype=object)[g] if self.grades else np.full(len(s), None)
        return stages, grades

    def to_json(self):
        """The definition as JSON."""
        return self._grader.to_json()

    def __reduce__(self):
        return (Grader, (self._definition,))

    def __repr__(self):
        return f"Grader(stages={self.stages}, grades={self.grades})"
