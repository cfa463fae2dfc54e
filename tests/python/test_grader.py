"""leadkit.Grader from Python."""
import pickle

import numpy as np
import pytest

import leadkit

DEFINITION = {
    "stages": [{"label": "cold"}, {"label": "warm", "min": 50}, {"label": "MQL", "min": 100}],
    "grades": [{"label": "D"}, {"label": "C", "min": 25}, {"label": "B", "min": 50}, {"label": "A", "min": 75}],
    "matrix": {"A": {"warm": "MQL"}},
}


def test_labels():
    g = leadkit.Grader(DEFINITION)
    stage, grade = g.labels(np.array([10, 60, 60, 150], np.float32), [0, 30, 80, 80])
    assert stage.tolist() == ["cold", "warm", "MQL", "MQL"]
    assert grade.tolist() == ["D", "C", "A", "A"]
    s, gi = g.apply([10.0], [90.0])
    assert s.dtype == np.int32 and gi.tolist() == [3]
    assert pickle.loads(pickle.dumps(g)).stages == g.stages


def test_stages_only():
    g = leadkit.Grader({"stages": [{"label": "cold"}, {"label": "hot", "min": 1}]})
    stage, grade = g.labels([0.5, 3])
    assert stage.tolist() == ["cold", "hot"] and grade.tolist() == [None, None]


def test_bad_input():
    g = leadkit.Grader(DEFINITION)
    with pytest.raises(leadkit.InvalidInputError, match=r"score\[1\]: is NaN"):
        g.apply([1.0, float("nan")], [1.0, 1.0])
    with pytest.raises(leadkit.InvalidInputError, match="fit: is NULL"):
        g.apply([1.0])
    with pytest.raises(ValueError, match="fit: has 1 leads but score has 2"):
        g.apply([1.0, 2.0], [1.0])
    with pytest.raises(leadkit.InvalidInputError, match=r"grader.matrix.A: 'A' is not a grade|'Z' is not a grade"):
        leadkit.Grader({"stages": [{"label": "a"}], "grades": [{"label": "B"}], "matrix": {"Z": {}}})
    with pytest.raises(TypeError, match="definition"):
        leadkit.Grader(3)
