/* A pure C11 client of the persona C API. Prints "N passed, N failed". */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "leadkit/leadkit.h"

#include "check.h"


static void test_profiles_and_match(void) {
  /* Three personas on the axes of a 3-feature space. */
  const float P[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
  const char* names[3] = {"engineer", "buyer", "exec"};
  /* Leads with a stride of 4: near engineer, near exec, between buyer and exec, zero. */
  const float X[16] = {0.9f, 0.1f, 0, 99, 0, 0.2f, 1, 99, 0, 1, 1, 99, 0, 0, 0, 99};
  int32_t best[4] = {7, 7, 7, 7}, topi[8];
  float sim[4], margin[4], tops[8], all[12];
  size_t n = 0, len = 0;
  char name[16];
  float min_sim = 0;
  lk_persona_metric metric = LK_PERSONA_DOT;
  lk_persona_set* s = NULL;
  lk_exec_options o;
  CHECK_STATUS(lk_exec_options_init(&o), LK_OK);
  o.threads = 1;

  CHECK_STATUS(lk_persona_set_from_profiles(P, 3, 3, names, NULL, LK_PERSONA_COSINE, 0.75f, &s),
               LK_OK);
  CHECK_STATUS(lk_persona_set_n_personas(s, &n), LK_OK);
  CHECK(n == 3);
  CHECK_STATUS(lk_persona_set_n_features(s, &n), LK_OK);
  CHECK(n == 3);
  CHECK_STATUS(lk_persona_set_name(s, 2, NULL, 0, &len), LK_OK);
  CHECK(len == 4);
  CHECK_STATUS(lk_persona_set_name(s, 1, name, sizeof name, NULL), LK_OK);
  CHECK(strcmp(name, "buyer") == 0);
  CHECK_STATUS(lk_persona_set_metric(s, &metric), LK_OK);
  CHECK(metric == LK_PERSONA_COSINE);
  CHECK_STATUS(lk_persona_set_min_similarity(s, &min_sim), LK_OK);
  CHECK(min_sim == 0.75f);

  CHECK_STATUS(lk_persona_match(s, X, 4, 3, 4, 2, &o, best, sim, margin, topi, tops), LK_OK);
  CHECK(best[0] == 0 && best[1] == 2);
  CHECK(best[2] == -1); /* 0.707 to buyer and exec: below 0.75 */
  CHECK(best[3] == -1 && sim[3] == 0.0f);
  CHECK(fabsf(sim[0] - 0.9f / sqrtf(0.82f)) < 1e-6f);
  CHECK(fabsf(margin[0] - (0.9f - 0.1f) / sqrtf(0.82f)) < 1e-6f);
  CHECK(topi[0] == 0 && topi[1] == 1 && tops[0] >= tops[1]);
  CHECK(topi[4] == 1 && topi[5] == 2); /* a tie goes to the lower index */
  CHECK_STATUS(lk_persona_similarities(s, X, 4, 3, 4, NULL, all), LK_OK);
  CHECK(fabsf(all[0] - sim[0]) < 1e-6f && fabsf(all[5] - sim[1]) < 1e-6f);

  /* Bad input: each a specific status, the outputs untouched. */
  best[0] = 7;
  CHECK_STATUS(lk_persona_match(s, X, 4, 4, 4, 1, &o, best, sim, NULL, NULL, NULL),
               LK_ERR_DIMENSION_MISMATCH);
  CHECK(contains(lk_last_error(), "X: has 4 columns"));
  CHECK(best[0] == 7);
  CHECK_STATUS(lk_persona_match(s, X, 4, 3, 4, 4, &o, best, sim, NULL, NULL, NULL),
               LK_ERR_INVALID_ARGUMENT);
  CHECK(contains(lk_last_error(), "k: 4 is more than the 3 personas"));
  CHECK_STATUS(lk_persona_match(s, X, 4, 3, 4, 1, &o, NULL, sim, NULL, NULL, NULL),
               LK_ERR_NULL_POINTER);
  CHECK_STATUS(lk_persona_match(NULL, X, 4, 3, 4, 1, &o, best, sim, NULL, NULL, NULL),
               LK_ERR_NULL_POINTER);
  CHECK_STATUS(lk_persona_match(s, X, 0, 3, 4, 1, &o, best, sim, NULL, NULL, NULL),
               LK_ERR_INVALID_ARGUMENT);
  {
    float bad[3] = {1, NAN, 0};
    CHECK_STATUS(lk_persona_match(s, bad, 1, 3, 3, 1, &o, best, sim, NULL, NULL, NULL),
                 LK_ERR_NOT_FINITE);
    CHECK(contains(lk_last_error(), "X: row 0"));
    CHECK(best[0] == -1 && isnan(sim[0]));
  }
  lk_persona_set_free(s);
  lk_persona_set_free(NULL);

  {
    const float Z[6] = {1, 0, 0, 0, 0, 0};
    const char* dup[2] = {"a", "a"};
    const char* ab[2] = {"a", "b"};
    s = NULL;
    CHECK_STATUS(lk_persona_set_from_profiles(Z, 2, 3, ab, NULL, LK_PERSONA_COSINE, 0, &s),
                 LK_ERR_INVALID_ARGUMENT);
    CHECK(contains(lk_last_error(), "persona 'b' has a zero-norm profile"));
    CHECK(s == NULL);
    CHECK_STATUS(lk_persona_set_from_profiles(P, 2, 3, dup, NULL, LK_PERSONA_COSINE, 0, &s),
                 LK_ERR_INVALID_ARGUMENT);
    CHECK(contains(lk_last_error(), "duplicate persona name 'a'"));
    CHECK_STATUS(lk_persona_set_from_profiles(P, 2, 3, ab, NULL, (lk_persona_metric)9, 0, &s),
                 LK_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(lk_persona_set_from_profiles(P, 2, 3, ab, NULL, LK_PERSONA_COSINE, NAN, &s),
                 LK_ERR_NOT_FINITE);
  }
}

static void test_json(void) {
  const char* schema_json =
      "{\"attributes\": ["
      "{\"name\": \"seniority\", \"type\": \"categorical\", \"vocabulary\": [\"manager\", "
      "\"director\"]},"
      "{\"name\": \"interests\", \"type\": \"tags\", \"vocabulary\": [\"security\", \"cloud\", "
      "\"ads\"]}]}";
  const char* personas =
      "{\"min_similarity\": 0.5, \"personas\": ["
      "{\"name\": \"Security lead\", \"attributes\": {\"seniority\": \"director\", \"interests\": "
      "[\"security\"]}},"
      "{\"name\": \"Marketer\", \"attributes\": {\"interests\": \"ads\"}}]}";
  lk_schema* schema = NULL;
  lk_persona_set* s = NULL;
  lk_persona_set* again = NULL;
  char text[2048];
  size_t n = 0;
  CHECK_STATUS(lk_schema_from_json(schema_json, &schema), LK_OK);
  CHECK_STATUS(lk_persona_set_from_json(schema, personas, &s), LK_OK);
  CHECK_STATUS(lk_persona_set_n_features(s, &n), LK_OK);
  CHECK(n == 7); /* manager, director, <unknown>, <missing>; security, cloud, ads */
  {
    float prof[14], w[14];
    CHECK_STATUS(lk_persona_set_profiles(s, prof, w), LK_OK);
    CHECK(prof[1] == 1.0f && prof[4] == 1.0f && prof[5] == 0.0f && w[0] == 1.0f);
    CHECK(w[7] == 0.0f && w[10] == 0.0f && w[11] == 1.0f &&
          prof[13] == 1.0f); /* Marketer leaves seniority out */
  }
  CHECK_STATUS(lk_persona_set_to_json(s, text, sizeof text, NULL), LK_OK);
  CHECK(contains(text, "Security lead"));
  CHECK_STATUS(lk_persona_set_from_json(schema, text, &again), LK_OK);
  CHECK_STATUS(lk_persona_set_to_json(s, text, 4, NULL), LK_ERR_BUFFER_TOO_SMALL);
  CHECK_STATUS(
      lk_persona_set_from_json(
          schema, "{\"personas\": [{\"name\": \"x\", \"attributes\": {\"seniority\": \"ceo\"}}]}",
          &again),
      LK_ERR_INVALID_ARGUMENT);
  CHECK(contains(lk_last_error(),
                 "personas.personas[0].attributes.seniority: 'ceo' is not in the vocabulary"));
  CHECK_STATUS(lk_persona_set_from_json(NULL, personas, &again), LK_ERR_NULL_POINTER);
  lk_persona_set_free(again);
  lk_persona_set_free(s);
  lk_schema_free(schema);
}

static void test_kmeans(void) {
  /* Two groups on a line. */
  const float X[8] = {0, 0.5f, 1, 10, 10.5f, 11, 0.25f, 10.25f};
  float centers[2] = {-1, -1}, init[2] = {0, 10};
  int32_t labels[8];
  double inertia = -1, score = 0;
  size_t n_iter = 0;
  lk_persona_kmeans_params p;
  CHECK_STATUS(lk_persona_kmeans_params_init(&p), LK_OK);
  CHECK(p.k == 8 && p.n_init == 1 && p.batch_size == 0 && p.init == NULL);
  p.k = 2;
  p.seed = 3;
  CHECK_STATUS(lk_persona_kmeans(X, 8, 1, 1, &p, NULL, centers, labels, &inertia, &n_iter), LK_OK);
  CHECK((centers[0] < 1 && centers[1] > 9) || (centers[1] < 1 && centers[0] > 9));
  CHECK(labels[0] == labels[1] && labels[0] != labels[3] && labels[6] == labels[0] &&
        labels[7] == labels[3]);
  CHECK(n_iter >= 1);
  p.init = init;
  CHECK_STATUS(lk_persona_kmeans(X, 8, 1, 1, &p, NULL, centers, labels, &inertia, NULL), LK_OK);
  CHECK(fabsf(centers[0] - 0.4375f) < 1e-6f && fabsf(centers[1] - 10.4375f) < 1e-6f);
  CHECK_STATUS(lk_persona_silhouette(X, 8, 1, 1, labels, 2, 0, 1, NULL, &score), LK_OK);
  CHECK(score > 0.9);

  centers[0] = -1;
  p.init = NULL;
  p.k = 9;
  CHECK_STATUS(lk_persona_kmeans(X, 8, 1, 1, &p, NULL, centers, labels, &inertia, NULL),
               LK_ERR_INVALID_ARGUMENT);
  CHECK(contains(lk_last_error(), "k: 9 personas but only 8 leads"));
  CHECK(centers[0] == -1);
  p.k = 2;
  p.struct_size = 8;
  CHECK_STATUS(lk_persona_kmeans(X, 8, 1, 1, &p, NULL, centers, labels, &inertia, NULL),
               LK_ERR_INVALID_ARGUMENT);
  CHECK(contains(lk_last_error(), "struct_size"));
  CHECK_STATUS(lk_persona_kmeans(X, 8, 1, 1, NULL, NULL, centers, labels, &inertia, NULL),
               LK_ERR_NULL_POINTER);
}

int main(void) {
  test_profiles_and_match();
  test_json();
  test_kmeans();
  return check_summary("c_personas");
}
