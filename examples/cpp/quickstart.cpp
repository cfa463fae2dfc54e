// Score three leads with a logistic model through the C++ API.
#include <cstdio>
#include <leadkit/leadkit.hpp>
#include <vector>

int main() {
  // Features: seniority (0..1), log10(employees)/5, web visits (scaled), form fills.
  const leadkit::LogisticModel model({1.6f, 1.2f, 1.5f, 1.1f}, -3.0f);
  const std::vector<float> leads = {
      1.00f, 0.90f, 0.80f, 2.0f,  // CTO at a large company, very engaged
      0.45f, 0.40f, 0.30f, 0.0f,  // manager at a mid-size company
      0.00f, 0.20f, 0.10f, 0.0f,  // student
  };
  try {
    const std::vector<float> p = model.predict_proba(leads.data(), 3, 4, leadkit::ExecOptions{1});
    for (std::size_t i = 0; i < p.size(); ++i)
      std::printf("lead %zu: P(convert) = %.3f\n", i, static_cast<double>(p[i]));

    // Bad input throws leadkit::Error with the C status and a message.
    float out[4];
    model.predict_proba(leads.data(), 4, 3, out);
    return 1;  // not reached: 3 columns for a 4-feature model
  } catch (const leadkit::Error& e) {
    std::printf("with 3 columns: %s: %s\n", e.status_name(), e.what());
    return e.status() == LK_ERR_DIMENSION_MISMATCH ? 0 : 1;
  }
}
