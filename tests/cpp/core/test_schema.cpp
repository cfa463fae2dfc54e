#include "core/schema.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "io/schema_json.hpp"
#include "engine_errors.hpp"

using namespace leadkit::engine;

using leadkit::test::message_of;
using leadkit::test::status_of;

namespace {

const char* kSchema = R"({
  "attributes": [
    {"name": "employees", "type": "numeric", "missing": "constant", "impute": 10,
     "clip": [1, 100000], "bands": [50, 1000], "value": true, "log1p": true},
    {"name": "industry", "type": "categorical", "vocabulary": ["Software", "fintech"],
     "unknown": "slot", "missing": "slot"},
    {"name": "is_customer", "type": "boolean", "missing": "false"},
    {"name": "interests", "type": "tags", "vocabulary": ["security", "cloud"], "unknown": "slot"}
  ]})";

}  // namespace

TEST(Schema, LaysOutReadableFeatureNames) {
  const Schema s = schema_from_json(kSchema);
  const std::vector<std::string> want = {
      "employees", "employees < 50", "employees in [50,1000)", "employees >= 1000",
      "industry=software", "industry=fintech", "industry=<unknown>", "industry=<missing>",
      "is_customer", "interests:security", "interests:cloud", "interests:<other>"};
  EXPECT_EQ(s.feature_names(), want);
  EXPECT_EQ(s.n_features(), want.size());
}

TEST(Schema, EncodesEveryAttributeType) {
  const Schema s = schema_from_json(kSchema);
  const double employees[4] = {20, 5000, std::numeric_limits<double>::quiet_NaN(), 1e9};
  const char* industry[4] = {"  SOFTWARE ", "retail", nullptr, "fintech"};
  const std::int8_t customer[4] = {1, 0, -1, 0};
  const char* interests[4] = {"security; Cloud", "", nullptr, "cloud;gaming"};
  LeadBatch b(4);
  b.set_numeric("employees", employees);
  b.set_strings("industry", industry);
  b.set_booleans("is_customer", customer);
  b.set_strings("interests", interests);
  const std::size_t D = s.n_features();
  std::vector<float> X(4 * D, -1.0f);
  s.encode(b, ExecOptions{1}, X.data(), D);
  auto row = [&](std::size_t r) { return std::vector<float>(X.begin() + static_cast<long>(r * D), X.begin() + static_cast<long>((r + 1) * D)); };
  const float l20 = static_cast<float>(std::log1p(20.0)), l5000 = static_cast<float>(std::log1p(5000.0));
  const float l10 = static_cast<float>(std::log1p(10.0)), lmax = static_cast<float>(std::log1p(100000.0));
  EXPECT_EQ(row(0), (std::vector<float>{l20, 1, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0}));
  EXPECT_EQ(row(1), (std::vector<float>{l5000, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0}));
  EXPECT_EQ(row(2), (std::vector<float>{l10, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0}));  // imputed, missing slot, false
  EXPECT_EQ(row(3), (std::vector<float>{lmax, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 1}));  // clipped, <other> tag
}

