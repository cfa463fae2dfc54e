// The benchmark Scorecard's definition, shared by bench_scorecard.cpp and
// leadkit_ab (ab_libs.cpp), which adds a logistic weight on every feature.
#pragma once

namespace leadkit_bench {

// A realistic scorecard over D = 64 features: eight attributes one-hot
// encoded plus engagement numbers; fit rules grouped by attribute ("Role",
// "Department", "Company", "Interests") with caps, a limit and a floor;
// logistic weights on every feature; a grader with a matrix.
inline constexpr const char* kScorecardDefinition = R"J({"name": "bench", "schema": {"attributes": [
    {"name": "seniority", "type": "categorical", "missing": "slot",
     "vocabulary": ["c-level", "vp", "director", "manager", "individual", "student"]},
    {"name": "department", "type": "categorical", "missing": "slot",
     "vocabulary": ["executive", "it", "engineering", "marketing", "sales", "finance", "operations", "other"]},
    {"name": "industry", "type": "categorical", "missing": "slot",
     "vocabulary": ["software", "fintech", "healthcare", "manufacturing", "retail", "education", "government", "media"]},
    {"name": "employees", "type": "numeric", "missing": "constant", "impute": 100, "log1p": true,
     "bands": [50, 1000, 10000], "value": true},
    {"name": "country", "type": "categorical", "missing": "slot",
     "vocabulary": ["US", "GB", "DE", "FR", "NL", "CA", "IN", "BR", "JP", "AU"]},
    {"name": "interests", "type": "tags", "missing": "ignore", "unknown": "slot",
     "vocabulary": ["security", "cloud", "analytics", "automation", "ai", "compliance", "crm", "devops"]},
    {"name": "source", "type": "categorical", "missing": "slot", "vocabulary": ["web", "event", "referral", "partner"]},
    {"name": "visits", "type": "numeric", "missing": "constant", "log1p": true},
    {"name": "forms", "type": "numeric", "missing": "constant", "clip": [0, 3]},
    {"name": "clicks", "type": "numeric", "missing": "constant", "log1p": true},
    {"name": "webinar", "type": "boolean", "missing": "false"}]},
  "fit": {"name": "fit", "groups": [{"name": "Role", "max": 40}, {"name": "Department", "max": 15},
      {"name": "Company", "max": 40}, {"name": "Interests", "max": 15}],
    "rules": [
      {"feature": "seniority=c-level", "points": 40, "group": "Role"},
      {"feature": "seniority=vp", "points": 35, "group": "Role"},
      {"feature": "seniority=director", "points": 25, "group": "Role"},
      {"feature": "seniority=manager", "points": 12, "group": "Role"},
      {"feature": "seniority=student", "points": -40},
      {"feature": "department=it", "points": 15, "group": "Department"},
      {"feature": "department=engineering", "points": 10, "group": "Department"},
      {"feature": "department=executive", "points": 10, "group": "Department"},
      {"feature": "industry=software", "points": 20, "group": "Company"},
      {"feature": "industry=fintech", "points": 15, "group": "Company"},
      {"feature": "industry=healthcare", "points": 8, "group": "Company"},
      {"feature": "industry=education", "points": -10, "group": "Company"},
      {"feature": "employees < 50", "points": -10, "group": "Company"},
      {"feature": "employees in [50,1000)", "points": 10, "group": "Company"},
      {"feature": "employees in [1000,10000)", "points": 20, "group": "Company"},
      {"feature": "employees >= 10000", "points": 25, "group": "Company"},
      {"feature": "interests:security", "points": 10, "group": "Interests"},
      {"feature": "interests:cloud", "points": 8, "group": "Interests"},
      {"feature": "interests:compliance", "points": 6, "group": "Interests"},
      {"feature": "source=referral", "points": 10}],
    "limit": 100, "floor": true},
  "logistic": {"intercept": -2.5, "weights": {}},
  "grader": {"stages": [{"label": "cold"}, {"label": "warm", "min": 30}, {"label": "MQL", "min": 60}],
    "grades": [{"label": "D"}, {"label": "C", "min": 20}, {"label": "B", "min": 40}, {"label": "A", "min": 60}],
    "matrix": {"A": {"warm": "MQL"}}}})J";

}  // namespace leadkit_bench
