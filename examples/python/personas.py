"""Buyer personas: authored ones matched to the sample leads, then discovered ones."""
import pathlib

import numpy as np
import pandas as pd

import leadkit

leads = pd.read_csv(pathlib.Path(__file__).parents[1] / "data" / "sample_leads.csv")
schema = leadkit.Schema({"attributes": [
    {"name": "seniority", "type": "categorical",
     "vocabulary": ["c-level", "vp", "director", "manager", "individual", "student"]},
    {"name": "industry", "type": "categorical", "vocabulary": ["software", "fintech", "healthcare"]},
    {"name": "employees", "type": "numeric", "missing": "median", "log1p": True, "standardize": True},
]}).fit(leads)
X = schema.transform(leads)

# Authored from interviews: attribute values, optional weights; attributes left
# out are not part of a persona. Below 0.6 cosine similarity a lead stays unmatched.
personas = leadkit.PersonaSet(schema, {
    "metric": "cosine", "min_similarity": 0.6,
    "personas": [
        {"name": "Software executive", "attributes": {"seniority": "vp", "industry": "software"},
         "weights": {"industry": 2}},
        {"name": "Fintech leader", "attributes": {"seniority": "director", "industry": "fintech"}},
        {"name": "Student", "attributes": {"seniority": "student"}}]})
best, similarity, margin, top, _ = personas.match(X, k=2)
names = np.array(personas.names + ["(unmatched)"])
leads["persona"] = names[best]  # -1 (unmatched) picks the last name
leads["confidence"] = similarity.round(2)
leads["runner_up"] = np.array(personas.names)[top[:, 1]]
print(leads[["title", "industry", "persona", "confidence", "runner_up"]].head(8).to_string())

# Discovered from data: k-means with categoricals weighted like one standard
# deviation of a numeric attribute, a readable profile and conversion per persona.
matcher = leadkit.PersonaMatcher(3, feature_scales=leadkit.persona_feature_scales(schema), random_state=0)
matcher.fit(X)
print(matcher.describe(X, feature_names=schema, outcomes=leads["converted"]).to_string())
