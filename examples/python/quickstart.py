"""Score three leads with a logistic model from Python."""
import numpy as np

import leadkit

# Features: seniority (0..1), log10(employees)/5, web visits (scaled), form fills.
model = leadkit.LogisticModel(np.array([1.6, 1.2, 1.5, 1.1], np.float32), intercept=-3.0)
leads = np.array(
    [
        [1.00, 0.90, 0.80, 2.0],  # CTO at a large company, very engaged
        [0.45, 0.40, 0.30, 0.0],  # manager at a mid-size company
        [0.00, 0.20, 0.10, 0.0],  # student
    ],
    dtype=np.float32,
)
for i, p in enumerate(model.predict_proba(leads, n_threads=1)):
    print(f"lead {i}: P(convert) = {p:.3f}")

# Bad input raises an error that names the argument (a ValueError subclass).
try:
    model.predict_proba(leads[:, :3])
except leadkit.InvalidInputError as e:
    print(f"with 3 columns: {e}")
print(leadkit.build_info())
