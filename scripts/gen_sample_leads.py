#!/usr/bin/env python3
"""Regenerates examples/data/sample_leads.csv, the bundled lead sample the demo,
the examples and the tests score, from leadkit's seeded synthetic lead
generator (bindings/python/leadkit/datasets.py). Seeded, so the committed file
is reproducible:

    /usr/bin/python3 scripts/gen_sample_leads.py > examples/data/sample_leads.csv
"""
import importlib.util
import pathlib
import sys

N_LEADS = 2000
SEED = 20261124


def load_datasets():
    # datasets.py needs no compiled extension: load it from its file.
    path = pathlib.Path(__file__).resolve().parent.parent / "bindings/python/leadkit/datasets.py"
    spec = importlib.util.spec_from_file_location("leadkit_datasets", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    df = load_datasets().make_leads(N_LEADS, seed=SEED)
    # Integers where the values are whole (NaN stays empty), as a CRM export has them.
    for col in ["employees", "web_visits_30d", "form_fills", "email_clicks"]:
        df[col] = df[col].astype("Int64")
    df.to_csv(sys.stdout, index=False, lineterminator="\n")


if __name__ == "__main__":
    main()
