"""Synthetic B2B leads for examples, tests and benchmarks.

``make_leads(n, seed)`` draws a realistic-looking lead table: job titles with
their seniority and department, companies (accounts) with an industry, a size
and a country shared by all their leads, interests as ``;``-separated tags,
engagement counts, and a conversion outcome that depends on all of it the way
B2B funnels do (senior buyers in the right industry and company size who
engage convert far more often; students and tiny companies almost never).

The draw is seeded and uses only numpy's PCG64, so a seed gives the same table
on every platform. This module needs numpy and (for ``as_frame=True``) pandas,
but not the compiled extension: scripts can load it from its file.
"""
import numpy as np

__all__ = ["TITLES", "INDUSTRIES", "COUNTRIES", "INTERESTS", "make_leads"]

# (title, seniority, department, weight in the lead population)
TITLES = [
    ("Chief Executive Officer", "c-level", "executive", 2),
    ("Chief Technology Officer", "c-level", "it", 2),
    ("Chief Information Security Officer", "c-level", "it", 1),
    ("Chief Marketing Officer", "c-level", "marketing", 1),
    ("VP Engineering", "vp", "engineering", 3),
    ("VP Marketing", "vp", "marketing", 3),
    ("VP Sales", "vp", "sales", 3),
    ("VP Finance", "vp", "finance", 2),
    ("Director of IT", "director", "it", 5),
    ("Director of Security", "director", "it", 3),
    ("Head of Growth", "director", "marketing", 4),
    ("Director of Operations", "director", "operations", 3),
    ("IT Manager", "manager", "it", 8),
    ("Marketing Manager", "manager", "marketing", 9),
    ("Sales Manager", "manager", "sales", 7),
    ("Engineering Manager", "manager", "engineering", 6),
    ("Finance Manager", "manager", "finance", 4),
    ("DevOps Engineer", "individual", "engineering", 9),
    ("Software Engineer", "individual", "engineering", 12),
    ("Data Analyst", "individual", "finance", 7),
    ("Marketing Specialist", "individual", "marketing", 8),
    ("Sales Representative", "individual", "sales", 8),
    ("Security Analyst", "individual", "it", 5),
    ("Student", "student", "other", 5),
    ("Consultant", "individual", "other", 4),
]
# (industry, weight, conversion lift in log-odds)
INDUSTRIES = [
    ("software", 24, 0.9), ("fintech", 12, 0.7), ("healthcare", 12, 0.2), ("manufacturing", 14, -0.1),
    ("retail", 12, -0.3), ("education", 10, -0.8), ("government", 6, -0.5), ("media", 10, -0.2),
]
COUNTRIES = [("US", 34), ("GB", 10), ("DE", 10), ("FR", 7), ("NL", 5), ("CA", 6), ("IN", 10),
             ("BR", 7), ("JP", 6), ("AU", 5)]
INTERESTS = ["security", "cloud", "analytics", "automation", "ai", "compliance", "crm", "devops"]

_SENIORITY_LIFT = {"c-level": 1.0, "vp": 1.1, "director": 0.9, "manager": 0.4, "individual": -0.3,
                   "student": -2.5}
_DEPARTMENT_LIFT = {"it": 0.5, "engineering": 0.3, "executive": 0.4, "marketing": 0.1, "sales": -0.1,
                    "finance": 0.0, "operations": 0.0, "other": -0.6}
_COMPANY_WORDS = ["Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay",
                  "Soylent", "Tyrell", "Cyberdyne", "Aperture", "Piedmont", "Wonka", "Gringotts",
                  "Oscorp", "Massive", "Dynamic", "Blue", "Northwind", "Contoso", "Fabrikam",
                  "Nimbus", "Vertex", "Quantum", "Polar", "Summit", "Harbor", "Atlas", "Zenith"]
_COMPANY_SUFFIX = ["Inc", "GmbH", "Ltd", "SA", "BV", "Corp", "Group", "Labs"]
_FIRST = ["Ana", "Ben", "Chloe", "Dev", "Elif", "Farid", "Grace", "Hugo", "Ines", "Jon", "Kai", "Lena",
          "Marco", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tara", "Uma", "Victor", "Wen",
          "Ximena", "Yusuf", "Zoe"]
_LAST = ["Alvarez", "Becker", "Chen", "Dubois", "Eriksen", "Fischer", "Garcia", "Hansen", "Ito",
         "Jensen", "Kowalski", "Larsen", "Moreau", "Novak", "Okafor", "Patel", "Rossi", "Silva",
         "Tanaka", "Weber"]


def _pick(rng, table, n, weight_index):
    w = np.array([row[weight_index] for row in table], dtype=np.float64)
    return rng.choice(len(table), size=n, p=w / w.sum())


