/* A pure C11 client of the C API. Prints "N passed, N failed" and exits non-zero on failure. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leadkit/leadkit.h"

#include "check.h"


static void test_version(void) {
  CHECK(strcmp(lk_version(), LEADKIT_VERSION_STRING) == 0);
  CHECK(lk_version_number() == LEADKIT_VERSION);
  CHECK(strcmp(lk_status_name(LK_ERR_NOT_FINITE), "LK_ERR_NOT_FINITE") == 0);
  CHECK(strcmp(lk_status_name((lk_status)12345), "LK_UNKNOWN_STATUS") == 0);
  CHECK(strncmp(lk_cpu_features(), "active=", 7) == 0);
  CHECK(contains(lk_cpu_features(), ";compiled=baseline"));
}

static void test_predict(void) {
  const float w[4] = {0.5f, -0.25f, 1.0f, 0.0f};
  /* Two rows of 4 features with a stride of 5 (one float of padding). */
  const float X[10] = {1, 2, 3, 4, 99, -1, 0, 1, 0, 99};
  float p[2] = {-1.0f, -1.0f};
  float s[2] = {0.0f, 0.0f};
  size_t n = 0;
  lk_logistic_model* m = NULL;
  lk_exec_options o;

  CHECK_STATUS(lk_logistic_model_create(w, 4, 0.1f, &m), LK_OK);
  CHECK(m != NULL);
  CHECK_STATUS(lk_logistic_model_n_features(m, &n), LK_OK);
  CHECK(n == 4);
  CHECK_STATUS(lk_exec_options_init(&o), LK_OK);
  CHECK(o.struct_size == sizeof(lk_exec_options) && o.threads == 0);
  o.threads = 1;
  CHECK_STATUS(lk_logistic_model_predict(m, X, 2, 4, 5, &o, p), LK_OK);
  CHECK_STATUS(lk_logistic_model_decision_function(m, X, 2, 4, 5, NULL, s), LK_OK);
  /* row 0: 0.5 - 0.5 + 3 + 0 + 0.1 = 3.1; row 1: -0.5 + 0 + 1 + 0.1 = 0.6 */
  CHECK(fabsf(s[0] - 3.1f) < 1e-6f);
  CHECK(fabsf(s[1] - 0.6f) < 1e-6f);
  CHECK(fabs(p[0] - 1.0 / (1.0 + exp(-3.1))) < 1e-6);
  CHECK(fabs(p[1] - 1.0 / (1.0 + exp(-0.6))) < 1e-6);
  {
    int32_t feat[2 * 2];
    float contrib[2 * 2];
    CHECK_STATUS(lk_logistic_model_reasons(m, NULL, 2, 4, 5, 2, NULL, p, feat, contrib),
                 LK_ERR_NULL_POINTER);
    CHECK_STATUS(lk_logistic_model_reasons(m, X, 2, 4, 5, 2, NULL, p, feat, contrib), LK_OK);
    /* row 0: contributions 0.5, -0.5, 3, 0 -> 3 (feature 2), then 0.5 (feature 0, earlier wins ties) */
    CHECK(feat[0] == 2 && contrib[0] == 3.0f && feat[1] == 0 && contrib[1] == 0.5f);
    /* row 1: -0.5, 0, 1, 0 -> 1 (feature 2), -0.5 (feature 0) */
    CHECK(feat[2] == 2 && contrib[2] == 1.0f && feat[3] == 0 && contrib[3] == -0.5f);
    CHECK_STATUS(lk_logistic_model_reasons(m, X, 2, 4, 5, 0, NULL, p, feat, contrib),
                 LK_ERR_INVALID_ARGUMENT);
  }
  lk_logistic_model_free(m);
  lk_logistic_model_free(NULL); /* NULL-safe */
}

