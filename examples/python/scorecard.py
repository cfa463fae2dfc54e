"""The whole model in one object: score raw leads with the example Scorecard."""
import pathlib

import pandas as pd

import leadkit

data = pathlib.Path(__file__).parents[1] / "data"
scorecard = leadkit.Scorecard((data / "scorecard.json").read_text())
leads = pd.read_csv(data / "sample_leads.csv")

scores = scorecard.score(leads, k=2)     # fit scores, total, probability, grade, stage, reasons
print(scores.columns.tolist())
top = scores.join(leads[["lead_id", "title"]]).nlargest(3, "probability")
print(top[["lead_id", "title", "fit", "total", "probability", "grade", "stage", "reason_1"]].to_string())
# Conversion rate per stage: the scorecard separates buyers from the rest.
rate = leads["converted"].groupby(scores["stage"], observed=True).mean()
print(rate.reindex(scorecard.grader.stages).round(3))
