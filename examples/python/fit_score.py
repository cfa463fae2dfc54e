"""Rule-based fit scoring with reasons, on the bundled sample of leads."""
import pathlib

import pandas as pd

import leadkit

leads = pd.read_csv(pathlib.Path(__file__).parents[1] / "data" / "sample_leads.csv")
schema = leadkit.Schema({"attributes": [
    {"name": "seniority", "type": "categorical",
     "vocabulary": ["c-level", "vp", "director", "manager", "individual", "student"]},
    {"name": "industry", "type": "categorical", "vocabulary": ["software", "fintech"]},
    {"name": "employees", "type": "numeric", "missing": "constant", "impute": 1, "bands": [50, 1000]},
]})
fit = leadkit.PointsModel(schema, {
    "groups": [{"name": "Role", "max": 30}, {"name": "Company", "max": 40}],
    "rules": [
        {"feature": "seniority=c-level", "points": 30, "group": "Role"},
        {"feature": "seniority=vp", "points": 25, "group": "Role"},
        {"feature": "seniority=director", "points": 15, "group": "Role"},
        {"feature": "seniority=student", "points": -40},
        {"feature": "industry=software", "points": 15, "group": "Company"},
        {"feature": "industry=fintech", "points": 10, "group": "Company"},
        {"feature": "employees in [50,1000)", "points": 10, "group": "Company"},
        {"feature": "employees >= 1000", "points": 25, "group": "Company"},
    ],
    "limit": 70, "floor": True})
X = schema.transform(leads)
leads["fit"] = fit.score(X)
leads["why"] = [", ".join(f"{name} {pts:+.0f}" for name, pts in r) for r in fit.explain(X, k=3)]
print(leads.nlargest(5, "fit")[["lead_id", "title", "industry", "employees", "fit", "why"]].to_string())
