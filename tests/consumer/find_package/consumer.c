/* Links the installed leadkit from C: one model, one prediction, checked by hand. */
#include <leadkit/leadkit.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

int main(void) {
  const float w[2] = {2.0f, -1.0f};
  const float x[2] = {1.0f, 3.0f}; /* 2 - 3 + 0.5 = -0.5 */
  float p = 0.0f;
  lk_logistic_model* m = NULL;
  if (strcmp(lk_version(), LEADKIT_VERSION_STRING) != 0) {
    fprintf(stderr, "header %s but library %s\n", LEADKIT_VERSION_STRING, lk_version());
    return 1;
  }
  if (lk_logistic_model_create(w, 2, 0.5f, &m) != LK_OK ||
      lk_logistic_model_predict(m, x, 1, 2, 2, NULL, &p) != LK_OK) {
    fprintf(stderr, "leadkit: %s\n", lk_last_error());
    lk_logistic_model_free(m);
    return 1;
  }
  lk_logistic_model_free(m);
  if (fabs(p - 1.0 / (1.0 + exp(0.5))) > 1e-6) {
    fprintf(stderr, "wrong probability %f\n", p);
    return 1;
  }
  printf("consumer C: leadkit %s, p = %.6f\n", lk_version(), p);
  return 0;
}
