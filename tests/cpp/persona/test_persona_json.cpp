// Personas authored by attribute values: encoded through the schema like
// leads, left-out attributes weigh 0, the JSON round-trips, errors name the path.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/lead_batch.hpp"
#include "engine_errors.hpp"
#include "io/schema_json.hpp"
#include "persona/persona_json.hpp"

using namespace leadkit::engine;
using leadkit::test::message_of;
using leadkit::test::status_of;

namespace {

const Schema& schema() {
  static const Schema s = schema_from_json(R"({"attributes": [
    {"name": "seniority", "type": "categorical", "vocabulary": ["junior", "manager", "director", "vp"]},
    {"name": "department", "type": "categorical", "vocabulary": ["it", "marketing", "sales"]},
    {"name": "employees", "type": "numeric", "log1p": true, "bands": [50, 1000]},
    {"name": "interests", "type": "tags", "vocabulary": ["security", "cloud", "ads"]},
    {"name": "is_customer", "type": "boolean"}]})");
  return s;
}

const char* kPersonas = R"({"metric": "cosine", "min_similarity": 0.5, "personas": [
  {"name": "IT Director", "attributes": {"seniority": "director", "department": "IT", "employees": 5000,
                                         "interests": ["security", "cloud"]}, "weights": {"interests": 2}},
  {"name": "Marketer", "attributes": {"department": "marketing", "interests": "ads"}}]})";

std::vector<float> encode_one(const char* seniority, const char* dept, double employees,
                              const char* interests, std::int8_t customer) {
  LeadBatch b(1);
  b.set_strings("seniority", &seniority);
  b.set_strings("department", &dept);
  b.set_numeric("employees", &employees);
  b.set_strings("interests", &interests);
  b.set_booleans("is_customer", &customer);
  std::vector<float> row(schema().n_features());
  schema().encode(b, ExecOptions{1}, row.data(), row.size());
  return row;
}

}  // namespace

TEST(PersonaJson, AttributesEncodeLikeLeadsAndLeftOutAttributesWeighZero) {
  const PersonaSet set = persona_set_from_json(schema(), kPersonas);
  ASSERT_EQ(set.size(), 2u);
  EXPECT_EQ(set.names()[0], "IT Director");
  EXPECT_EQ(set.min_similarity(), 0.5f);
  const std::size_t D = schema().n_features();
  const std::vector<float> lead = encode_one("director", "it", 5000, "security;cloud", 1);
  for (std::size_t j = 0; j < D; ++j) {
    const bool customer_col = schema().feature_names()[j] == "is_customer";
    EXPECT_EQ(set.profiles()[j], customer_col ? 0.0f : lead[j]) << schema().feature_names()[j];
    const bool interest = schema().feature_names()[j].rfind("interests", 0) == 0;
    EXPECT_EQ(set.weights()[j], customer_col ? 0.0f
                                : interest   ? 2.0f
                                             : 1.0f)
        << schema().feature_names()[j];
  }
  // The persona's own lead matches it with similarity 1; a marketer matches the other.
  const std::vector<float> marketer = encode_one("junior", "marketing", 10, "ads", 0);
  std::vector<float> X = lead;
  X.insert(X.end(), marketer.begin(), marketer.end());
  std::int32_t best[2];
  float sim[2];
  set.match({X.data(), 2, D, D}, 1, ExecOptions{1}, {best, sim});
  EXPECT_EQ(best[0], 0);
  EXPECT_NEAR(sim[0], 1.0f, 1e-6f);
  EXPECT_EQ(best[1], 1);
  EXPECT_NEAR(sim[1], 1.0f, 1e-6f);
}

TEST(PersonaJson, RoundTrips) {
  const PersonaSet a = persona_set_from_json(schema(), kPersonas);
  const PersonaSet b = persona_set_from_json(schema(), persona_set_to_json(a), "again");
  EXPECT_EQ(a.names(), b.names());
  EXPECT_EQ(a.profiles(), b.profiles());
  EXPECT_EQ(a.weights(), b.weights());
  EXPECT_EQ(a.metric(), b.metric());
  EXPECT_EQ(a.min_similarity(), b.min_similarity());
  // A set given by raw profiles exports profiles and reads back the same.
  const std::size_t D = schema().n_features();
  std::vector<float> P(2 * D, 0.25f), W(2 * D, 1.0f);
  W.at(3) = 0.0f;
  const PersonaSet raw({"x", "y"}, P, schema().n_features(), PersonaMetric::euclidean, W, 0.1f);
  const PersonaSet back = persona_set_from_json(schema(), persona_set_to_json(raw), "p");
  EXPECT_EQ(back.profiles(), raw.profiles());
  EXPECT_EQ(back.weights(), raw.weights());
  EXPECT_EQ(back.metric(), PersonaMetric::euclidean);
}

TEST(PersonaJson, ErrorsNameTheJsonPath) {
  auto msg = [](const std::string& text) {
    return message_of([&] { persona_set_from_json(schema(), text); });
  };
  EXPECT_EQ(msg(R"({"personas": [{"name": "a", "attributes": {"seniority": "directr"}}]})"),
            "personas.personas[0].attributes.seniority: 'directr' is not in the vocabulary of "
            "'seniority' "
            "(junior, manager, director, vp)");
  EXPECT_NE(msg(R"({"personas": [{"name": "a", "attributes": {"title": "x"}}]})")
                .find("personas.personas[0].attributes.title: not an attribute of the schema"),
            std::string::npos);
  EXPECT_NE(msg(R"({"personas": [{"name": "a", "attributes": {"seniority": "vp"}},
                                 {"name": "a", "attributes": {"seniority": "vp"}}]})")
                .find("personas.personas[1].name: duplicate persona name 'a'"),
            std::string::npos);
  EXPECT_NE(msg(R"({"personas": [{"name": "a", "attributes": {"employees": "many"}}]})")
                .find("personas.personas[0].attributes.employees: expected a number"),
            std::string::npos);
  EXPECT_NE(
      msg(R"({"metric": "manhattan", "personas": []})").find("personas.metric: unknown metric"),
      std::string::npos);
  EXPECT_NE(
      msg(R"({"personas": [{"name": "a", "attributes": {"seniority": "vp"}, "wieghts": {}}]})")
          .find("unknown field \"wieghts\""),
      std::string::npos);
  EXPECT_NE(
      msg(R"({"personas": [{"name": "a", "attributes": {"seniority": "vp"}, "weights": {"department": 2}}]})")
          .find("personas.personas[0].weights.department: 'department' is not one of this "
                "persona's attributes"),
      std::string::npos);
  EXPECT_EQ(status_of([&] {
              persona_set_from_json(schema(),
                                    R"({"personas": [{"name": "a", "profile": [1, 2]}]})");
            }),
            LK_ERR_DIMENSION_MISMATCH);
  // A persona of one numeric attribute at 0 (log1p(0) = 0, below the first band
  // -> that band column is 1) is fine; one whose only feature is 0 under cosine is not.
  EXPECT_NE(msg(R"({"personas": [{"name": "z", "attributes": {"is_customer": false}}]})")
                .find("persona 'z' has a zero-norm profile"),
            std::string::npos);
}
