"""leadkit.Schema: lead attributes and their encoding into a float32 feature matrix."""
import json as _json

import numpy as np

from . import _core


def _is_missing(x):
    return x is None or (isinstance(x, float) and x != x) or type(x).__name__ == "NAType"


def _column(v):
    """One column as the native layer takes it: numbers (float64, NaN missing),
    booleans, strings (None missing), or a pandas Categorical of strings
    (its codes and categories, each category looked up once). Object columns,
    as pandas makes for data with gaps, are sorted into one of those by their
    non-missing values."""
    if str(getattr(v, "dtype", "")) == "category":
        cat = v.array if hasattr(v, "array") else v  # a Series holds a Categorical
        if all(isinstance(x, str) for x in cat.categories):
            return cat
        v = np.asarray(v, dtype=object)  # categories of numbers: their values
    elif hasattr(v, "codes") and hasattr(v, "categories"):
        return v  # codes and categories of another kind: checked natively
    if hasattr(v, "to_numpy") and not isinstance(v, np.ndarray):
        v = v.to_numpy()
    if isinstance(v, (list, tuple)):
        v = np.asarray(v, dtype=object)
    if not isinstance(v, np.ndarray):
        v = np.asarray(v)
    if v.dtype != object:
        return v
    first = next((x for x in v if not _is_missing(x)), None)
    if first is None or isinstance(first, str):
        return v  # strings: the native layer reads them in place (None, NaN, NA = missing)
    missing = np.fromiter((_is_missing(x) for x in v), dtype=bool, count=len(v))
    present = v[~missing]
    if len(present) and all(isinstance(x, (bool, np.bool_)) for x in present):
        return np.where(missing, np.nan, [0.0 if m else float(x) for x, m in zip(v, missing)])
    if len(present) and all(isinstance(x, (int, float, np.integer, np.floating))
                            and not isinstance(x, (bool, np.bool_)) for x in present):
        return np.where(missing, np.nan, [0.0 if m else float(x) for x, m in zip(v, missing)])
    return [None if m else x for x, m in zip(v.tolist(), missing)]


def _columns(schema, data):
    """A dict of 1-D columns for the schema's attributes, from a dict or a pandas DataFrame.

    A DataFrame may hold more columns than the schema needs; only the schema's
    attributes are taken. A dict is passed as it is, so a key that is not an
    attribute is reported as an error (it is most likely a typo).
    """
    if hasattr(data, "columns") and hasattr(data, "__getitem__") and not isinstance(data, dict):
        columns = {}
        for name in schema.attribute_names:
            if name in data.columns:
                columns[name] = _column(data[name])
        return columns
    if not isinstance(data, dict):
        raise TypeError(f"data: expected a dict of columns or a pandas DataFrame, got {type(data).__name__}")
    return {k: _column(v) for k, v in data.items()}


class Schema:
    """The attributes a lead has and how each becomes feature columns.

    ``definition`` is the JSON text or the equivalent dict (see docs/SCHEMA.md)::

        schema = leadkit.Schema({"attributes": [
            {"name": "employees", "type": "numeric", "bands": [50, 1000]},
            {"name": "industry", "type": "categorical", "vocabulary": ["software", "fintech"]},
        ]})
        X = schema.fit(train).transform(leads)   # float32, shape (n_leads, n_features)

    ``fit`` returns a new schema with medians, standardisation statistics and
    ``"learn"`` vocabularies learned; the schema itself never changes. Data is a
    dict of columns (numpy arrays or lists; strings with None for missing) or a
    pandas DataFrame.
    """

    def __init__(self, definition):
        if isinstance(definition, _core.Schema):
            self._schema = definition
            return
        if isinstance(definition, dict):
            definition = _json.dumps(definition)
        if not isinstance(definition, str):
            raise TypeError(f"definition: expected a JSON string or a dict, got {type(definition).__name__}")
        self._schema = _core.Schema(definition)

    @property
    def n_features(self):
        return self._schema.n_features

    @property
    def feature_names(self):
        """Readable names of the feature columns, e.g. ``industry=software``."""
        return list(self._schema.feature_names)

    @property
    def attribute_names(self):
        return list(self._schema.attribute_names)

    def to_json(self):
        """The definition as JSON, including anything fit() learned."""
        return self._schema.to_json()

    def to_dict(self):
        return _json.loads(self.to_json())

    def fit(self, data):
        """A new Schema with medians, statistics and vocabularies learned from ``data``."""
        return Schema(self._schema.fit(_columns(self, data)))

    def transform(self, data, n_threads=0):
        """Encodes leads into a float32 array of shape (n_leads, n_features)."""
        return self._schema.transform(_columns(self, data), n_threads)

    def __repr__(self):
        return f"Schema(attributes={self.attribute_names}, n_features={self.n_features})"

    def __reduce__(self):
        return (Schema, (self.to_json(),))
