"""Engagement scoring: decayed points for what leads did, streamed, rolled up to accounts."""
import pathlib

import numpy as np
import pandas as pd

import leadkit

DAY = 86400
leads = pd.read_csv(pathlib.Path(__file__).parents[1] / "data" / "sample_leads.csv")
model = leadkit.EngagementModel({
    "types": [
        {"name": "form_fill", "points": 10, "decay": {"kind": "exponential", "half_life": 30 * DAY}},
        {"name": "page_view", "points": 1, "period_cap": {"points": 5, "period": DAY},
         "decay": {"kind": "linear", "percent": 50, "period": 30 * DAY}},
        {"name": "webinar", "points": 15, "count": "once",
         "decay": {"kind": "window", "period": DAY, "periods": 90}},
        {"name": "unsubscribe", "points": -40},
    ],
    "limit": 100, "floor": True})

# A month of synthetic activity: one row per event, in time order.
rng = np.random.default_rng(0)
n = 600
events = pd.DataFrame({
    "lead": rng.integers(0, len(leads), n),
    "event": rng.choice(["page_view", "page_view", "form_fill", "webinar", "unsubscribe"], n,
                        p=[0.5, 0.3, 0.12, 0.07, 0.01]),
    "time": pd.Timestamp("2026-10-01") + pd.to_timedelta(np.sort(rng.uniform(0, 30 * DAY, n)), unit="s"),
})
now = pd.Timestamp("2026-11-01")

# Batch: every event at once, as of now.
leads["engagement"] = model.score(events.lead, events.event, events.time, as_of=now,
                                  n_leads=len(leads))

# Streaming: the same events fed as they arrive; scores read without replaying history.
state = model.state(len(leads))
for _, day in events.groupby(events.time.dt.floor("D")):
    state.apply(day.lead, day.event, day.time, as_of=day.time.max())
assert np.allclose(state.scores(now), leads.engagement, rtol=1e-4, atol=1e-4)

# B2B buying is done by groups: roll engagement up to the company.
accounts = leadkit.rollup(leads.engagement, leads.company, threshold=20)
print(leads.nlargest(5, "engagement")[["lead_id", "title", "company", "engagement"]].to_string())
print(accounts.sort_values("sum", ascending=False).head(5).round(1).to_string())