static void test_bad_input(void) {
  const float w[2] = {1.0f, 2.0f};
  const float bad_w[2] = {1.0f, NAN};
  const float X[4] = {1, 2, 3, 4};
  const float X_nan[4] = {1, 2, NAN, 4};
  float p[2] = {-1.0f, -1.0f};
  lk_logistic_model* m = NULL;
  lk_logistic_model* untouched = (lk_logistic_model*)&g_passed; /* sentinel, never dereferenced */
  lk_exec_options o;

  CHECK_STATUS(lk_logistic_model_create(NULL, 2, 0.0f, &m), LK_ERR_NULL_POINTER);
  CHECK(contains(lk_last_error(), "weights"));
  CHECK_STATUS(lk_logistic_model_create(w, 2, 0.0f, NULL), LK_ERR_NULL_POINTER);
  CHECK(contains(lk_last_error(), "out_model"));
  CHECK_STATUS(lk_logistic_model_create(w, 0, 0.0f, &untouched), LK_ERR_INVALID_ARGUMENT);
  CHECK(contains(lk_last_error(), "n_features"));
  CHECK(untouched == (lk_logistic_model*)&g_passed);
  CHECK_STATUS(lk_logistic_model_create(bad_w, 2, 0.0f, &untouched), LK_ERR_NOT_FINITE);
  CHECK(contains(lk_last_error(), "weights[1]"));
  CHECK(untouched == (lk_logistic_model*)&g_passed);
  CHECK_STATUS(lk_logistic_model_create(w, 2, INFINITY, &m), LK_ERR_NOT_FINITE);
  CHECK(contains(lk_last_error(), "intercept"));

  CHECK_STATUS(lk_logistic_model_create(w, 2, 0.0f, &m), LK_OK);
  CHECK_STATUS(lk_logistic_model_predict(NULL, X, 2, 2, 2, NULL, p), LK_ERR_NULL_POINTER);
  CHECK(contains(lk_last_error(), "model"));
  CHECK_STATUS(lk_logistic_model_predict(m, NULL, 2, 2, 2, NULL, p), LK_ERR_NULL_POINTER);
  CHECK(contains(lk_last_error(), "X"));
  CHECK_STATUS(lk_logistic_model_predict(m, X, 2, 2, 2, NULL, NULL), LK_ERR_NULL_POINTER);
  CHECK(contains(lk_last_error(), "out_probabilities"));
  CHECK_STATUS(lk_logistic_model_predict(m, X, 0, 2, 2, NULL, p), LK_ERR_INVALID_ARGUMENT);
  CHECK(contains(lk_last_error(), "empty"));
  CHECK_STATUS(lk_logistic_model_predict(m, X, 1, 3, 3, NULL, p), LK_ERR_DIMENSION_MISMATCH);
  CHECK(contains(lk_last_error(), "3 columns"));
  CHECK_STATUS(lk_logistic_model_predict(m, X, 2, 2, 1, NULL, p), LK_ERR_DIMENSION_MISMATCH);
  CHECK(contains(lk_last_error(), "row_stride"));
  CHECK(p[0] == -1.0f && p[1] == -1.0f); /* shape errors never write */

  CHECK_STATUS(lk_exec_options_init(&o), LK_OK);
  o.threads = -2;
  CHECK_STATUS(lk_logistic_model_predict(m, X, 2, 2, 2, &o, p), LK_ERR_INVALID_ARGUMENT);
  CHECK(contains(lk_last_error(), "options.threads"));
  o.threads = 1;
  o.struct_size = 1;
  CHECK_STATUS(lk_logistic_model_predict(m, X, 2, 2, 2, &o, p), LK_ERR_INVALID_ARGUMENT);
  CHECK(contains(lk_last_error(), "struct_size"));
  CHECK_STATUS(lk_exec_options_init(NULL), LK_ERR_NULL_POINTER);

  CHECK_STATUS(lk_logistic_model_predict(m, X_nan, 2, 2, 2, NULL, p), LK_ERR_NOT_FINITE);
  CHECK(contains(lk_last_error(), "row 1"));
  CHECK(isnan(p[0]) && isnan(p[1])); /* documented: filled with NaN, never half-written */

  {
    float wbuf[1];
    float b = 0.0f;
    CHECK_STATUS(lk_logistic_model_params(m, wbuf, 1, &b), LK_ERR_DIMENSION_MISMATCH);
    CHECK(contains(lk_last_error(), "capacity"));
  }
  lk_logistic_model_free(m);
}

