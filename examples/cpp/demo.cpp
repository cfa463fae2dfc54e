// leadkit demo: score the bundled sample of leads with the example scorecard
// and print what a marketing team looks at.
//
//   leadkit_demo [path/to/leads.csv [path/to/scorecard.json]]
//
// The CSV (examples/data/sample_leads.csv, drawn by leadkit.datasets) holds raw
// CRM records: who the lead is (title, seniority, department, industry,
// company size, country, interests), what they did (visits, form fills,
// webinars, email clicks) and whether they later converted. The scorecard
// (examples/data/scorecard.json) is one JSON definition: the schema, three
// named fit scores (fit, activity, fit_security), a logistic model of the
// probability to convert and a grader. One call scores every lead: fit scores,
// total, probability, grade, stage and the reasons behind the fit score.
#include <leadkit/leadkit.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <limits>
#include <numeric>
#include <sstream>
#include <stdexcept>
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

// The CSV's columns; the LeadBatch points into them. The sample has no quoted
// fields; an empty field is a missing value.
struct Leads {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> text;  // per column
  std::size_t rows = 0;

  std::size_t column(const std::string& name) const {
    const auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end()) throw std::runtime_error("the CSV has no column '" + name + "'");
    return static_cast<std::size_t>(it - header.begin());
  }
  const std::vector<std::string>& strings(const std::string& name) const { return text[column(name)]; }
  std::vector<const char*> c_strings(const std::string& name) const {
    std::vector<const char*> out;
    for (const auto& s : strings(name)) out.push_back(s.empty() ? nullptr : s.c_str());
    return out;
  }
  std::vector<double> numbers(const std::string& name) const {
    std::vector<double> out;
    for (const auto& s : strings(name))
      out.push_back(s.empty() ? std::numeric_limits<double>::quiet_NaN() : std::stod(s));
    return out;
  }
};

