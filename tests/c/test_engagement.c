/* A pure C11 client of the engagement C API. Prints "N passed, N failed" and
 * exits non-zero on failure. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leadkit/leadkit.h"

#include "check.h"


static int near(float a, float b) { return fabsf(a - b) <= 1e-4f * (1.0f + fabsf(b)); }

static const char* kModel =
    "{\"types\": ["
    " {\"name\": \"form_fill\", \"points\": 10, \"decay\": {\"kind\": \"exponential\", \"half_life\": 86400}},"
    " {\"name\": \"visit\", \"points\": 2, \"period_cap\": {\"points\": 4, \"period\": 86400},"
    "  \"decay\": {\"kind\": \"linear\", \"percent\": 50, \"period\": 86400}},"
    " {\"name\": \"unsubscribe\", \"points\": -30}],"
    " \"limit\": 100, \"floor\": true}";

static void test_model(void) {
  lk_engagement_model* m = NULL;
  size_t n = 0, len = 0;
  int32_t idx = -1;
  char name[32];
  char* json;

  CHECK_STATUS(lk_engagement_model_from_json(kModel, &m), LK_OK);
  CHECK_STATUS(lk_engagement_model_n_types(m, &n), LK_OK);
  CHECK(n == 3);
  CHECK_STATUS(lk_engagement_model_type_index(m, "visit", &idx), LK_OK);
  CHECK(idx == 1);
  idx = 77;
  CHECK_STATUS(lk_engagement_model_type_index(m, "nope", &idx), LK_ERR_INVALID_ARGUMENT);
  CHECK(idx == 77);
  CHECK(contains(lk_last_error(), "nope"));
  CHECK_STATUS(lk_engagement_model_type_name(m, 2, name, sizeof name, &len), LK_OK);
  CHECK(strcmp(name, "unsubscribe") == 0 && len == 11);
  CHECK_STATUS(lk_engagement_model_type_name(m, 3, name, sizeof name, &len), LK_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(lk_engagement_model_to_json(m, NULL, 0, &len), LK_OK);
  json = malloc(len + 1);
  CHECK_STATUS(lk_engagement_model_to_json(m, json, len + 1, &len), LK_OK);
  CHECK(contains(json, "\"half_life\":86400"));
  free(json);

  /* JSON errors name the path. */
  {
    lk_engagement_model* bad = NULL;
    CHECK_STATUS(lk_engagement_model_from_json(
                     "{\"types\": [{\"name\": \"a\", \"points\": 1, \"decay\": {\"kind\": \"exponential\"}}]}", &bad),
                 LK_ERR_INVALID_ARGUMENT);
    CHECK(bad == NULL);
    CHECK(contains(lk_last_error(), "engagement.types[0].decay"));
    CHECK_STATUS(lk_engagement_model_from_json(NULL, &bad), LK_ERR_NULL_POINTER);
  }
  lk_engagement_model_free(m);
  lk_engagement_model_free(NULL);
}