TEST(Schema, FitLearnsMedianStatisticsAndVocabulary) {
  const Schema s = schema_from_json(R"({"attributes": [
    {"name": "visits", "type": "numeric", "missing": "median", "standardize": true},
    {"name": "country", "type": "categorical", "vocabulary": "learn", "min_count": 2}]})");
  EXPECT_TRUE(s.needs_fit());
  const double visits[5] = {1, 2, std::numeric_limits<double>::quiet_NaN(), 4, 10};
  const char* country[5] = {"US", "de", "us", "DE", "fr"};
  LeadBatch b(5);
  b.set_numeric("visits", visits);
  b.set_strings("country", country);
  std::vector<float> X(5 * 4);
  EXPECT_EQ(status_of([&] { s.encode(b, {}, X.data(), 4); }), LK_ERR_INVALID_ARGUMENT);  // not fitted
  const Schema f = s.fit(b);
  EXPECT_TRUE(f.fitted());
  EXPECT_DOUBLE_EQ(f.attributes()[0].impute, 3.0);  // median of 1, 2, 4, 10
  EXPECT_DOUBLE_EQ(f.attributes()[0].mean, 4.0);    // 1, 2, 3, 4, 10
  EXPECT_EQ(f.attributes()[1].vocabulary, (std::vector<std::string>{"de", "us"}));  // fr seen once
  EXPECT_EQ(f.feature_names(), (std::vector<std::string>{"visits", "country=de", "country=us",
                                                         "country=<unknown>", "country=<missing>"}));
  std::vector<float> Y(5 * 5);
  f.encode(b, {}, Y.data(), 5);
  EXPECT_FLOAT_EQ(Y[0], static_cast<float>((1.0 - 4.0) / f.attributes()[0].scale));
  EXPECT_EQ(Y[4 * 5 + 3], 1.0f);  // fr -> <unknown>
  // The exported JSON carries what was learned and reads back to the same encoding.
  const Schema g = schema_from_json(schema_to_json(f));
  std::vector<float> Z(5 * 5);
  g.encode(b, {}, Z.data(), 5);
  EXPECT_EQ(Y, Z);
}

TEST(Schema, EncodingIsBitIdenticalForAnyThreadCount) {
  const Schema s = schema_from_json(kSchema);
  const std::size_t n = 20000, D = s.n_features();
  std::vector<double> emp(n);
  std::vector<std::string> ind(n), tags(n);
  std::vector<const char*> ind_p(n), tags_p(n);
  std::vector<std::int8_t> cust(n);
  const char* inds[] = {"software", "fintech", "retail", "Software "};
  const char* tg[] = {"security", "cloud;security", "", "other"};
  for (std::size_t i = 0; i < n; ++i) {
    emp[i] = static_cast<double>((i * 7919) % 20000);
    ind_p[i] = inds[i % 4];
    tags_p[i] = tg[(i / 3) % 4];
    cust[i] = static_cast<std::int8_t>(i % 2);
  }
  LeadBatch b(n);
  b.set_numeric("employees", emp.data());
  b.set_strings("industry", ind_p.data());
  b.set_booleans("is_customer", cust.data());
  b.set_strings("interests", tags_p.data());
  std::vector<float> a(n * D), c(n * D);
  s.encode(b, ExecOptions{1}, a.data(), D);
  s.encode(b, ExecOptions{2}, c.data(), D);
  EXPECT_EQ(a, c);
}

TEST(Schema, DataErrorsNameRowAndAttributeAndLeaveNoPartialResult) {
  const Schema s = schema_from_json(R"({"attributes": [
    {"name": "x", "type": "numeric"},
    {"name": "c", "type": "categorical", "vocabulary": ["a"], "unknown": "error", "missing": "error"}]})");
  const double x[3] = {1, 2, 3};
  const char* c[3] = {"a", "A", "b"};
  LeadBatch b(3);
  b.set_numeric("x", x);
  b.set_strings("c", c);
  std::vector<float> X(3 * 2, 7.0f);
  const std::string m = message_of([&] { s.encode(b, {}, X.data(), 2); });
  EXPECT_NE(m.find("row 2, attribute 'c': value 'b' is not in the vocabulary"), std::string::npos) << m;
  for (float v : X) EXPECT_TRUE(std::isnan(v));

  const double nan_x[3] = {1, std::numeric_limits<double>::quiet_NaN(), 3};
  const char* ok_c[3] = {"a", "a", "a"};
  LeadBatch b2(3);
  b2.set_numeric("x", nan_x);
  b2.set_strings("c", ok_c);
  EXPECT_NE(message_of([&] { s.encode(b2, {}, X.data(), 2); }).find("row 1, attribute 'x': value is missing"),
            std::string::npos);
}