Leads read_leads(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  auto split = [](const std::string& line) {
    std::vector<std::string> f;
    std::size_t start = 0;
    for (std::size_t comma; (comma = line.find(',', start)) != std::string::npos; start = comma + 1)
      f.push_back(line.substr(start, comma - start));
    f.push_back(line.substr(start));
    return f;
  };
  Leads l;
  std::string line;
  if (!std::getline(in, line)) throw std::runtime_error(path + ": empty file");
  l.header = split(line);
  l.text.resize(l.header.size());
  for (std::size_t line_no = 2; std::getline(in, line); ++line_no) {
    if (line.empty()) continue;
    const auto f = split(line);
    if (f.size() != l.header.size())
      throw std::runtime_error(path + ":" + std::to_string(line_no) + ": expected " +
                               std::to_string(l.header.size()) + " fields, got " + std::to_string(f.size()));
    for (std::size_t c = 0; c < f.size(); ++c) l.text[c].push_back(f[c]);
    ++l.rows;
  }
  return l;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string data = LEADKIT_SAMPLE_DATA;
  const std::string path = argc > 1 ? argv[1] : data + "/sample_leads.csv";
  const std::string definition = argc > 2 ? argv[2] : data + "/scorecard.json";
  try {
    const auto scorecard = leadkit::Scorecard::from_json(read_file(definition));
    const Leads leads = read_leads(path);
    const std::size_t n = leads.rows;

    // The scorecard's attributes, as the batch's columns.
    const auto seniority = leads.c_strings("seniority"), department = leads.c_strings("department"),
               industry = leads.c_strings("industry"), country = leads.c_strings("country"),
               interests = leads.c_strings("interests");
    const auto employees = leads.numbers("employees"), visits = leads.numbers("web_visits_30d"),
               forms = leads.numbers("form_fills"), clicks = leads.numbers("email_clicks"),
               webinar = leads.numbers("webinar_attended"), converted = leads.numbers("converted");
    leadkit::LeadBatch batch(n);
    batch.set_strings("seniority", seniority.data())
        .set_strings("department", department.data())
        .set_strings("industry", industry.data())
        .set_strings("country", country.data())
        .set_strings("interests", interests.data())
        .set_numeric("employees", employees.data())
        .set_numeric("web_visits_30d", visits.data())
        .set_numeric("form_fills", forms.data())
        .set_numeric("webinar_attended", webinar.data())  // 0/1 numbers are booleans too
        .set_numeric("email_clicks", clicks.data());

    const auto r = scorecard.score(batch, /*k=*/3);

    const auto fit_names = scorecard.fit_score_names();
    const auto rules = scorecard.rule_names();
    const auto grader = scorecard.grader();
    const auto stages = grader.stages(), grades = grader.grades();
    const auto personas = scorecard.persona_set().names();
    std::printf("leadkit %s demo: scorecard '%s' on %s\n", leadkit::version().c_str(),
                scorecard.name().c_str(), path.c_str());
    std::printf("%zu features per lead; fit scores:", scorecard.n_features());
    for (const auto& f : fit_names) std::printf(" %s", f.c_str());
    std::printf("; kernels: %s\n\n", lk_cpu_features());

    // The leads a sales team should call first: highest probability.
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return r.probability[a] > r.probability[b]; });
    const auto& title = leads.strings("title");
    const auto& id = leads.strings("lead_id");
    std::printf("%-4s %-9s %-34s %4s %4s %4s %5s %6s %-5s %-18s  %s\n", "rank", "lead", "title", "fit", "act",
                "sec", "grade", "P(cv)", "stage", "persona", "why (fit)");
    for (std::size_t rank = 0; rank < std::min<std::size_t>(n, 15); ++rank) {
      const std::size_t i = order[rank];
      std::string why;
      for (std::size_t j = 0; j < r.k; ++j) {
        const std::int32_t rule = r.reason_rules[i * r.k + j];
        if (rule < 0) break;
        char buf[96];
        std::snprintf(buf, sizeof buf, "%s%s %+.0f", why.empty() ? "" : ", ",
                      rules[static_cast<std::size_t>(rule)].c_str(),
                      static_cast<double>(r.reason_points[i * r.k + j]));
        why += buf;
      }
      const std::string persona =
          r.persona[i] < 0 ? std::string("-") : personas[static_cast<std::size_t>(r.persona[i])];
      std::printf("%-4zu %-9s %-34s %4.0f %4.0f %4.0f %5s %6.3f %-5s %-18s  %s\n", rank + 1, id[i].c_str(),
                  title[i].c_str(), static_cast<double>(r.fit[i * r.n_fit]),
                  static_cast<double>(r.fit[i * r.n_fit + 1]), static_cast<double>(r.fit[i * r.n_fit + 2]),
                  grades[static_cast<std::size_t>(r.grade[i])].c_str(), static_cast<double>(r.probability[i]),
                  stages[static_cast<std::size_t>(r.stage[i])].c_str(), persona.c_str(), why.c_str());
    }

    // Does the scorecard separate buyers? Conversion rate per stage and grade.
    std::printf("\n%-8s %6s %10s\n", "stage", "leads", "converted");
    for (std::size_t s = 0; s < stages.size(); ++s) {
      std::size_t count = 0, won = 0;
      for (std::size_t i = 0; i < n; ++i)
        if (r.stage[i] == static_cast<std::int32_t>(s)) ++count, won += converted[i] == 1.0 ? 1 : 0;
      std::printf("%-8s %6zu %9.1f%%\n", stages[s].c_str(), count, count ? 100.0 * static_cast<double>(won) / static_cast<double>(count) : 0.0);
    }
    std::printf("%-8s %6s %10s\n", "grade", "leads", "converted");
    for (std::size_t g = grades.size(); g-- > 0;) {
      std::size_t count = 0, won = 0;
      for (std::size_t i = 0; i < n; ++i)
        if (r.grade[i] == static_cast<std::int32_t>(g)) ++count, won += converted[i] == 1.0 ? 1 : 0;
      std::printf("%-8s %6zu %9.1f%%\n", grades[g].c_str(), count, count ? 100.0 * static_cast<double>(won) / static_cast<double>(count) : 0.0);
    }
    const auto mql = std::count(r.stage.begin(), r.stage.end(), static_cast<std::int32_t>(stages.size() - 1));
    std::printf("\nscored %zu leads; %ld reach %s\n", n, static_cast<long>(mql), stages.back().c_str());
    return 0;
  } catch (const leadkit::Error& e) {
    std::fprintf(stderr, "leadkit error %s: %s\n", e.status_name(), e.what());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
  }
  return 1;
}
