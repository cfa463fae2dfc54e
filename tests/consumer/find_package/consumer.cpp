// Links the installed leadkit from C++: the header-only API over the C ABI.
#include <cmath>
#include <cstdio>
#include <leadkit/leadkit.hpp>

int main() {
  if (leadkit::version() != LEADKIT_VERSION_STRING) return 1;
  const leadkit::LogisticModel m({2.0f, -1.0f}, 0.5f);
  const float x[2] = {1.0f, 3.0f};
  const auto p = m.predict_proba(x, 1, 2);
  if (std::fabs(p[0] - 1.0 / (1.0 + std::exp(0.5))) > 1e-6) return 1;
  try {
    m.predict_proba(x, 1, 1);
    return 1;
  } catch (const leadkit::Error& e) {
    if (e.status() != LK_ERR_DIMENSION_MISMATCH) return 1;
  }
  std::printf("consumer C++: leadkit %s, p = %.6f\n", leadkit::version().c_str(), static_cast<double>(p[0]));
  return 0;
}