TEST(Schema, BatchMismatchesAreSpecificErrors) {
  const Schema s = schema_from_json(kSchema);
  const double d[1] = {1};
  const char* str[1] = {"x"};
  std::vector<float> X(s.n_features());
  LeadBatch missing_col(1);
  missing_col.set_numeric("employees", d);
  EXPECT_NE(message_of([&] { s.encode(missing_col, {}, X.data(), X.size()); }).find("no column for attribute 'industry'"),
            std::string::npos);
  LeadBatch wrong_type(1);
  wrong_type.set_strings("employees", str);
  EXPECT_NE(message_of([&] { s.encode(wrong_type, {}, X.data(), X.size()); }).find("holds strings but attribute 'employees' is numeric"),
            std::string::npos);
  LeadBatch extra(1);
  extra.set_numeric("revenue", d);
  EXPECT_NE(message_of([&] { s.encode(extra, {}, X.data(), X.size()); }).find("column 'revenue' is not an attribute"),
            std::string::npos);
  EXPECT_EQ(status_of([&] { extra.set_numeric("revenue", d); }), LK_ERR_INVALID_ARGUMENT);  // set twice
  LeadBatch empty(0);
  EXPECT_EQ(status_of([&] { s.encode(empty, {}, X.data(), X.size()); }), LK_ERR_INVALID_ARGUMENT);
}

TEST(SchemaJson, ErrorsNameTheJsonPath) {
  auto msg = [](const char* j) { return message_of([&] { schema_from_json(j); }); };
  EXPECT_NE(msg("{").find("not valid JSON"), std::string::npos);
  EXPECT_NE(msg(R"({"attributes": 3})").find("schema.attributes: expected an array, got number"), std::string::npos);
  EXPECT_NE(msg(R"({"attributes": [{"name": "x", "type": "numeric", "bandz": [1]}]})").find("schema.attributes[0]: unknown field \"bandz\""),
            std::string::npos);
  EXPECT_NE(msg(R"({"attributes": [{"name": "x", "type": "numeric", "bands": [5, 1]}]})").find("strictly increasing"),
            std::string::npos);
  EXPECT_NE(msg(R"({"attributes": [{"name": "x", "type": "numerc"}]})").find("schema.attributes[0].type: 'numerc' is not a type"),
            std::string::npos);
  EXPECT_NE(msg(R"({"attributes": [{"name": "x", "type": "numeric"}, {"name": "x", "type": "boolean"}]})").find("duplicate attribute name"),
            std::string::npos);
  EXPECT_NE(msg(R"({"attributes": [{"name": "c", "type": "categorical", "vocabulary": ["a", " A"]}]})").find("appears twice"),
            std::string::npos);
  EXPECT_NE(msg(R"({"attributes": [{"name": "c", "type": "categorical"}]})").find("missing required field \"vocabulary\""),
            std::string::npos);
  EXPECT_NE(msg(R"({"attributes": [{"name": "b", "type": "boolean", "missing": "median"}]})").find("not a policy for boolean"),
            std::string::npos);
  EXPECT_NE(msg(R"({"attributes": [{"name": 5, "type": "boolean"}]})").find("schema.attributes[0].name: expected a string, got number"),
            std::string::npos);
}