static void test_schema(void) {
  const char* json =
      "{\"attributes\": ["
      "{\"name\": \"employees\", \"type\": \"numeric\", \"missing\": \"median\", \"bands\": [50]},"
      "{\"name\": \"industry\", \"type\": \"categorical\", \"vocabulary\": [\"software\"]},"
      "{\"name\": \"is_customer\", \"type\": \"boolean\"}]}";
  const double employees[3] = {10, NAN, 500};
  const char* industry[3] = {"Software", "retail", NULL};
  const int8_t customer[3] = {1, 0, 0};
  lk_schema* schema = NULL;
  lk_schema* fitted = NULL;
  lk_batch* batch = NULL;
  size_t d = 0, len = 0;
  char name[64];
  char tiny[4] = "abc";
  float X[3 * 6];

  CHECK_STATUS(lk_schema_from_json(json, &schema), LK_OK);
  CHECK_STATUS(lk_schema_n_features(schema, &d), LK_OK);
  CHECK(d == 6); /* 2 bands, software, <unknown>, <missing>, is_customer */
  CHECK_STATUS(lk_schema_feature_name(schema, 1, NULL, 0, &len), LK_OK);
  CHECK(len == strlen("employees >= 50"));
  CHECK_STATUS(lk_schema_feature_name(schema, 1, name, sizeof name, NULL), LK_OK);
  CHECK(strcmp(name, "employees >= 50") == 0);
  CHECK_STATUS(lk_schema_feature_name(schema, 1, tiny, sizeof tiny, &len), LK_ERR_BUFFER_TOO_SMALL);
  CHECK(strcmp(tiny, "abc") == 0); /* untouched */
  CHECK_STATUS(lk_schema_feature_name(schema, 6, name, sizeof name, NULL), LK_ERR_INVALID_ARGUMENT);
  CHECK(contains(lk_last_error(), "out of range"));

  CHECK_STATUS(lk_batch_create(3, &batch), LK_OK);
  CHECK_STATUS(lk_batch_set_numeric(batch, "employees", employees), LK_OK);
  CHECK_STATUS(lk_batch_set_strings(batch, "industry", industry), LK_OK);
  CHECK_STATUS(lk_batch_set_booleans(batch, "is_customer", customer), LK_OK);
  CHECK_STATUS(lk_batch_set_booleans(batch, "is_customer", customer), LK_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(lk_batch_set_numeric(batch, NULL, employees), LK_ERR_NULL_POINTER);

  /* "median" must be learned first */
  CHECK_STATUS(lk_schema_encode(schema, batch, NULL, X, 6), LK_ERR_INVALID_ARGUMENT);
  CHECK(contains(lk_last_error(), "fitted"));
  CHECK_STATUS(lk_schema_fit(schema, batch, &fitted), LK_OK);
  CHECK_STATUS(lk_schema_encode(fitted, batch, NULL, X, 6), LK_OK);
  /* row 1: employees imputed with the median 255 -> band ">= 50"; retail -> <unknown> */
  CHECK(X[0] == 1 && X[1] == 0 && X[2] == 1 && X[5] == 1);
  CHECK(X[6] == 0 && X[7] == 1 && X[8] == 0 && X[9] == 1 && X[10] == 0);
  CHECK(X[12] == 0 && X[13] == 1 && X[16] == 1); /* missing industry -> <missing> slot */
  CHECK_STATUS(lk_schema_encode(fitted, batch, NULL, X, 5), LK_ERR_DIMENSION_MISMATCH);
  CHECK_STATUS(lk_schema_encode(fitted, batch, NULL, NULL, 6), LK_ERR_NULL_POINTER);

  CHECK_STATUS(lk_schema_to_json(fitted, NULL, 0, &len), LK_OK);
  CHECK(len > 20);
  CHECK_STATUS(lk_schema_from_json("{\"attributes\": [{\"name\": \"x\"}]}", &fitted), LK_ERR_INVALID_ARGUMENT);
  CHECK(contains(lk_last_error(), "schema.attributes[0]: missing required field \"type\""));
  CHECK_STATUS(lk_schema_from_json(NULL, &fitted), LK_ERR_NULL_POINTER);

  lk_schema_free(fitted);
  lk_schema_free(schema);
  lk_batch_free(batch);
}

/* Category codes (pandas.Categorical's layout) encode as their strings; bad
 * codes name their row; NULL arguments are refused by name. */
static void test_batch_codes(void) {
  const char* json =
      "{\"attributes\": [{\"name\": \"industry\", \"type\": \"categorical\","
      " \"vocabulary\": [\"software\", \"fintech\"], \"missing\": \"slot\"}]}";
  const char* categories[3] = {"Software", "retail", "FINTECH "};
  const char* strings[4] = {"Software", "FINTECH ", NULL, "retail"};
  const int32_t codes[4] = {0, 2, -1, 1};
  const int32_t bad_codes[4] = {0, 3, -1, 1};
  const char* hole[2] = {"software", NULL};
  lk_schema* schema = NULL;
  lk_batch* by_code = NULL;
  lk_batch* by_text = NULL;
  lk_batch* bad = NULL;
  float a[4 * 4], b[4 * 4];
  size_t i;

  CHECK_STATUS(lk_schema_from_json(json, &schema), LK_OK);
  CHECK_STATUS(lk_batch_create(4, &by_code), LK_OK);
  CHECK_STATUS(lk_batch_create(4, &by_text), LK_OK);
  CHECK_STATUS(lk_batch_create(4, &bad), LK_OK);
  CHECK_STATUS(lk_batch_set_codes(by_code, "industry", codes, categories, 3), LK_OK);
  CHECK_STATUS(lk_batch_set_strings(by_text, "industry", strings), LK_OK);
  CHECK_STATUS(lk_schema_encode(schema, by_code, NULL, a, 4), LK_OK);
  CHECK_STATUS(lk_schema_encode(schema, by_text, NULL, b, 4), LK_OK);
  for (i = 0; i < 16; ++i) CHECK(a[i] == b[i]);
  CHECK(a[0] == 1 && a[5] == 1 && a[11] == 1 && a[14] == 1); /* software, fintech, <missing>, <unknown> */

  CHECK_STATUS(lk_batch_set_codes(NULL, "industry", codes, categories, 3), LK_ERR_NULL_POINTER);
  CHECK_STATUS(lk_batch_set_codes(bad, "industry", NULL, categories, 3), LK_ERR_NULL_POINTER);
  CHECK(contains(lk_last_error(), "codes: is NULL"));
  CHECK_STATUS(lk_batch_set_codes(bad, "industry", codes, NULL, 3), LK_ERR_NULL_POINTER);
  CHECK(contains(lk_last_error(), "categories: is NULL"));
  CHECK_STATUS(lk_batch_set_codes(bad, "industry", codes, hole, 2), LK_ERR_NULL_POINTER);
  CHECK(contains(lk_last_error(), "categories[1]: is NULL"));
  CHECK_STATUS(lk_batch_set_codes(bad, "industry", bad_codes, categories, 3), LK_OK);
  for (i = 0; i < 16; ++i) b[i] = 7.0f;
  CHECK_STATUS(lk_schema_encode(schema, bad, NULL, b, 4), LK_ERR_INVALID_ARGUMENT);
  CHECK(contains(lk_last_error(), "row 1, attribute 'industry': code 3 is out of range"));
  for (i = 0; i < 16; ++i) CHECK(b[i] != b[i]); /* NaN: no partial result */

  lk_batch_free(bad);
  lk_batch_free(by_text);
  lk_batch_free(by_code);
  lk_schema_free(schema);
}

static void test_points_model(void) {
  const char* schema_json =
      "{\"attributes\": [{\"name\": \"seniority\", \"type\": \"categorical\","
      " \"vocabulary\": [\"vp\", \"student\"]}]}";
  /* columns: seniority=vp, seniority=student, <unknown>, <missing> */
  const char* model_json =
      "{\"groups\": [{\"name\": \"Role\", \"max\": 10}],"
      " \"rules\": [{\"feature\": \"seniority=vp\", \"points\": 25, \"group\": \"Role\"},"
      " {\"feature\": \"seniority=student\", \"points\": -5}], \"floor\": true}";
  const float X[2 * 4] = {1, 0, 0, 0, 0, 1, 0, 0};
  float scores[2] = {0, 0};
  float points[2 * 2];
  int32_t rules[2 * 2];
  size_t n = 0;
  char name[32];
  lk_schema* schema = NULL;
  lk_points_model* model = NULL;
  lk_points_model* untouched = NULL;

  CHECK_STATUS(lk_schema_from_json(schema_json, &schema), LK_OK);
  CHECK_STATUS(lk_points_model_from_json(schema, model_json, &model), LK_OK);
  CHECK_STATUS(lk_points_model_n_rules(model, &n), LK_OK);
  CHECK(n == 2);
  CHECK_STATUS(lk_points_model_rule_name(model, 1, name, sizeof name, NULL), LK_OK);
  CHECK(strcmp(name, "seniority=student") == 0);
  CHECK_STATUS(lk_points_model_score(model, X, 2, 4, 4, NULL, scores), LK_OK);
  CHECK(scores[0] == 10.0f && scores[1] == 0.0f); /* capped at 10; floored at 0 */
  CHECK_STATUS(lk_points_model_reasons(model, X, 2, 4, 4, 2, NULL, scores, rules, points), LK_OK);
  CHECK(rules[0] == 0 && points[0] == 10.0f && rules[1] == -1 && points[1] == 0.0f);
  CHECK_STATUS(lk_points_model_reasons(model, X, 2, 4, 4, 0, NULL, scores, rules, points),
               LK_ERR_INVALID_ARGUMENT);
  CHECK(contains(lk_last_error(), "k:"));
  CHECK_STATUS(lk_points_model_score(model, X, 2, 3, 3, NULL, scores), LK_ERR_DIMENSION_MISMATCH);
  CHECK_STATUS(lk_points_model_from_json(schema, "{\"rules\": [{\"feature\": \"x\", \"points\": 1}]}",
                                         &untouched), LK_ERR_INVALID_ARGUMENT);
  CHECK(contains(lk_last_error(), "points.rules[0].feature: 'x' is not a feature"));
  CHECK(untouched == NULL);
  CHECK_STATUS(lk_points_model_from_json(NULL, model_json, &untouched), LK_ERR_NULL_POINTER);
  lk_points_model_free(model);
  lk_schema_free(schema);
}

static void test_grader(void) {
  const char* json =
      "{\"stages\": [{\"label\": \"cold\"}, {\"label\": \"warm\", \"min\": 50},"
      " {\"label\": \"MQL\", \"min\": 100}],"
      " \"grades\": [{\"label\": \"B\"}, {\"label\": \"A\", \"min\": 40}],"
      " \"matrix\": {\"A\": {\"warm\": \"MQL\"}}}";
  const float score[3] = {20, 70, 70};
  const float fit[3] = {50, 10, 50};
  int32_t stage[3] = {9, 9, 9};
  int32_t grade[3] = {9, 9, 9};
  char label[8];
  size_t n = 0;
  lk_grader* g = NULL;
  CHECK_STATUS(lk_grader_from_json(json, &g), LK_OK);
  CHECK_STATUS(lk_grader_n_stages(g, &n), LK_OK);
  CHECK(n == 3);
  CHECK_STATUS(lk_grader_stage_label(g, 2, label, sizeof label, NULL), LK_OK);
  CHECK(strcmp(label, "MQL") == 0);
  CHECK_STATUS(lk_grader_grade_label(g, 2, label, sizeof label, NULL), LK_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(lk_grader_apply(g, score, fit, 3, stage, grade), LK_OK);
  CHECK(stage[0] == 0 && stage[1] == 1 && stage[2] == 2); /* A-grade warm -> MQL */
  CHECK(grade[0] == 1 && grade[1] == 0 && grade[2] == 1);
  CHECK_STATUS(lk_grader_apply(g, score, NULL, 3, stage, grade), LK_ERR_NULL_POINTER);
  CHECK(contains(lk_last_error(), "fit"));
  CHECK_STATUS(lk_grader_apply(g, score, fit, 0, stage, grade), LK_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(lk_grader_from_json("{\"stages\": 1}", &g), LK_ERR_INVALID_ARGUMENT);
  CHECK(contains(lk_last_error(), "grader.stages"));
  lk_grader_free(g);
}

static void test_scorecard(void) {
  const char* json =
      "{\"name\": \"c-test\","
      " \"schema\": {\"attributes\": ["
      "   {\"name\": \"seniority\", \"type\": \"categorical\", \"vocabulary\": [\"vp\", \"director\"], \"missing\": \"slot\"},"
      "   {\"name\": \"employees\", \"type\": \"numeric\", \"missing\": \"constant\", \"impute\": 10, \"bands\": [1000], \"value\": true}]},"
      " \"fit\": [{\"name\": \"fit\", \"rules\": [{\"feature\": \"seniority=vp\", \"points\": 30},"
      "                                       {\"feature\": \"employees >= 1000\", \"points\": 20}]},"
      "         {\"name\": \"size\", \"rules\": [{\"feature\": \"employees\", \"points\": 0.001}]}],"
      " \"logistic\": {\"intercept\": -1, \"weights\": {\"seniority=vp\": 2}},"
      " \"grader\": {\"stages\": [{\"label\": \"cold\"}, {\"label\": \"MQL\", \"min\": 40}],"
      "             \"grades\": [{\"label\": \"B\"}, {\"label\": \"A\", \"min\": 25}]}}";
  lk_scorecard* sc = NULL;
  lk_scorecard_output out;
  lk_batch* batch = NULL;
  lk_grader* g = NULL;
  lk_schema* schema = NULL;
  const char* seniority[2] = {"vp", NULL};
  const double employees[2] = {5000, 20};
  float fit[4] = {0}, total[2] = {0}, proba[2] = {0}, points[4] = {0};
  int32_t stage[2] = {9, 9}, grade[2] = {9, 9}, rules[4] = {9, 9, 9, 9};
  size_t n = 0, len = 0;
  int has = 0;
  char name[16];

  CHECK_STATUS(lk_scorecard_from_json(json, &sc), LK_OK);
  CHECK_STATUS(lk_scorecard_n_fit_scores(sc, &n), LK_OK);
  CHECK(n == 2);
  CHECK_STATUS(lk_scorecard_fit_score_name(sc, 1, name, sizeof name, &len), LK_OK);
  CHECK(strcmp(name, "size") == 0 && len == 4);
  CHECK_STATUS(lk_scorecard_n_features(sc, &n), LK_OK);
  CHECK(n == 7); /* vp, director, <unknown>, <missing>, employees, < 1000, >= 1000 */
  CHECK_STATUS(lk_scorecard_n_rules(sc, &n), LK_OK);
  CHECK(n == 2);
  CHECK_STATUS(lk_scorecard_rule_name(sc, 1, name, sizeof name, NULL), LK_ERR_BUFFER_TOO_SMALL);
  CHECK_STATUS(lk_scorecard_has_logistic(sc, &has), LK_OK);
  CHECK(has == 1);
  CHECK_STATUS(lk_scorecard_grader(sc, &g), LK_OK);
  CHECK_STATUS(lk_grader_n_stages(g, &n), LK_OK);
  CHECK(n == 2);
  CHECK_STATUS(lk_scorecard_schema(sc, &schema), LK_OK);
  CHECK_STATUS(lk_schema_n_attributes(schema, &n), LK_OK);
  CHECK(n == 2);

  CHECK_STATUS(lk_batch_create(2, &batch), LK_OK);
  CHECK_STATUS(lk_batch_set_strings(batch, "seniority", seniority), LK_OK);
  CHECK_STATUS(lk_batch_set_numeric(batch, "employees", employees), LK_OK);
  CHECK_STATUS(lk_scorecard_output_init(&out), LK_OK);
  out.fit = fit;
  out.total = total;
  out.probability = proba;
  out.grade = grade;
  out.stage = stage;
  out.n_reasons = 2;
  out.reason_rules = rules;
  out.reason_points = points;
  CHECK_STATUS(lk_scorecard_score(sc, batch, NULL, NULL, &out), LK_OK);
  CHECK(fit[0] == 50.0f && fit[2] == 0.0f);     /* vp + big company; nothing */
  CHECK(fabsf(fit[1] - 5.0f) < 1e-4f);           /* 5000 employees x 0.001 */
  CHECK(total[0] == 50.0f && total[1] == 0.0f); /* total = the primary fit score */
  CHECK(fabsf(proba[0] - 1.0f / (1.0f + expf(-1.0f))) < 1e-6f);
  CHECK(stage[0] == 1 && stage[1] == 0 && grade[0] == 1 && grade[1] == 0);
  CHECK(rules[0] == 0 && points[0] == 30.0f && rules[1] == 1 && points[1] == 20.0f);
  CHECK(rules[2] == -1 && rules[3] == -1);

  /* Engagement joins the total. */
  {
    const float engagement[2] = {1.5f, 45.0f};
    CHECK_STATUS(lk_scorecard_score(sc, batch, engagement, NULL, &out), LK_OK);
    CHECK(total[0] == 51.5f && total[1] == 45.0f && stage[1] == 1);
  }

  /* Bad calls. */
  CHECK_STATUS(lk_scorecard_score(sc, batch, NULL, NULL, NULL), LK_ERR_NULL_POINTER);
  CHECK(contains(lk_last_error(), "output"));
  out.struct_size = 8;
  CHECK_STATUS(lk_scorecard_score(sc, batch, NULL, NULL, &out), LK_ERR_INVALID_ARGUMENT);
  CHECK(contains(lk_last_error(), "lk_scorecard_output_init"));
  out.struct_size = sizeof out;
  out.reason_points = NULL;
  CHECK_STATUS(lk_scorecard_score(sc, batch, NULL, NULL, &out), LK_ERR_NULL_POINTER);
  CHECK(contains(lk_last_error(), "output.reason_points"));
  out.reason_points = points;
  {
    const float X[7] = {1, 0, 0, 0, 3000, 0, 1};
    CHECK_STATUS(lk_scorecard_score_features(sc, X, 1, 7, 7, NULL, NULL, &out), LK_OK);
    CHECK(fit[0] == 50.0f && fabsf(fit[1] - 3.0f) < 1e-4f);
    CHECK_STATUS(lk_scorecard_score_features(sc, X, 1, 6, 6, NULL, NULL, &out), LK_ERR_DIMENSION_MISMATCH);
  }
  CHECK_STATUS(lk_scorecard_from_json("{\"schema\": {\"attributes\": []}}", &sc), LK_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(lk_scorecard_from_json("{\"fit\": {}}", &sc), LK_ERR_INVALID_ARGUMENT);
  CHECK(contains(lk_last_error(), "scorecard: missing required field \"schema\""));
  {
    size_t need = 0;
    char* text;
    CHECK_STATUS(lk_scorecard_to_json(sc, NULL, 0, &need), LK_OK);
    CHECK(need > 100);
    text = (char*)malloc(need + 1);
    CHECK_STATUS(lk_scorecard_to_json(sc, text, need + 1, NULL), LK_OK);
    CHECK(contains(text, "\"seniority=vp\": 2.0"));
    free(text);
  }
  {
    /* A scorecard without an "engagement" or "personas" section says so. */
    lk_engagement_model* em = NULL;
    lk_persona_set* ps = NULL;
    int32_t who[2] = {5, 5};
    CHECK_STATUS(lk_scorecard_has_personas(sc, &has), LK_OK);
    CHECK(has == 0);
    CHECK_STATUS(lk_scorecard_persona_set(sc, &ps), LK_ERR_INVALID_ARGUMENT);
    CHECK(ps == NULL);
    out.persona = who;
    CHECK_STATUS(lk_scorecard_score(sc, batch, NULL, NULL, &out), LK_ERR_INVALID_ARGUMENT);
    CHECK(contains(lk_last_error(), "output.persona: the scorecard has no personas"));
    CHECK(who[0] == 5); /* nothing written */
    out.persona = NULL;
    CHECK_STATUS(lk_scorecard_has_engagement(sc, &has), LK_OK);
    CHECK(has == 0);
    CHECK_STATUS(lk_scorecard_engagement_model(sc, &em), LK_ERR_INVALID_ARGUMENT);
    CHECK(em == NULL && contains(lk_last_error(), "engagement"));
  }
  lk_batch_free(batch);
  lk_grader_free(g);
  lk_schema_free(schema);
  lk_scorecard_free(sc);
  {
    /* With one: its model scores events; the result joins the total. */
    const char* with =
        "{\"schema\": {\"attributes\": [{\"name\": \"vp\", \"type\": \"boolean\"}]},"
        " \"fit\": {\"rules\": [{\"feature\": \"vp\", \"points\": 30}]},"
        " \"engagement\": {\"types\": [{\"name\": \"demo_request\", \"points\": 25}]},"
        " \"grader\": {\"stages\": [{\"label\": \"cold\"}, {\"label\": \"MQL\", \"min\": 50}]}}";
    lk_engagement_model* em = NULL;
    const int8_t vp[1] = {1};
    const int32_t lead[1] = {0}, type[1] = {0};
    const double when[1] = {1.7e9};
    float eng[1] = {0}, tot[1] = {0};
    int32_t st[1] = {-1};
    size_t nt = 0;
    lk_scorecard_output o;
    CHECK_STATUS(lk_scorecard_from_json(with, &sc), LK_OK);
    CHECK_STATUS(lk_scorecard_has_engagement(sc, &has), LK_OK);
    CHECK(has == 1);
    CHECK_STATUS(lk_scorecard_engagement_model(sc, &em), LK_OK);
    CHECK_STATUS(lk_engagement_model_n_types(em, &nt), LK_OK);
    CHECK(nt == 1);
    CHECK_STATUS(lk_engagement_model_score(em, lead, type, when, NULL, 1, 1, 1.7e9 + 60, NULL, eng, NULL), LK_OK);
    CHECK(eng[0] == 25.0f);
    CHECK_STATUS(lk_batch_create(1, &batch), LK_OK);
    CHECK_STATUS(lk_batch_set_booleans(batch, "vp", vp), LK_OK);
    CHECK_STATUS(lk_scorecard_output_init(&o), LK_OK);
    o.total = tot;
    o.stage = st;
    CHECK_STATUS(lk_scorecard_score(sc, batch, eng, NULL, &o), LK_OK);
    CHECK(tot[0] == 55.0f && st[0] == 1); /* 30 fit + 25 engagement: MQL */
    lk_engagement_model_free(em);
    lk_batch_free(batch);
    lk_scorecard_free(sc);
  }
}

static void test_fit(void) {
  /* 400 leads, 2 features: outcome 1 exactly when x0 + noise-free x1 > 1, softened by regularisation. */
  float X[800], y[400], w[2] = {0, 0}, b = 0, p[2];
  const float probe[4] = {2.0f, 1.0f, -1.0f, 0.0f};
  lk_logistic_model* m = NULL;
  lk_logistic_fit_options fo;
  lk_logistic_fit_report rep;
  size_t i;
  for (i = 0; i < 400; ++i) {
    X[2 * i] = (float)(i % 20) / 10.0f - 1.0f;
    X[2 * i + 1] = (float)((i * 7) % 13) / 13.0f;
    y[i] = (X[2 * i] + 0.5f * X[2 * i + 1] + (float)((i * 31) % 17) / 17.0f - 0.5f > 0.25f) ? 1.0f : 0.0f;
  }
  CHECK_STATUS(lk_logistic_fit_options_init(&fo), LK_OK);
  CHECK(fo.C == 1.0 && fo.max_iter == 100 && fo.fit_intercept == 1);
  CHECK_STATUS(lk_logistic_fit_report_init(&rep), LK_OK);
  CHECK_STATUS(lk_logistic_model_fit(X, 400, 2, 2, y, NULL, &fo, NULL, &m, &rep), LK_OK);
  CHECK(rep.converged == 1 && rep.iterations >= 2 && rep.loss > 0.0);
  CHECK_STATUS(lk_logistic_model_params(m, w, 2, &b), LK_OK);
  CHECK(w[0] > 1.0f && w[1] > 0.0f); /* both push towards converting */
  CHECK_STATUS(lk_logistic_model_predict(m, probe, 2, 2, 2, NULL, p), LK_OK);
  CHECK(p[0] > 0.9f && p[1] < 0.1f);
  lk_logistic_model_free(m);
  m = NULL;
  /* Bad input: nothing created. */
  y[9] = 2.0f;
  CHECK_STATUS(lk_logistic_model_fit(X, 400, 2, 2, y, NULL, NULL, NULL, &m, NULL), LK_ERR_INVALID_ARGUMENT);
  CHECK(contains(lk_last_error(), "y[9]") && m == NULL);
  y[9] = 1.0f;
  fo.C = -1.0;
  CHECK_STATUS(lk_logistic_model_fit(X, 400, 2, 2, y, NULL, &fo, NULL, &m, NULL), LK_ERR_INVALID_ARGUMENT);
  CHECK(contains(lk_last_error(), "C: must be"));
  fo.C = 1.0;
  fo.struct_size = 4;
  CHECK_STATUS(lk_logistic_model_fit(X, 400, 2, 2, y, NULL, &fo, NULL, &m, NULL), LK_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(lk_logistic_model_fit(X, 400, 2, 2, NULL, NULL, NULL, NULL, &m, NULL), LK_ERR_NULL_POINTER);
  CHECK_STATUS(lk_logistic_model_fit(X, 400, 2, 2, y, NULL, NULL, NULL, NULL, NULL), LK_ERR_NULL_POINTER);
  CHECK(m == NULL);
}

int main(void) {
  test_version();
  test_predict();
  test_bad_input();
  test_schema();
  test_batch_codes();
  test_points_model();
  test_grader();
  test_scorecard();
  test_fit();
  return check_summary("c_api");
}
