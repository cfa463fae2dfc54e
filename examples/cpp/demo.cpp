// leadkit demo: score the bundled sample of leads and print a ranked table.
//
//   leadkit_demo [path/to/leads.csv]
//
// The CSV (examples/data/sample_leads.csv) holds raw lead records: who the lead
// is (title, seniority, industry, company size) and what they did (visits, form
// fills, webinars, email clicks). The demo encodes each record into a row of
// eight float32 features, scores every row with a leadkit::LogisticModel in one
// batch call, and prints the leads ranked by their probability of converting,
// with the feature that contributed most to each score.
//
// The weights below are an authored model, as a marketing-ops team would write
// it before it has enough history to learn one.
#include <leadkit/leadkit.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#ifndef LEADKIT_SAMPLE_DATA
#define LEADKIT_SAMPLE_DATA "examples/data"
#endif

namespace {

struct Lead {
  std::string id, name, title, seniority, company, industry, country;
  double employees = 0, visits = 0, form_fills = 0, webinar = 0, clicks = 0;
};

const char* const kFeatureNames[] = {
    "seniority",      "company size",     "target industry", "web visits",
    "form fills",     "webinar attended", "email clicks",    "student"};
constexpr std::size_t kFeatures = sizeof(kFeatureNames) / sizeof(kFeatureNames[0]);

std::vector<std::string> split_csv_line(const std::string& line) {
  // The sample has no quoted fields; a real integration uses leadkit's encoder.
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string field;
  while (std::getline(ss, field, ',')) out.push_back(field);
  return out;
}

std::vector<Lead> read_leads(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::string line;
  std::getline(in, line);  // header
  std::vector<Lead> leads;
  std::size_t line_no = 1;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    const auto f = split_csv_line(line);
    if (f.size() != 12)
      throw std::runtime_error(path + ":" + std::to_string(line_no) + ": expected 12 fields, got " +
                               std::to_string(f.size()));
    Lead l;
    l.id = f[0], l.name = f[1], l.title = f[2], l.seniority = f[3], l.company = f[4];
    l.industry = f[5], l.country = f[7];
    l.employees = std::stod(f[6]), l.visits = std::stod(f[8]), l.form_fills = std::stod(f[9]);
    l.webinar = std::stod(f[10]), l.clicks = std::stod(f[11]);
    leads.push_back(l);
  }
  return leads;
}

// Encodes one lead into kFeatures floats (row-major, one row per lead).
void encode(const Lead& l, float* row) {
  static const std::map<std::string, float> seniority = {
      {"c-level", 1.0f}, {"vp", 0.85f}, {"director", 0.7f}, {"manager", 0.45f},
      {"individual", 0.2f}, {"student", 0.0f}};
  const auto s = seniority.find(l.seniority);
  row[0] = s == seniority.end() ? 0.2f : s->second;
  row[1] = static_cast<float>(std::log10(1.0 + l.employees) / 5.0);  // ~0..1
  row[2] = (l.industry == "software" || l.industry == "fintech") ? 1.0f : 0.0f;
  row[3] = static_cast<float>(std::log1p(l.visits) / std::log1p(40.0));
  row[4] = static_cast<float>(l.form_fills);
  row[5] = static_cast<float>(l.webinar);
  row[6] = static_cast<float>(std::log1p(l.clicks) / std::log1p(12.0));
  row[7] = l.seniority == "student" ? 1.0f : 0.0f;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string path =
      argc > 1 ? argv[1] : std::string(LEADKIT_SAMPLE_DATA) + "/sample_leads.csv";
  try {
    const std::vector<Lead> leads = read_leads(path);
    std::vector<float> X(leads.size() * kFeatures);
    for (std::size_t i = 0; i < leads.size(); ++i) encode(leads[i], &X[i * kFeatures]);

    const std::vector<float> weights = {1.6f, 1.2f, 0.8f, 1.5f, 1.1f, 0.9f, 0.7f, -2.5f};
    const leadkit::LogisticModel model(weights, -4.2f);
    const std::vector<float> p =
        model.predict_proba(X.data(), leads.size(), kFeatures, leadkit::ExecOptions{1});

    std::vector<std::size_t> order(leads.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p[a] > p[b]; });

    std::printf("leadkit %s demo: %s\n\n", leadkit::version().c_str(), path.c_str());
    std::printf("%-4s %-6s %-17s %-25s %-9s %-15s %7s %6s  %s\n", "rank", "lead", "name", "title",
                "seniority", "industry", "employ.", "P(cv)", "top factor");
    for (std::size_t r = 0; r < order.size(); ++r) {
      const std::size_t i = order[r];
      std::size_t top = 0;
      for (std::size_t j = 1; j < kFeatures; ++j)
        if (std::fabs(weights[j] * X[i * kFeatures + j]) > std::fabs(weights[top] * X[i * kFeatures + top]))
          top = j;
      std::printf("%-4zu %-6s %-17s %-25s %-9s %-15s %7.0f %6.3f  %s %+.2f\n", r + 1,
                  leads[i].id.c_str(), leads[i].name.c_str(), leads[i].title.c_str(),
                  leads[i].seniority.c_str(), leads[i].industry.c_str(), leads[i].employees,
                  static_cast<double>(p[i]), kFeatureNames[top],
                  static_cast<double>(weights[top] * X[i * kFeatures + top]));
    }
    const auto hot = std::count_if(p.begin(), p.end(), [](float v) { return v >= 0.5f; });
    std::printf("\nscored %zu leads; %ld at or above P = 0.5\n", leads.size(), static_cast<long>(hot));
    return 0;
  } catch (const leadkit::Error& e) {
    std::fprintf(stderr, "leadkit error %s: %s\n", e.status_name(), e.what());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
  }
  return 1;
}
