// The public C++ persona API (header-only over the C API).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "leadkit/leadkit.hpp"

TEST(CppPersonaApi, ProfilesMatchKMeansAndJson) {
  const std::vector<float> P = {1, 0, 0, 1};
  const auto set =
      leadkit::PersonaSet::from_profiles({"a", "b"}, P, 2, leadkit::PersonaMetric::cosine, 0.5f);
  EXPECT_EQ(set.size(), 2u);
  EXPECT_EQ(set.names(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(set.metric(), leadkit::PersonaMetric::cosine);
  const std::vector<float> X = {2, 0.5f, 0.1f, 3};
  const auto m = set.match(X.data(), 2, 2, 2);
  EXPECT_EQ(m.best, (std::vector<std::int32_t>{0, 1}));
  EXPECT_EQ(m.topk_index, (std::vector<std::int32_t>{0, 1, 1, 0}));
  EXPECT_GT(m.margin[0], 0.0f);
  const auto all = set.similarities(X.data(), 2, 2);
  EXPECT_FLOAT_EQ(all[0], m.similarity[0]);
  try {
    set.match(X.data(), 1, 4);
    FAIL() << "expected an error";
  } catch (const leadkit::Error& e) {
    EXPECT_EQ(e.status(), LK_ERR_DIMENSION_MISMATCH);
  }
  EXPECT_THROW(leadkit::PersonaSet::from_profiles({"a", "a"}, P, 2), leadkit::Error);

  const std::vector<float> L = {0, 1, 10, 11, 0.5f, 10.5f};
  leadkit::KMeans km;
  km.k = 2;
  km.seed = 1;
  const auto r = km.fit(L.data(), 6, 1);
  EXPECT_EQ(r.labels[0], r.labels[1]);
  EXPECT_NE(r.labels[0], r.labels[2]);
  EXPECT_NEAR(r.inertia, 4 * 0.25 + 2 * 0.0, 1e-5);
  EXPECT_GT(leadkit::silhouette(L.data(), 6, 1, r.labels.data(), 2), 0.8);
  const auto discovered = leadkit::KMeans::personas(r, 1);
  EXPECT_EQ(discovered.names()[1], "persona 1");
  km.k = 7;
  EXPECT_THROW(km.fit(L.data(), 6, 1), leadkit::Error);

  const auto schema = leadkit::Schema::from_json(
      R"({"attributes": [{"name": "dept", "type": "categorical", "vocabulary": ["it", "sales"]}]})");
  const auto js = leadkit::PersonaSet::from_json(
      schema, R"({"personas": [{"name": "IT", "attributes": {"dept": "it"}}]})");
  EXPECT_EQ(js.n_features(), schema.n_features());
  EXPECT_NE(js.to_json().find("\"dept\": \"it\""), std::string::npos);
}
