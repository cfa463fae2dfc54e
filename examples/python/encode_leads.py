"""Encode raw lead records with a Schema, then score them."""
import pathlib

import numpy as np
import pandas as pd

import leadkit

leads = pd.read_csv(pathlib.Path(__file__).parents[1] / "data" / "sample_leads.csv")
schema = leadkit.Schema({"attributes": [
    {"name": "seniority", "type": "categorical",
     "vocabulary": ["c-level", "vp", "director", "manager", "individual", "student"]},
    {"name": "industry", "type": "categorical", "vocabulary": "learn"},
    {"name": "employees", "type": "numeric", "missing": "median", "bands": [50, 1000]},
    {"name": "web_visits_30d", "type": "numeric", "missing": "constant", "log1p": True},
    {"name": "webinar_attended", "type": "boolean", "missing": "false"},
]}).fit(leads)
X = schema.transform(leads)                  # float32, one row per lead
print(X.shape, schema.feature_names[:4])

weights = np.zeros(schema.n_features, np.float32)
weights[schema.feature_names.index("seniority=vp")] = 1.5
weights[schema.feature_names.index("employees >= 1000")] = 1.0
weights[schema.feature_names.index("web_visits_30d")] = 0.8
model = leadkit.LogisticModel(weights, intercept=-2.5)
leads["p_convert"] = model.predict_proba(X)
print(leads.nlargest(3, "p_convert")[["lead_id", "title", "employees", "p_convert"]])