static void test_batch_and_state(void) {
  lk_engagement_model* m = NULL;
  lk_engagement_state* st = NULL;
  lk_engagement_state* back = NULL;
  const double day = 86400.0, t0 = 1.7e9;
  /* lead 0: a form fill one half-life ago; lead 1: 3 visits today (capped at 4
   * points) and one the day before (2 points at 50%); lead 2: unsubscribed. */
  const int32_t lead[] = {0, 1, 1, 1, 1, 2, 2};
  const int32_t type[] = {0, 1, 1, 1, 1, 2, 0};
  const double time[] = {t0, t0 + day, t0 + day + 5, t0 + day + 9, t0, t0, t0 + 2 * day};
  const float value[] = {1, 1, 1, 1, 1, 1, 1};
  float total[3] = {-1, -1, -1}, per[9], total2[3];
  size_t size = 0, got = 0;
  double now = -1;
  unsigned char* bytes;
  lk_exec_options o;

  CHECK_STATUS(lk_engagement_model_from_json(kModel, &m), LK_OK);
  CHECK_STATUS(lk_exec_options_init(&o), LK_OK);
  o.threads = 1;
  /* As of t0 + 1 day + 10 s: the event at t0 + 2 days is ignored. */
  CHECK_STATUS(lk_engagement_model_score(m, lead, type, time, value, 7, 3, t0 + day + 10, &o, total, per), LK_OK);
  CHECK(near(total[0], (float)(10.0 * pow(2.0, -(day + 10) / day))));
  CHECK(near(total[1], 4.0f + 1.0f));
  CHECK(near(per[1 * 3 + 1], 5.0f));
  CHECK(total[2] == 0.0f);
  CHECK_STATUS(lk_engagement_model_score(m, lead, type, time, NULL, 7, 3, t0 + day + 10, NULL, total2, NULL), LK_OK);
  CHECK(memcmp(total, total2, sizeof total) == 0);

  /* Bad input: a specific status, a message naming the argument, nothing written. */
  {
    int32_t bad_lead[] = {0, 1, 1, 1, 1, 2, 3};
    int32_t bad_type[] = {0, 1, 1, 1, 1, 2, 9};
    double bad_time[] = {t0, t0, t0, NAN, t0, t0, t0};
    float bad_value[] = {1, 1, 1, 1, NAN, 1, 1};
    double neg_time[] = {t0, t0, t0, t0, t0, -1.0, t0};
    total2[0] = -9;
    CHECK_STATUS(lk_engagement_model_score(m, bad_lead, type, time, NULL, 7, 3, t0, NULL, total2, NULL), LK_ERR_INVALID_ARGUMENT);
    CHECK(contains(lk_last_error(), "lead[6]"));
    CHECK_STATUS(lk_engagement_model_score(m, lead, bad_type, time, NULL, 7, 3, t0, NULL, total2, NULL), LK_ERR_INVALID_ARGUMENT);
    CHECK(contains(lk_last_error(), "unknown event type 9"));
    CHECK_STATUS(lk_engagement_model_score(m, lead, type, bad_time, NULL, 7, 3, t0, NULL, total2, NULL), LK_ERR_NOT_FINITE);
    CHECK(contains(lk_last_error(), "time[3]"));
    CHECK_STATUS(lk_engagement_model_score(m, lead, type, time, bad_value, 7, 3, t0, NULL, total2, NULL), LK_ERR_NOT_FINITE);
    CHECK(contains(lk_last_error(), "value[4]"));
    CHECK_STATUS(lk_engagement_model_score(m, lead, type, neg_time, NULL, 7, 3, t0, NULL, total2, NULL), LK_ERR_INVALID_ARGUMENT);
    CHECK(contains(lk_last_error(), "epoch"));
    CHECK_STATUS(lk_engagement_model_score(m, lead, type, time, NULL, 7, 3, NAN, NULL, total2, NULL), LK_ERR_NOT_FINITE);
    CHECK_STATUS(lk_engagement_model_score(m, NULL, type, time, NULL, 7, 3, t0, NULL, total2, NULL), LK_ERR_NULL_POINTER);
    CHECK_STATUS(lk_engagement_model_score(m, lead, type, time, NULL, 7, 3, t0, NULL, NULL, NULL), LK_ERR_NULL_POINTER);
    CHECK(total2[0] == -9.0f);
  }

  /* Streaming: the same events in two applies equal the batch. */
  CHECK_STATUS(lk_engagement_state_create(m, 3, &st), LK_OK);
  {
    const int32_t l1[] = {0, 1, 2}, t1[] = {0, 1, 2};
    const double s1[] = {t0, t0, t0};
    const int32_t l2[] = {1, 1, 1}, t2[] = {1, 1, 1};
    const double s2[] = {t0 + day + 9, t0 + day, t0 + day + 5};
    const double late[] = {t0 + day, t0 + 1, t0 + day};
    CHECK_STATUS(lk_engagement_state_apply(st, l1, t1, s1, NULL, 3, t0 + 10), LK_OK);
    CHECK_STATUS(lk_engagement_state_apply(st, l2, t2, late, NULL, 3, t0 + day), LK_ERR_INVALID_ARGUMENT);
    CHECK(contains(lk_last_error(), "cannot go back in time"));
    CHECK_STATUS(lk_engagement_state_apply(st, l2, t2, s2, NULL, 3, t0 + 5), LK_ERR_INVALID_ARGUMENT);
    CHECK(contains(lk_last_error(), "as_of"));
    CHECK_STATUS(lk_engagement_state_now(st, &now), LK_OK);
    CHECK(now == t0 + 10);
    CHECK_STATUS(lk_engagement_state_apply(st, l2, t2, s2, NULL, 3, t0 + day + 10), LK_OK);
  }
  CHECK_STATUS(lk_engagement_state_scores(st, t0 + day + 10, NULL, total2, NULL), LK_OK);
  CHECK(near(total2[0], total[0]) && near(total2[1], total[1]) && total2[2] == 0.0f);
  CHECK_STATUS(lk_engagement_state_scores(st, t0, NULL, total2, NULL), LK_ERR_INVALID_ARGUMENT);
  CHECK(contains(lk_last_error(), "cannot go back in time"));

  /* Bytes round trip; truncated and corrupt bytes are LK_ERR_FORMAT. */
  CHECK_STATUS(lk_engagement_state_serialize(st, NULL, 0, &size), LK_OK);
  CHECK(size > 20);
  bytes = malloc(size);
  CHECK_STATUS(lk_engagement_state_serialize(st, bytes, size - 1, &got), LK_ERR_BUFFER_TOO_SMALL);
  CHECK_STATUS(lk_engagement_state_serialize(st, bytes, size, &got), LK_OK);
  CHECK(got == size);
  CHECK_STATUS(lk_engagement_state_deserialize(bytes, size, &back), LK_OK);
  CHECK_STATUS(lk_engagement_state_scores(back, t0 + 2 * day, NULL, total, NULL), LK_OK);
  CHECK_STATUS(lk_engagement_state_scores(st, t0 + 2 * day, NULL, total2, NULL), LK_OK);
  CHECK(memcmp(total, total2, sizeof total) == 0);
  lk_engagement_state_free(back);
  back = NULL;
  CHECK_STATUS(lk_engagement_state_deserialize(bytes, size - 3, &back), LK_ERR_FORMAT);
  CHECK(back == NULL);
  bytes[size - 2] ^= 0x10;
  CHECK_STATUS(lk_engagement_state_deserialize(bytes, size, &back), LK_ERR_FORMAT);
  CHECK(contains(lk_last_error(), "CRC"));
  CHECK_STATUS(lk_engagement_state_deserialize("LKXS", 4, &back), LK_ERR_FORMAT);
  free(bytes);
  {
    lk_engagement_model* again = NULL;
    size_t n_leads = 0;
    CHECK_STATUS(lk_engagement_state_model(st, &again), LK_OK);
    CHECK_STATUS(lk_engagement_state_n_leads(st, &n_leads), LK_OK);
    CHECK(n_leads == 3);
    lk_engagement_model_free(again);
  }
  CHECK_STATUS(lk_engagement_state_create(m, 0, &back), LK_ERR_INVALID_ARGUMENT);
  lk_engagement_state_free(st);
  lk_engagement_state_free(NULL);
  lk_engagement_model_free(m);
}