def make_leads(n, seed=0, n_accounts=None, as_frame=True):
    """Draws ``n`` synthetic leads.

    Returns a pandas DataFrame (or, with ``as_frame=False``, a dict of numpy
    arrays) with the columns ``lead_id, name, title, seniority, department,
    account_id, company, industry, employees, country, interests,
    web_visits_30d, form_fills, webinar_attended, email_clicks, converted``.
    Leads share accounts (``n_accounts``, default about one per four leads), so
    company attributes repeat the way they do in a CRM. ``converted`` (0/1) is
    drawn from a logistic model of seniority, department, industry, company
    size, interests and engagement, about 10% positive.
    """
    n = int(n)
    if n < 1:
        raise ValueError(f"n: must be at least 1, got {n}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed: expected a non-negative integer, got {seed!r}")
    if n_accounts is None:
        n_accounts = max(1, n // 4)
    n_accounts = int(n_accounts)
    if n_accounts < 1:
        raise ValueError(f"n_accounts: must be at least 1, got {n_accounts}")
    rng = np.random.Generator(np.random.PCG64(seed))

    # Accounts: industry, size (log-normal, 1 .. 200k employees), country, name.
    acc_industry = _pick(rng, INDUSTRIES, n_accounts, 1)
    acc_employees = np.clip(np.round(np.exp(rng.normal(np.log(180.0), 1.7, n_accounts))), 1, 200000)
    acc_country = _pick(rng, COUNTRIES, n_accounts, 1)
    w1 = rng.integers(0, len(_COMPANY_WORDS), n_accounts)
    w2 = rng.integers(0, len(_COMPANY_SUFFIX), n_accounts)
    acc_name = np.array([f"{_COMPANY_WORDS[a]} {_COMPANY_SUFFIX[b]} {i:05d}" for i, (a, b) in
                         enumerate(zip(w1, w2))], dtype=object)

    # Leads: an account each (bigger companies have more leads), a title.
    size_w = np.log1p(acc_employees)
    account = rng.choice(n_accounts, size=n, p=size_w / size_w.sum())
    t = _pick(rng, TITLES, n, 3)
    title = np.array([TITLES[i][0] for i in t], dtype=object)
    seniority = np.array([TITLES[i][1] for i in t], dtype=object)
    department = np.array([TITLES[i][2] for i in t], dtype=object)
    industry = np.array([INDUSTRIES[i][0] for i in acc_industry[account]], dtype=object)
    employees = acc_employees[account].astype(np.float64)
    country = np.array([COUNTRIES[i][0] for i in acc_country[account]], dtype=object)

    # Interests: each tag independently, IT/engineering leaning to security/cloud/devops.
    tech = np.isin(department, ["it", "engineering"])
    base = np.array([0.18, 0.25, 0.2, 0.15, 0.18, 0.08, 0.12, 0.1])
    tech_boost = np.array([0.25, 0.2, 0.0, 0.05, 0.05, 0.1, -0.05, 0.25])
    p_tag = np.clip(base[None, :] + tech[:, None] * tech_boost[None, :], 0.01, 0.95)
    has_tag = rng.random((n, len(INTERESTS))) < p_tag
    interests = np.array([";".join(INTERESTS[j] for j in np.flatnonzero(row)) for row in has_tag], dtype=object)
    interests[interests == ""] = None

    # Engagement: a latent interest level drives visits, forms, webinars, clicks.
    engaged = rng.beta(1.2, 4.0, n)
    visits = rng.poisson(1.0 + 30.0 * engaged).astype(np.float64)
    form_fills = rng.binomial(3, np.clip(engaged * 0.8, 0, 1)).astype(np.float64)
    webinar = (rng.random(n) < engaged * 0.6).astype(np.int8)
    clicks = rng.poisson(12.0 * engaged).astype(np.float64)
    # CRM gaps: some company sizes and visit counts are unknown.
    employees[rng.random(n) < 0.04] = np.nan
    visits[rng.random(n) < 0.02] = np.nan

    # Outcome.
    ind_lift = np.array([INDUSTRIES[i][2] for i in acc_industry[account]])
    sen_lift = np.array([_SENIORITY_LIFT[s] for s in seniority])
    dep_lift = np.array([_DEPARTMENT_LIFT[d] for d in department])
    size = np.nan_to_num(np.log10(np.where(np.isnan(employees), 100.0, employees)))
    size_lift = 0.9 * np.exp(-((size - 3.0) ** 2) / 2.0)  # mid-market and enterprise buy most
    tag_lift = 0.35 * has_tag[:, [0, 1, 5]].sum(axis=1)   # security, cloud, compliance
    eng_lift = 2.2 * engaged + 0.35 * form_fills + 0.5 * webinar
    logit = -5.0 + sen_lift + dep_lift + ind_lift + size_lift + tag_lift + eng_lift
    converted = (rng.random(n) < 1.0 / (1.0 + np.exp(-logit))).astype(np.int8)

    first = rng.integers(0, len(_FIRST), n)
    last = rng.integers(0, len(_LAST), n)
    data = {
        "lead_id": np.array([f"L{i:07d}" for i in range(n)], dtype=object),
        "name": np.array([f"{_FIRST[a]} {_LAST[b]}" for a, b in zip(first, last)], dtype=object),
        "title": title,
        "seniority": seniority,
        "department": department,
        "account_id": account.astype(np.int32),
        "company": acc_name[account],
        "industry": industry,
        "employees": employees,
        "country": country,
        "interests": interests,
        "web_visits_30d": visits,
        "form_fills": form_fills,
        "webinar_attended": webinar,
        "email_clicks": clicks,
        "converted": converted,
    }
    if not as_frame:
        return data
    import pandas as pd

    return pd.DataFrame(data)
