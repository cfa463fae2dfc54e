/* Score three leads with a logistic model through the C API. */
#include <leadkit/leadkit.h>
#include <stdio.h>

int main(void) {
  /* Features: seniority (0..1), log10(employees)/5, web visits (scaled), form fills. */
  const float weights[4] = {1.6f, 1.2f, 1.5f, 1.1f};
  const float leads[3 * 4] = {
      1.00f, 0.90f, 0.80f, 2.0f, /* CTO at a large company, very engaged */
      0.45f, 0.40f, 0.30f, 0.0f, /* manager at a mid-size company       */
      0.00f, 0.20f, 0.10f, 0.0f, /* student                             */
  };
  float probability[3];
  lk_logistic_model* model = NULL;
  lk_exec_options options;
  lk_status status;
  int i;

  status = lk_logistic_model_create(weights, 4, -3.0f, &model);
  if (status != LK_OK) {
    fprintf(stderr, "create: %s: %s\n", lk_status_name(status), lk_last_error());
    return 1;
  }
  lk_exec_options_init(&options);
  options.threads = 1;
  status = lk_logistic_model_predict(model, leads, 3, 4, 4, &options, probability);
  if (status != LK_OK) {
    fprintf(stderr, "predict: %s: %s\n", lk_status_name(status), lk_last_error());
    lk_logistic_model_free(model);
    return 1;
  }
  for (i = 0; i < 3; ++i) printf("lead %d: P(convert) = %.3f\n", i, probability[i]);

  /* Bad input gets a status and a message that names the argument. */
  status = lk_logistic_model_predict(model, leads, 4, 3, 3, &options, probability);
  printf("with 3 columns: %s: %s\n", lk_status_name(status), lk_last_error());

  lk_logistic_model_free(model);
  return status == LK_ERR_DIMENSION_MISMATCH ? 0 : 1;
}
