// The public C++ API (leadkit/engagement.hpp), black-box over the C API.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "leadkit/leadkit.hpp"

namespace {

const char* kModel = R"({"types": [
  {"name": "form", "points": 10, "decay": {"kind": "exponential", "half_life": 86400}},
  {"name": "visit", "points": 1, "period_cap": {"points": 3, "period": 86400}},
  {"name": "unsub", "points": -50}], "floor": true})";

}  // namespace

TEST(CppEngagement, BatchStreamingRollup) {
  const auto model = leadkit::EngagementModel::from_json(kModel);
  EXPECT_EQ(model.n_types(), 3u);
  EXPECT_EQ(model.type_names()[1], "visit");
  const std::int32_t form = model.type_index("form"), visit = model.type_index("visit");
  EXPECT_EQ(visit, 1);
  try {
    model.type_index("nope");
    FAIL();
  } catch (const leadkit::Error& e) {
    EXPECT_EQ(e.status(), LK_ERR_INVALID_ARGUMENT);
  }
  const std::vector<std::int32_t> lead = {0, 0, 1, 1, 1, 1, 1};
  const std::vector<std::int32_t> type = {form, form, visit, visit, visit, visit, visit};
  const std::vector<double> time = {1000, 1000 + 86400, 2000, 2001, 2002, 2003, 2004};
  const leadkit::Events ev{lead.data(), type.data(), time.data(), nullptr, lead.size()};
  const double as_of = 1000 + 86400;
  const auto s = model.score(ev, 2, as_of, true);
  EXPECT_NEAR(s.total[0], 15.0f, 1e-4f);
  EXPECT_FLOAT_EQ(s.total[1], 3.0f);
  EXPECT_FLOAT_EQ(s.per_type[1 * 3 + 1], 3.0f);

  leadkit::EngagementState st(model, 2);
  st.apply(ev, as_of);
  EXPECT_DOUBLE_EQ(st.now(), as_of);
  const auto r = st.scores(as_of);
  EXPECT_NEAR(r.total[0], s.total[0], 1e-4f);
  EXPECT_FLOAT_EQ(r.total[1], 3.0f);
  const std::string bytes = st.to_bytes();
  auto back = leadkit::EngagementState::from_bytes(bytes);
  EXPECT_EQ(back.scores(as_of + 10).total, st.scores(as_of + 10).total);
  EXPECT_EQ(back.model().to_json(), model.to_json());
  try {
    leadkit::EngagementState::from_bytes(bytes.substr(0, 30));
    FAIL();
  } catch (const leadkit::Error& e) {
    EXPECT_EQ(e.status(), LK_ERR_FORMAT);
  }
  try {
    st.scores(as_of - 1);
    FAIL();
  } catch (const leadkit::Error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot go back in time"), std::string::npos);
  }

  const std::int32_t account[] = {0, 0};
  const auto roll = leadkit::rollup(r.total.data(), account, 2, 1, 5.0f);
  EXPECT_NEAR(roll.sum[0], r.total[0] + r.total[1], 1e-4f);
  EXPECT_EQ(roll.count[0], 1);
  EXPECT_EQ(roll.leads[0], 2);
}