// Category codes (pandas.Categorical's layout) give the features of the same
// values as strings, for every policy: blank and unknown categories, tags
// split per category, codes in any order and repeated, -1 for missing.
TEST(Schema, CategoryCodesEncodeAsTheirStrings) {
  for (const char* policies : {R"("unknown": "slot", "missing": "slot")", R"("unknown": "ignore", "missing": "ignore")"}) {
    const std::string def = std::string(R"({"attributes": [
      {"name": "industry", "type": "categorical", "vocabulary": ["Software", "fintech"], )") + policies + R"(},
      {"name": "interests", "type": "tags", "vocabulary": ["security", "cloud"], "unknown": ")" +
                            (std::string(policies).find("slot") != std::string::npos ? "slot" : "ignore") +
                            R"(", "missing": "ignore"}]})";
    const Schema s = schema_from_json(def);
    const char* ind_cats[] = {" software", "FINTECH", "retail", "  "};
    const char* tag_cats[] = {"cloud; Security", "gaming", "", "security;;other"};
    const std::int32_t ind_codes[] = {0, 1, 2, 3, -1, 0, 2, 1};
    const std::int32_t tag_codes[] = {3, -1, 0, 1, 2, 0, 3, 1};
    const std::size_t n = 8, D = s.n_features();
    std::vector<const char*> ind_str(n), tag_str(n);
    for (std::size_t r = 0; r < n; ++r) {
      ind_str[r] = ind_codes[r] < 0 ? nullptr : ind_cats[ind_codes[r]];
      tag_str[r] = tag_codes[r] < 0 ? nullptr : tag_cats[tag_codes[r]];
    }
    LeadBatch by_code(n), by_text(n);
    by_code.set_codes("industry", ind_codes, ind_cats, 4);
    by_code.set_codes("interests", tag_codes, tag_cats, 4);
    by_text.set_strings("industry", ind_str.data());
    by_text.set_strings("interests", tag_str.data());
    std::vector<float> a(n * D, -1.0f), b(n * D, -2.0f);
    s.encode(by_code, {}, a.data(), D);
    s.encode(by_text, {}, b.data(), D);
    EXPECT_EQ(a, b) << policies;
    // Spot checks: row 0 is software; row 1 (fintech) has no tags (missing).
    EXPECT_EQ(a[0 * D + 0], 1.0f);
    EXPECT_EQ(a[1 * D + 1], 1.0f);

    // fit() learns the same vocabulary from codes as from strings.
    const Schema learn = schema_from_json(R"({"attributes": [
      {"name": "industry", "type": "categorical", "vocabulary": "learn", "min_count": 2},
      {"name": "interests", "type": "tags", "vocabulary": "learn"}]})");
    EXPECT_EQ(learn.fit(by_code).feature_names(), learn.fit(by_text).feature_names());
  }
}

TEST(Schema, CategoryCodeErrorsNameRowAndValue) {
  const Schema s = schema_from_json(R"({"attributes": [
    {"name": "c", "type": "categorical", "vocabulary": ["a"], "unknown": "error", "missing": "error"},
    {"name": "t", "type": "tags", "vocabulary": ["x"], "unknown": "error", "missing": "ignore"}]})");
  const char* cats[] = {"A", "b"};
  const char* tcats[] = {"x", "x;y"};
  std::vector<float> X(3 * 2, 7.0f);
  auto encode = [&](const std::int32_t* c, const std::int32_t* t) {
    LeadBatch b(3);
    b.set_codes("c", c, cats, 2);
    b.set_codes("t", t, tcats, 2);
    return message_of([&] { s.encode(b, {}, X.data(), 2); });
  };
  const std::int32_t ok[3] = {0, 0, 0}, unknown[3] = {0, 0, 1}, missing[3] = {0, -1, 0}, high[3] = {0, 2, 0},
                     low[3] = {-5, 0, 0}, bad_tag[3] = {0, 1, 0};
  EXPECT_EQ(encode(ok, ok), "");
  std::string m = encode(unknown, ok);
  EXPECT_NE(m.find("row 2, attribute 'c': value 'b' is not in the vocabulary"), std::string::npos) << m;
  for (float v : X) EXPECT_TRUE(std::isnan(v));  // no partial result
  m = encode(missing, ok);
  EXPECT_NE(m.find("row 1, attribute 'c': value is missing"), std::string::npos) << m;
  m = encode(high, ok);
  EXPECT_NE(m.find("row 1, attribute 'c': code 2 is out of range: valid codes are 0 to 1 (2 categories) and -1"),
            std::string::npos)
      << m;
  m = encode(low, ok);
  EXPECT_NE(m.find("row 0, attribute 'c': code -5 is out of range"), std::string::npos) << m;
  m = encode(ok, bad_tag);
  EXPECT_NE(m.find("row 1, attribute 't': tag 'y' is not in the vocabulary"), std::string::npos) << m;

  // Setting the column: NULL arrays and NULL categories are refused by name.
  LeadBatch b(3);
  EXPECT_NE(message_of([&] { b.set_codes("c", nullptr, cats, 2); }).find("codes: is NULL for column 'c'"),
            std::string::npos);
  EXPECT_NE(message_of([&] { b.set_codes("c", ok, nullptr, 2); }).find("categories: is NULL"), std::string::npos);
  const char* holes[] = {"a", nullptr};
  EXPECT_NE(message_of([&] { b.set_codes("c", ok, holes, 2); }).find("categories[1]: is NULL"), std::string::npos);
  EXPECT_NE(message_of([&] { b.set_codes(nullptr, ok, cats, 2); }).find("name: is NULL"), std::string::npos);
  // No categories: only -1 is a valid code.
  const std::int32_t none[3] = {-1, -1, 0};
  LeadBatch e(3);
  e.set_codes("c", none, nullptr, 0);
  e.set_codes("t", ok, tcats, 2);
  m = message_of([&] { s.encode(e, {}, X.data(), 2); });
  EXPECT_NE(m.find("row 0, attribute 'c': value is missing"), std::string::npos) << m;
  // Codes for a numeric attribute: a type mismatch naming both.
  const Schema num = schema_from_json(R"({"attributes": [{"name": "n", "type": "numeric"}]})");
  LeadBatch w(3);
  w.set_codes("n", ok, cats, 2);
  m = message_of([&] { num.encode(w, {}, X.data(), 1); });
  EXPECT_NE(m.find("column 'n' holds category codes but attribute 'n' is numeric and needs numeric"),
            std::string::npos)
      << m;
}

