// leadkit demo: score the bundled sample of leads and print a ranked table.
//
//   leadkit_demo [path/to/leads.csv]
//
// The CSV (examples/data/sample_leads.csv) holds raw lead records: who the lead
// is (title, seniority, industry, company size) and what they did (visits, form
// fills, webinars, email clicks). The demo runs them through the whole engine:
//
//   Schema       (scorecard_schema.json)  raw records -> float32 feature rows
//   PointsModel  (fit_points.json)        rule-based fit score, with reasons
//   LogisticModel                         probability of converting
//   Grader       (grader.json)            fit grade A..D, stage cold/warm/MQL
//
// The points and the logistic weights are authored, as a marketing-ops team
// writes them before it has the history to learn from.
#include <leadkit/leadkit.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#ifndef LEADKIT_SAMPLE_DATA
#define LEADKIT_SAMPLE_DATA "examples/data"
#endif

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The columns of the CSV, as arrays the LeadBatch points into.
struct Leads {
  std::vector<std::string> id, name, title, seniority, industry;
  std::vector<double> employees, visits, form_fills, clicks;
  std::vector<std::int8_t> webinar;
  std::size_t size() const { return id.size(); }
};

Leads read_leads(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::string line;
  std::getline(in, line);  // header
  Leads l;
  std::size_t line_no = 1;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    // The sample has no quoted fields.
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string field; std::getline(ss, field, ',');) f.push_back(field);
    if (f.size() != 12)
      throw std::runtime_error(path + ":" + std::to_string(line_no) + ": expected 12 fields, got " +
                               std::to_string(f.size()));
    l.id.push_back(f[0]), l.name.push_back(f[1]), l.title.push_back(f[2]);
    l.seniority.push_back(f[3]), l.industry.push_back(f[5]);
    l.employees.push_back(std::stod(f[6])), l.visits.push_back(std::stod(f[8]));
    l.form_fills.push_back(std::stod(f[9]));
    l.webinar.push_back(static_cast<std::int8_t>(std::stoi(f[10])));
    l.clicks.push_back(std::stod(f[11]));
  }
  return l;
}

std::vector<const char*> c_strings(const std::vector<std::string>& v) {
  std::vector<const char*> out;
  for (const auto& s : v) out.push_back(s.c_str());
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string data = LEADKIT_SAMPLE_DATA;
  const std::string path = argc > 1 ? argv[1] : data + "/sample_leads.csv";
  try {
    const Leads leads = read_leads(path);
    const std::size_t n = leads.size();
    const auto seniority = c_strings(leads.seniority), industry = c_strings(leads.industry);
    leadkit::LeadBatch batch(n);
    batch.set_strings("seniority", seniority.data())
        .set_strings("industry", industry.data())
        .set_numeric("employees", leads.employees.data())
        .set_numeric("web_visits_30d", leads.visits.data())
        .set_numeric("form_fills", leads.form_fills.data())
        .set_booleans("webinar_attended", leads.webinar.data())
        .set_numeric("email_clicks", leads.clicks.data());

    const auto schema = leadkit::Schema::from_json(read_file(data + "/scorecard_schema.json"));
    const auto fit = leadkit::PointsModel::from_json(schema, read_file(data + "/fit_points.json"));
    const auto grader = leadkit::Grader::from_json(read_file(data + "/grader.json"));

    // Logistic weights by feature name, resolved through the schema.
    const std::map<std::string, float> by_name = {
        {"seniority=c-level", 1.2f}, {"seniority=vp", 1.0f},      {"seniority=director", 0.7f},
        {"seniority=student", -2.0f}, {"industry=software", 0.5f}, {"employees >= 1000", 0.4f},
        {"web_visits_30d", 0.6f},     {"form_fills", 0.9f},        {"webinar_attended", 0.8f},
        {"email_clicks", 0.4f}};
    const std::vector<std::string> names = schema.feature_names();
    std::vector<float> weights(names.size(), 0.0f);
    for (const auto& [feature, w] : by_name) {
      const auto it = std::find(names.begin(), names.end(), feature);
      if (it == names.end()) throw std::runtime_error("no feature '" + feature + "' in the schema");
      weights[static_cast<std::size_t>(it - names.begin())] = w;
    }
    const leadkit::LogisticModel model(weights, -4.5f);

    const leadkit::ExecOptions one_thread{1};
    const std::vector<float> X = schema.encode(batch, one_thread);
    const std::size_t D = schema.n_features();
    const auto why = fit.reasons(X.data(), n, D, 2, one_thread);
    const std::vector<float> p = model.predict_proba(X.data(), n, D, one_thread);
    std::vector<float> p100(n);
    std::transform(p.begin(), p.end(), p100.begin(), [](float v) { return 100.0f * v; });
    std::vector<std::int32_t> stage(n), grade(n);
    grader.apply(p100.data(), why.scores.data(), n, stage.data(), grade.data());

    const auto rule_names = fit.rule_names();
    const auto stages = grader.stages(), grades = grader.grades();
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p[a] > p[b]; });

    std::printf("leadkit %s demo: %s (%zu features per lead, kernels: %s)\n\n",
                leadkit::version().c_str(), path.c_str(), D, lk_cpu_features());
    std::printf("%-4s %-6s %-16s %-25s %4s %5s %6s %-5s  %s\n", "rank", "lead", "name", "title",
                "fit", "grade", "P(cv)", "stage", "why (fit)");
    for (std::size_t r = 0; r < n; ++r) {
      const std::size_t i = order[r];
      std::string reasons;
      for (std::size_t j = 0; j < why.k; ++j) {
        const std::int32_t rule = why.rules[i * why.k + j];
        if (rule < 0) break;
        char buf[96];
        std::snprintf(buf, sizeof buf, "%s%s %+.0f", reasons.empty() ? "" : ", ",
                      rule_names[static_cast<std::size_t>(rule)].c_str(),
                      static_cast<double>(why.points[i * why.k + j]));
        reasons += buf;
      }
      std::printf("%-4zu %-6s %-16s %-25s %4.0f %5s %6.3f %-5s  %s\n", r + 1, leads.id[i].c_str(),
                  leads.name[i].c_str(), leads.title[i].c_str(), static_cast<double>(why.scores[i]),
                  grades[static_cast<std::size_t>(grade[i])].c_str(), static_cast<double>(p[i]),
                  stages[static_cast<std::size_t>(stage[i])].c_str(), reasons.c_str());
    }
    const auto mql = std::count(stage.begin(), stage.end(), static_cast<std::int32_t>(stages.size() - 1));
    std::printf("\nscored %zu leads; %ld reach %s\n", n, static_cast<long>(mql), stages.back().c_str());
    return 0;
  } catch (const leadkit::Error& e) {
    std::fprintf(stderr, "leadkit error %s: %s\n", e.status_name(), e.what());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
  }
  return 1;
}