static void test_rollup(void) {
  const float v[] = {10, 0, 30, 5};
  const int32_t acc[] = {1, 1, 0, -1};
  const int32_t bad[] = {1, 2, 0, -1};
  float sum[2], mx[2], mean[2];
  int64_t cnt[2], leads[2];
  CHECK_STATUS(lk_engagement_rollup(v, acc, 4, 2, 1.0f, sum, mx, mean, cnt, leads), LK_OK);
  CHECK(sum[1] == 10.0f && mx[1] == 10.0f && mean[1] == 5.0f && cnt[1] == 1 && leads[1] == 2);
  CHECK(sum[0] == 30.0f && leads[0] == 1);
  sum[0] = -1;
  CHECK_STATUS(lk_engagement_rollup(v, bad, 4, 2, 1.0f, sum, NULL, NULL, NULL, NULL), LK_ERR_INVALID_ARGUMENT);
  CHECK(contains(lk_last_error(), "account[1]"));
  CHECK(sum[0] == -1.0f);
  CHECK_STATUS(lk_engagement_rollup(NULL, acc, 4, 2, 1.0f, sum, NULL, NULL, NULL, NULL), LK_ERR_NULL_POINTER);
}

int main(void) {
  test_model();
  test_batch_and_state();
  test_rollup();
  return check_summary("c_engagement");
}
