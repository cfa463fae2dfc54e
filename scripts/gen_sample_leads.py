#!/usr/bin/env python3
"""Regenerates examples/data/sample_leads.csv, the small bundled lead sample
the demo scores. Seeded, so the committed file is reproducible:

    python3 scripts/gen_sample_leads.py > examples/data/sample_leads.csv
"""
import csv
import random
import sys

FIRST = ["Ana", "Ben", "Chloe", "Dev", "Elif", "Farid", "Grace", "Hugo", "Ines", "Jon", "Kai",
         "Lena", "Marco", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tara", "Uma",
         "Victor", "Wen", "Ximena", "Yusuf", "Zoe"]
LAST = ["Alvarez", "Becker", "Chen", "Dubois", "Eriksen", "Fischer", "Garcia", "Hansen", "Ito",
        "Jensen", "Kowalski", "Larsen", "Moreau", "Novak", "Okafor", "Patel", "Rossi", "Silva",
        "Tanaka", "Weber"]
TITLES = [  # (title, seniority)
    ("Chief Technology Officer", "c-level"), ("CISO", "c-level"), ("VP Engineering", "vp"),
    ("VP Marketing", "vp"), ("Director of IT", "director"), ("Head of Growth", "director"),
    ("IT Manager", "manager"), ("Marketing Manager", "manager"), ("DevOps Engineer", "individual"),
    ("Data Analyst", "individual"), ("Student", "student")]
INDUSTRIES = ["software", "fintech", "healthcare", "manufacturing", "retail", "education"]
COUNTRIES = ["US", "DE", "GB", "FR", "NL", "BR", "IN", "JP"]
COMPANY = ["Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay",
           "Soylent", "Tyrell", "Cyberdyne", "Aperture", "Pied Piper", "Wonka", "Gringotts"]


def main() -> None:
    rng = random.Random(20261122)
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["lead_id", "name", "title", "seniority", "company", "industry", "employees",
                "country", "web_visits_30d", "form_fills", "webinar_attended", "email_clicks"])
    for i in range(40):
        title, seniority = rng.choice(TITLES)
        employees = int(round(10 ** rng.uniform(0.7, 4.7)))
        engaged = rng.random()
        w.writerow([
            f"L{1000 + i}", f"{rng.choice(FIRST)} {rng.choice(LAST)}", title, seniority,
            f"{rng.choice(COMPANY)} {rng.choice(['Inc', 'GmbH', 'Ltd', 'SA', 'BV'])}",
            rng.choice(INDUSTRIES), employees, rng.choice(COUNTRIES),
            int(engaged * rng.randint(0, 40)), int(engaged > 0.6) + int(engaged > 0.9),
            int(rng.random() < engaged * 0.5), int(engaged * rng.randint(0, 12)),
        ])


if __name__ == "__main__":
    main()
