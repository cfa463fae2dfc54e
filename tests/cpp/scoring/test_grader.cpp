#include "scoring/grader.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "engine_errors.hpp"

using namespace leadkit::engine;

using leadkit::test::message_of;
using leadkit::test::status_of;

namespace {

const char* kGrader = R"({
  "stages": [{"label": "cold"}, {"label": "warm", "min": 50}, {"label": "MQL", "min": 100}],
  "grades": [{"label": "D"}, {"label": "C", "min": 25}, {"label": "B", "min": 50}, {"label": "A", "min": 75}],
  "matrix": {"A": {"warm": "MQL"}, "D": {"MQL": "warm"}}})";

}  // namespace

TEST(Grader, BandsAndMatrix) {
  const Grader g = grader_from_json(kGrader);
  const float score[] = {-5, 49.9f, 50, 99, 100, 1e9f, 60, 120};
  const float fit[] = {0, 0, 30, 60, 80, 80, 90, 10};
  std::int32_t stage[8], grade[8];
  g.apply(score, fit, 8, stage, grade);
  EXPECT_EQ(std::vector<std::int32_t>(stage, stage + 8), (std::vector<std::int32_t>{0, 0, 1, 1, 2, 2, 2, 1}));
  EXPECT_EQ(std::vector<std::int32_t>(grade, grade + 8), (std::vector<std::int32_t>{0, 0, 1, 2, 3, 3, 3, 0}));
  // 60 with grade A: warm -> MQL by the matrix; 120 with grade D: MQL -> warm.
}

TEST(Grader, StagesOnlyAndErrors) {
  const Grader g = grader_from_json(R"({"stages": [{"label": "cold"}, {"label": "hot", "min": 10}]})");
  const float score[] = {9, 10};
  std::int32_t stage[2], grade[2] = {7, 7};
  g.apply(score, nullptr, 2, stage, grade);
  EXPECT_EQ(stage[0], 0);
  EXPECT_EQ(stage[1], 1);
  EXPECT_EQ(grade[0], -1);
  const float bad[] = {1, std::numeric_limits<float>::quiet_NaN()};
  std::int32_t untouched[2] = {9, 9};
  EXPECT_NE(message_of([&] { g.apply(bad, nullptr, 2, untouched, nullptr); }).find("score[1]: is NaN"), std::string::npos);
  EXPECT_EQ(untouched[0], 9);
  auto msg = [](const char* j) { return message_of([&] { grader_from_json(j); }); };
  EXPECT_NE(msg(R"({"stages": []})").find("at least one band"), std::string::npos);
  EXPECT_NE(msg(R"({"stages": [{"label": "a"}, {"label": "b"}]})").find("grader.stages[1]: missing required field \"min\""),
            std::string::npos);
  EXPECT_NE(msg(R"({"stages": [{"label": "a"}, {"label": "b", "min": 5}, {"label": "c", "min": 5}]})").find("must increase"),
            std::string::npos);
  EXPECT_NE(msg(R"({"stages": [{"label": "a"}, {"label": "a", "min": 5}]})").find("appears twice"), std::string::npos);
  EXPECT_NE(msg(R"({"stages": [{"label": "a"}], "matrix": {}})").find("needs \"grades\""), std::string::npos);
  EXPECT_NE(msg(R"({"stages": [{"label": "a"}], "grades": [{"label": "A"}], "matrix": {"A": {"a": "zzz"}}})").find("grader.matrix.A.a: 'zzz' is not a stage"),
            std::string::npos);
}