// Vocabulary lookups (a hash table probed with the value trimmed and
// lower-cased on the fly) find exactly what a plain map of normalised
// values finds: a large vocabulary (collisions), any ASCII case and
// surrounding space, non-ASCII bytes compared as they are, near misses.
TEST(Schema, VocabularyLookupMatchesAPlainMap) {
  std::string def = R"({"attributes": [{"name": "c", "type": "categorical", "unknown": "slot", "missing": "slot", "vocabulary": [)";
  std::vector<std::string> vocab;
  for (int k = 0; k < 300; ++k) vocab.push_back("Value-" + std::to_string(k * 7919 % 1000));
  vocab.push_back("Zürich");
  for (std::size_t k = 0; k < vocab.size(); ++k) def += (k ? ", \"" : "\"") + vocab[k] + "\"";
  def += "]}]}";
  const Schema s = schema_from_json(def);
  std::map<std::string, std::size_t> want;
  for (std::size_t k = 0; k < vocab.size(); ++k) want[Schema::normalized(vocab[k], true)] = k;
  std::vector<std::string> queries;
  for (int k = 0; k < 1000; ++k) {
    queries.push_back("value-" + std::to_string(k));
    queries.push_back("  VALUE-" + std::to_string(k) + "\t");
    queries.push_back("value-" + std::to_string(k) + "x");
  }
  for (const char* q : {"zürich", "ZüRICH", "ZÜRICH", "zurich", "", "   ", "value-", "Value-1000"}) queries.push_back(q);
  std::vector<const char*> ptrs;
  for (const auto& q : queries) ptrs.push_back(q.c_str());
  LeadBatch b(ptrs.size());
  b.set_strings("c", ptrs.data());
  const std::size_t D = s.n_features(), V = vocab.size();
  std::vector<float> X(ptrs.size() * D);
  s.encode(b, {}, X.data(), D);
  for (std::size_t r = 0; r < queries.size(); ++r) {
    const std::string norm = Schema::normalized(queries[r], true);
    const auto it = want.find(norm);
    const std::size_t col = norm.empty() ? V + 1 : it != want.end() ? it->second : V;
    for (std::size_t j = 0; j < D; ++j)
      ASSERT_EQ(X[r * D + j], j == col ? 1.0f : 0.0f) << "query '" << queries[r] << "' column " << j;
  }
}
