// Conan test package: the packaged leadkit links, loads and scores a lead.
#include <cmath>
#include <cstdio>
#include <leadkit/leadkit.hpp>

int main() {
  const leadkit::LogisticModel model({1.0f, 1.0f}, -1.0f);
  const float lead[2] = {0.5f, 0.5f};  // score 0 -> probability 0.5
  const float p = model.predict_proba(lead, 1, 2)[0];
  std::printf("leadkit %s (%s): p = %.3f\n", leadkit::version().c_str(), lk_cpu_features(),
              static_cast<double>(p));
  return std::fabs(p - 0.5f) < 1e-6f ? 0 : 1;
}
