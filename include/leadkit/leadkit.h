/*
 * leadkit.h - the C API of leadkit, its one stable ABI.
 *
 * Conventions (they hold for every function in this header):
 *  - Every function that can fail returns an lk_status: LK_OK (0) or a negative
 *    error code. Codes never change value once released.
 *  - On error, lk_last_error() returns a message for the calling thread that
 *    names the argument at fault and what is wrong with it. Out-parameters and
 *    caller buffers are left untouched, with one documented exception
 *    (LK_ERR_NOT_FINITE from a predict call, see there).
 *  - No C++ exception ever crosses this boundary.
 *  - The caller allocates every output buffer. The library hands back only
 *    handles, each freed by its lk_X_free(), which accepts NULL.
 *  - Options structs begin with `size_t struct_size`; initialise them with
 *    their lk_X_init() function so fields can be added without breaking ABI.
 *  - Strings are UTF-8.
 *
 * Thread safety: a model handle is immutable after creation and may be used
 * from any number of threads at once. lk_last_error() is thread-local.
 */
#ifndef LEADKIT_LEADKIT_H
#define LEADKIT_LEADKIT_H

#include <stddef.h>
#include <stdint.h>

#include "leadkit/version.h"

#if defined(_WIN32) && !defined(LEADKIT_STATIC)
#  if defined(LEADKIT_BUILDING)
#    define LK_API __declspec(dllexport)
#  else
#    define LK_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__) || defined(__clang__)
#  define LK_API __attribute__((visibility("default")))
#else
#  define LK_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Status codes                                                              */

typedef enum lk_status {
  LK_OK = 0,
  /* An argument is out of its domain (a zero dimension, a negative count...). */
  LK_ERR_INVALID_ARGUMENT = -1,
  /* A required pointer argument is NULL. */
  LK_ERR_NULL_POINTER = -2,
  /* Two sizes that must agree do not (features vs. model width, strides...). */
  LK_ERR_DIMENSION_MISMATCH = -3,
  /* A NaN or infinity where only finite numbers are allowed. */
  LK_ERR_NOT_FINITE = -4,
  /* Memory could not be allocated. */
  LK_ERR_OUT_OF_MEMORY = -5,
  /* A file could not be opened, read or written. */
  LK_ERR_IO = -6,
  /* Bytes that are not a valid leadkit model (truncated, foreign, corrupt). */
  LK_ERR_FORMAT = -7,
  /* The request is valid but this build or CPU does not support it. */
  LK_ERR_UNSUPPORTED = -8,
  /* A caller buffer is too small; query the size first (see each function). */
  LK_ERR_BUFFER_TOO_SMALL = -9,
  /* A bug in leadkit: please report it with the message. */
  LK_ERR_INTERNAL = -99
} lk_status;

/* The symbolic name of a status ("LK_ERR_NULL_POINTER"); "LK_UNKNOWN_STATUS"
 * for a value that is not a status. Never NULL. */
LK_API const char* lk_status_name(lk_status status);

/* The message of the last error raised on the calling thread, or "" if none.
 * Valid until the next leadkit call on the same thread. Never NULL. */
LK_API const char* lk_last_error(void);

/* ------------------------------------------------------------------------ */
/* Version                                                                   */

/* The version of the library that is loaded, e.g. "0.1.0". Compare with
 * LEADKIT_VERSION_STRING to detect a header/library mismatch. */
LK_API const char* lk_version(void);

/* The same as LEADKIT_VERSION for the loaded library: major*10000+minor*100+patch. */
LK_API int lk_version_number(void);

/* Which kernel variant runs, as "key=value" pairs separated by ';':
 *   "active=avx512;detected=avx512;compiled=baseline,avx2,avx512"
 * active: the variant in use (detected, capped by the LEADKIT_ISA environment
 * variable: baseline, avx2 or avx512); detected: the best variant this CPU can
 * run; compiled: the variants in this build. Never NULL. */
LK_API const char* lk_cpu_features(void);

/* ------------------------------------------------------------------------ */
/* Execution options                                                         */

typedef struct lk_exec_options {
  /* sizeof(lk_exec_options) as the caller was compiled; set by lk_exec_options_init. */
  size_t struct_size;
  /* Worker threads for one call: 0 = all hardware threads, 1 = the calling
   * thread only. Results are bit-identical for any value. Small inputs never
   * start threads. */
  int32_t threads;
} lk_exec_options;

/* Fills *options with the defaults (threads = 0). */
LK_API lk_status lk_exec_options_init(lk_exec_options* options);

/* ------------------------------------------------------------------------ */
/* Logistic model: probability of conversion = sigmoid(x . w + b)            */

typedef struct lk_logistic_model lk_logistic_model;

/* Creates a model from n_features weights (copied) and an intercept. Weights
 * and intercept must be finite; n_features must be at least 1. */
LK_API lk_status lk_logistic_model_create(const float* weights, size_t n_features,
                                          float intercept, lk_logistic_model** out_model);

/* Frees a model; NULL is accepted and ignored. */
LK_API void lk_logistic_model_free(lk_logistic_model* model);

/* The number of features (columns) the model expects. */
LK_API lk_status lk_logistic_model_n_features(const lk_logistic_model* model,
                                              size_t* out_n_features);

/* Copies the model's weights into weights[0 .. capacity) and its intercept
 * into *out_intercept. capacity must be at least the model's n_features. */
LK_API lk_status lk_logistic_model_params(const lk_logistic_model* model, float* weights,
                                          size_t capacity, float* out_intercept);

/*
 * Scores n_rows leads. X is row-major float32: row i starts at
 * X + i * row_stride (row_stride counted in floats, >= n_cols), and n_cols must
 * equal the model's n_features. Writes the raw score x.w + b of each row to
 * out_scores[0 .. n_rows). options may be NULL for the defaults.
 *
 * A row holding a NaN or infinity yields LK_ERR_NOT_FINITE, naming the first
 * such row. The check is fused into the single pass over X, so by the time a
 * bad row is seen earlier rows have been written; out_scores is then filled
 * entirely with NaN so that no mix of valid and stale values can be mistaken
 * for a result.
 */
LK_API lk_status lk_logistic_model_decision_function(const lk_logistic_model* model,
                                                     const float* X, size_t n_rows,
                                                     size_t n_cols, size_t row_stride,
                                                     const lk_exec_options* options,
                                                     float* out_scores);

/* As lk_logistic_model_decision_function, but writes the probability
 * sigmoid(x.w + b) in [0, 1], computed in the same fused pass. */
LK_API lk_status lk_logistic_model_predict(const lk_logistic_model* model, const float* X,
                                           size_t n_rows, size_t n_cols, size_t row_stride,
                                           const lk_exec_options* options,
                                           float* out_probabilities);

/* Probabilities and reasons: out_probabilities[i] as predict gives it, and
 * per lead the k features whose contributions w_j * x_j to the log-odds are
 * largest in magnitude, largest first: feature indices in out_features[i*k ..
 * i*k+k) (-1 pads) and contributions in out_contributions (0 pads). The
 * intercept plus a lead's contributions over all features is its log-odds. */
LK_API lk_status lk_logistic_model_reasons(const lk_logistic_model* model, const float* X,
                                           size_t n_rows, size_t n_cols, size_t row_stride,
                                           size_t k, const lk_exec_options* options,
                                           float* out_probabilities, int32_t* out_features,
                                           float* out_contributions);

/* ------------------------------------------------------------------------ */
/* Lead batches: raw records, columnar and non-owning                        */

/* A batch names the caller's column arrays; it copies no data, so the arrays
 * must outlive every call that uses the batch. One writer at a time. */
typedef struct lk_batch lk_batch;

LK_API lk_status lk_batch_create(size_t n_rows, lk_batch** out_batch);
LK_API void lk_batch_free(lk_batch* batch);
/* n_rows numbers; NaN = missing. For numeric (and boolean: 0/1) attributes. */
LK_API lk_status lk_batch_set_numeric(lk_batch* batch, const char* name, const double* values);
/* n_rows UTF-8 strings; NULL or blank = missing. For categorical and tags
 * attributes (tags joined by the attribute's separator, e.g. "security;cloud"). */
LK_API lk_status lk_batch_set_strings(lk_batch* batch, const char* name, const char* const* values);
/* n_rows category codes, as pandas.Categorical stores a column: row r holds
 * categories[codes[r]] (n_categories UTF-8 strings, none NULL), -1 = missing.
 * For categorical and tags attributes: the same features as the strings, but
 * each category is normalised and looked up once per call, not once per row.
 * A code outside -1 .. n_categories - 1 fails the call naming its row. */
LK_API lk_status lk_batch_set_codes(lk_batch* batch, const char* name, const int32_t* codes,
                                    const char* const* categories, size_t n_categories);
/* n_rows booleans: 0, 1, or -1 = missing. For boolean attributes. */
LK_API lk_status lk_batch_set_booleans(lk_batch* batch, const char* name, const int8_t* values);

/* ------------------------------------------------------------------------ */
/* Schema: lead attributes and their encoding into feature columns           */

/* Immutable once created; shareable across threads. The JSON format is in
 * docs/SCHEMA.md. Errors name the JSON path: "schema.attributes[1].bands: ...". */
typedef struct lk_schema lk_schema;

LK_API lk_status lk_schema_from_json(const char* json, lk_schema** out_schema);
LK_API void lk_schema_free(lk_schema* schema);
/* D, the number of feature columns encode() writes per lead. */
LK_API lk_status lk_schema_n_features(const lk_schema* schema, size_t* out_n_features);
LK_API lk_status lk_schema_n_attributes(const lk_schema* schema, size_t* out_n_attributes);

/* Text getters share one contract: with buffer == NULL and capacity == 0 they
 * store the length (without the terminating NUL) in *out_length and succeed;
 * otherwise they copy the NUL-terminated text, or fail with
 * LK_ERR_BUFFER_TOO_SMALL if capacity <= length. out_length may be NULL. */
LK_API lk_status lk_schema_feature_name(const lk_schema* schema, size_t index, char* buffer,
                                        size_t capacity, size_t* out_length);
LK_API lk_status lk_schema_attribute_name(const lk_schema* schema, size_t index, char* buffer,
                                          size_t capacity, size_t* out_length);
/* The schema as JSON, including what fit() learned; lk_schema_from_json reads it back. */
LK_API lk_status lk_schema_to_json(const lk_schema* schema, char* buffer, size_t capacity,
                                   size_t* out_length);

/* Learns medians, standardisation statistics and "learn" vocabularies from a
 * batch and returns a new, fitted schema (the input is unchanged). */
LK_API lk_status lk_schema_fit(const lk_schema* schema, const lk_batch* batch,
                               lk_schema** out_fitted);

/* Encodes every lead of the batch into out: n_rows x n_features float32,
 * row-major, row i at out + i * out_row_stride (>= n_features). Every schema
 * attribute needs a column and every column an attribute. A data error (a
 * value missing under policy "error", an unknown category under "error", an
 * infinite number...) names the first bad row and attribute and fills out
 * with NaN, as predict does. */
LK_API lk_status lk_schema_encode(const lk_schema* schema, const lk_batch* batch,
                                  const lk_exec_options* options, float* out,
                                  size_t out_row_stride);

/* ------------------------------------------------------------------------ */
/* Points model: rule-based fit scoring                                      */

/* Points per feature of a schema (a categorical value, a numeric band, a tag,
 * or per unit of a value), negative points allowed, groups with caps, a limit
 * on the total and an optional floor at 0. Immutable; shareable. JSON:
 *   {"name": "fit", "groups": [{"name": "Role", "max": 30}],
 *    "rules": [{"feature": "seniority=vp", "points": 15, "group": "Role"},
 *              {"feature": "seniority=student", "points": -30}],
 *    "limit": 100, "floor": true}
 * Rule features are the schema's feature names; a rule's name defaults to its
 * feature and must be unique. */
typedef struct lk_points_model lk_points_model;

LK_API lk_status lk_points_model_from_json(const lk_schema* schema, const char* json,
                                           lk_points_model** out_model);
LK_API void lk_points_model_free(lk_points_model* model);
LK_API lk_status lk_points_model_n_features(const lk_points_model* model, size_t* out_n_features);
LK_API lk_status lk_points_model_n_rules(const lk_points_model* model, size_t* out_n_rules);
/* The name of rule `index` (text-getter contract, see lk_schema_feature_name). */
LK_API lk_status lk_points_model_rule_name(const lk_points_model* model, size_t index,
                                           char* buffer, size_t capacity, size_t* out_length);

/* Scores n_rows encoded leads (as lk_logistic_model_predict takes them). */
LK_API lk_status lk_points_model_score(const lk_points_model* model, const float* X,
                                       size_t n_rows, size_t n_cols, size_t row_stride,
                                       const lk_exec_options* options, float* out_scores);

/* Scores and explains: out_scores[i], and for each lead the k contributions of
 * largest magnitude, largest first: rule indices in out_rules[i*k .. i*k+k)
 * (-1 pads a lead with fewer) and points in out_points (0 pads). A lead's
 * contributions, after group caps, limit and floor, add up to its score; a
 * contribution scaled to 0 (a lead floored at 0) is not a reason, while the
 * contributions of a group within its caps are kept even when they cancel
 * out. Ties go to the lower feature column. */
LK_API lk_status lk_points_model_reasons(const lk_points_model* model, const float* X,
                                         size_t n_rows, size_t n_cols, size_t row_stride, size_t k,
                                         const lk_exec_options* options, float* out_scores,
                                         int32_t* out_rules, float* out_points);

/* ------------------------------------------------------------------------ */
/* Grader: lifecycle stages from the score, grades from the fit score        */

/* Immutable; shareable. JSON (the first band of each list catches every
 * score below the second band's min):
 *   {"stages": [{"label": "cold"}, {"label": "warm", "min": 50}, {"label": "MQL", "min": 100}],
 *    "grades": [{"label": "D"}, {"label": "C", "min": 25}, {"label": "B", "min": 50},
 *               {"label": "A", "min": 75}],
 *    "matrix": {"A": {"warm": "MQL"}}}
 * "grades" and the Pardot-style "matrix" (stage overrides per grade) are optional. */
typedef struct lk_grader lk_grader;

LK_API lk_status lk_grader_from_json(const char* json, lk_grader** out_grader);
LK_API void lk_grader_free(lk_grader* grader);
/* The definition back as JSON (text-getter contract, see lk_schema_feature_name). */
LK_API lk_status lk_grader_to_json(const lk_grader* grader, char* buffer, size_t capacity,
                                   size_t* out_length);
LK_API lk_status lk_grader_n_stages(const lk_grader* grader, size_t* out_n);
LK_API lk_status lk_grader_n_grades(const lk_grader* grader, size_t* out_n);
/* Labels (text-getter contract, see lk_schema_feature_name). */
LK_API lk_status lk_grader_stage_label(const lk_grader* grader, size_t index, char* buffer,
                                       size_t capacity, size_t* out_length);
LK_API lk_status lk_grader_grade_label(const lk_grader* grader, size_t index, char* buffer,
                                       size_t capacity, size_t* out_length);
/* For n leads: out_stage[i], the stage index of score[i] (after the matrix),
 * and out_grade[i], the grade index of fit[i] (-1 if the grader has no grades;
 * fit may then be NULL, and out_grade may be NULL). A NaN is an error naming
 * the lead, and nothing is written. */
LK_API lk_status lk_grader_apply(const lk_grader* grader, const float* score, const float* fit,
                                 size_t n, int32_t* out_stage, int32_t* out_grade);

/* ------------------------------------------------------------------------ */
/* Scorecard: the whole model in one object                                  */

/* A schema, one or more named fit (points) models, an optional logistic model
 * and an optional grader, compiled once from one JSON definition:
 *   {"name": "acme",
 *    "schema": {"attributes": [...]},                  (as lk_schema_from_json)
 *    "fit": [{"name": "fit", "rules": [...]}, ...],    (as lk_points_model_from_json;
 *                                                       one object or an array)
 *    "primary": "fit",                (the fit score behind grade and reasons; default: the first)
 *    "total": ["fit", "activity"],    (fit scores summed into the total; default: the primary)
 *    "engagement": {"types": [...]},  (as lk_engagement_model_from_json; optional)
 *    "personas": {"personas": [...]}, (as lk_persona_set_from_json; optional)
 *    "logistic": {"intercept": -3.0, "weights": {"seniority=vp": 0.8, ...}},
 *    "grader": {"stages": [...], "grades": [...], "matrix": {...}}}
 * Logistic weights are given by feature name; features not listed weigh 0.
 * Errors name the JSON path ("scorecard.fit[1].rules[0].feature: ...").
 * Immutable; shareable between threads. */
typedef struct lk_scorecard lk_scorecard;

/* Where lk_scorecard_score writes. Every pointer may be NULL (output not
 * wanted), but at least one output must be asked for. For n leads:
 *   fit            n x n_fit_scores, row-major: every named fit score
 *   total          n: the fit scores named in "total" + the lead's engagement (if given)
 *   probability    n: P(conversion) from the logistic model (needs one)
 *   grade, stage   n: indices into the grader's grades / stages (needs a grader;
 *                  stage from total, grade from the primary fit score)
 *   n_reasons      k, reasons per lead (0 = none), and then
 *   reason_rules   n x k: rule indices of the primary fit model, -1 pads
 *   reason_points  n x k: their points; they add up to the primary fit score
 *   persona        n: the best buyer persona (needs "personas"), -1 below its
 *                  min_similarity ("no persona")
 *   persona_similarity  n: that persona's similarity (the confidence)
 * Initialise with lk_scorecard_output_init() (all NULL, k = 0). */
typedef struct lk_scorecard_output {
  size_t struct_size;
  float* fit;
  float* total;
  float* probability;
  int32_t* grade;
  int32_t* stage;
  size_t n_reasons;
  int32_t* reason_rules;
  float* reason_points;
  int32_t* persona;
  float* persona_similarity;
} lk_scorecard_output;

LK_API lk_status lk_scorecard_output_init(lk_scorecard_output* output);

LK_API lk_status lk_scorecard_from_json(const char* json, lk_scorecard** out_scorecard);
LK_API void lk_scorecard_free(lk_scorecard* scorecard);
/* The definition back as JSON, for review (text-getter contract, see
 * lk_schema_feature_name); lk_scorecard_from_json reads it back. */
LK_API lk_status lk_scorecard_to_json(const lk_scorecard* scorecard, char* buffer, size_t capacity,
                                      size_t* out_length);
LK_API lk_status lk_scorecard_name(const lk_scorecard* scorecard, char* buffer, size_t capacity,
                                   size_t* out_length);
LK_API lk_status lk_scorecard_n_features(const lk_scorecard* scorecard, size_t* out_n_features);
LK_API lk_status lk_scorecard_n_fit_scores(const lk_scorecard* scorecard, size_t* out_n);
LK_API lk_status lk_scorecard_fit_score_name(const lk_scorecard* scorecard, size_t index,
                                             char* buffer, size_t capacity, size_t* out_length);
/* Which fit score is the primary one (index into the fit scores). */
LK_API lk_status lk_scorecard_primary(const lk_scorecard* scorecard, size_t* out_index);
/* The rules of the primary fit model: what reason_rules index. */
LK_API lk_status lk_scorecard_n_rules(const lk_scorecard* scorecard, size_t* out_n_rules);
LK_API lk_status lk_scorecard_rule_name(const lk_scorecard* scorecard, size_t index, char* buffer,
                                        size_t capacity, size_t* out_length);
/* Whether it has a logistic model / a grader (1 or 0). */
LK_API lk_status lk_scorecard_has_logistic(const lk_scorecard* scorecard, int* out_has);
LK_API lk_status lk_scorecard_has_grader(const lk_scorecard* scorecard, int* out_has);
/* Copies of its parts as their own handles (free them with lk_schema_free /
 * lk_grader_free): the schema encodes leads and names features, the grader
 * names stages and grades. No grader is LK_ERR_INVALID_ARGUMENT. */
LK_API lk_status lk_scorecard_schema(const lk_scorecard* scorecard, lk_schema** out_schema);
LK_API lk_status lk_scorecard_grader(const lk_scorecard* scorecard, lk_grader** out_grader);
/* Whether the definition has an "engagement" section (1 or 0), and a handle
 * to its engagement model (free it with lk_engagement_model_free; none is
 * LK_ERR_INVALID_ARGUMENT). Score a lead's events with it (in batch or through
 * an lk_engagement_state) and pass the result as lk_scorecard_score's
 * engagement: total = fit scores + engagement, which the grader stages. */
LK_API lk_status lk_scorecard_has_engagement(const lk_scorecard* scorecard, int* out_has);

/* Scores raw records: encodes and scores tile by tile (the feature matrix is
 * never materialised). engagement is NULL or one finite value per lead, added
 * to the total. One lead is a batch of one row:
 * create the batch once over one-element arrays and change their contents
 * between calls; scoring then allocates nothing. On a data error (a missing
 * value under policy "error", ...) every requested output is set to NaN / -1
 * and the message names the first bad lead. */
LK_API lk_status lk_scorecard_score(const lk_scorecard* scorecard, const lk_batch* batch,
                                    const float* engagement, const lk_exec_options* options,
                                    lk_scorecard_output* output);

/* The same from encoded features (n_cols = lk_scorecard_n_features). */
LK_API lk_status lk_scorecard_score_features(const lk_scorecard* scorecard, const float* X,
                                             size_t n_rows, size_t n_cols, size_t row_stride,
                                             const float* engagement,
                                             const lk_exec_options* options,
                                             lk_scorecard_output* output);

/* ------------------------------------------------------------------------ */
/* Training: a logistic model learned from history                           */

/* L2-regularised logistic regression, as scikit-learn's LogisticRegression
 * defines it: minimise sum_i w_i * logloss(y_i, p_i) + ||weights||^2 / (2 C),
 * intercept not penalised. Fitted by Newton's method in double precision;
 * the same weights for any thread count. */
typedef struct lk_logistic_fit_options {
  size_t struct_size;
  double C;              /* inverse regularisation strength, > 0 (default 1) */
  int32_t max_iter;      /* Newton iterations, >= 1 (default 100) */
  double tol;            /* stop when max |gradient| / total weight <= tol (default 1e-6) */
  int32_t fit_intercept; /* 1 (default) or 0 */
} lk_logistic_fit_options;

typedef struct lk_logistic_fit_report {
  size_t struct_size;
  int32_t iterations;
  int32_t converged; /* 1 or 0 (max_iter reached first) */
  double loss;       /* the objective at the returned weights */
} lk_logistic_fit_report;

LK_API lk_status lk_logistic_fit_options_init(lk_logistic_fit_options* options);
LK_API lk_status lk_logistic_fit_report_init(lk_logistic_fit_report* report);

/* Learns a model from n_rows encoded leads (X as lk_logistic_model_predict
 * takes it) and their outcomes y (0 or 1; both must occur). sample_weight is
 * NULL or n_rows finite values >= 0. fit_options NULL = defaults; out_report
 * may be NULL. Every input is checked before any work. */
LK_API lk_status lk_logistic_model_fit(const float* X, size_t n_rows, size_t n_cols,
                                       size_t row_stride, const float* y,
                                       const float* sample_weight,
                                       const lk_logistic_fit_options* fit_options,
                                       const lk_exec_options* options,
                                       lk_logistic_model** out_model,
                                       lk_logistic_fit_report* out_report);
/* Engagement: behavioural scoring from events, batch and streaming          */

/* Points per event type, decaying with the event's age, with per-type caps
 * (total and per period), count once or each time, groups with caps, a limit
 * and an optional floor at 0. Immutable; shareable. JSON (docs/ENGAGEMENT.md):
 *   {"name": "engagement",
 *    "types": [{"name": "form_fill", "points": 10, "group": "Web",
 *               "decay": {"kind": "exponential", "half_life": 2592000},
 *               "cap": 40, "period_cap": {"points": 20, "period": 86400}},
 *              {"name": "email_open", "points": 2,
 *               "decay": {"kind": "linear", "percent": 50, "period": 2592000}},
 *              {"name": "webinar", "points": 15, "count": "once",
 *               "decay": {"kind": "window", "period": 86400, "periods": 90}},
 *              {"name": "unsubscribe", "points": -30}],
 *    "groups": [{"name": "Web", "max": 50}], "limit": 100, "floor": true}
 * Events are parallel arrays: lead[i] in [0, n_leads), type[i] an index of
 * the model's types (lk_engagement_model_type_index), time[i] in Unix seconds
 * (finite, >= 0), value[i] a multiplier >= 0 (value may be NULL: 1 for all).
 * Events later than as_of are ignored by lk_engagement_model_score. */
typedef struct lk_engagement_model lk_engagement_model;
typedef struct lk_engagement_state lk_engagement_state;

LK_API lk_status lk_engagement_model_from_json(const char* json, lk_engagement_model** out_model);
LK_API void lk_engagement_model_free(lk_engagement_model* model);
/* The model's canonical JSON (text-getter contract, see lk_schema_feature_name). */
LK_API lk_status lk_engagement_model_to_json(const lk_engagement_model* model, char* buffer,
                                             size_t capacity, size_t* out_length);
LK_API lk_status lk_engagement_model_n_types(const lk_engagement_model* model, size_t* out_n_types);
LK_API lk_status lk_engagement_model_type_name(const lk_engagement_model* model, size_t index,
                                               char* buffer, size_t capacity, size_t* out_length);
/* The index of the type named `name`; LK_ERR_INVALID_ARGUMENT if there is none. */
LK_API lk_status lk_engagement_model_type_index(const lk_engagement_model* model, const char* name,
                                                int32_t* out_index);

/* Scores n_events events as of as_of into out_total[n_leads] and, if not
 * NULL, out_per_type[n_leads * n_types] (row-major, each type's value after
 * its cap). Every event is checked first; on error nothing is written. */
LK_API lk_status lk_engagement_model_score(const lk_engagement_model* model, const int32_t* lead,
                                           const int32_t* type, const double* time,
                                           const float* value, size_t n_events, size_t n_leads,
                                           double as_of, const lk_exec_options* options,
                                           float* out_total, float* out_per_type);

/* A streaming state: each lead's running engagement, fed events as they
 * arrive and read at any time without replaying history; its scores equal
 * lk_engagement_model_score over the same events (within float rounding).
 * Time only moves forward: apply() needs state_now <= time[i] <= as_of for
 * every event and then sets the state's clock to as_of; scores() needs
 * as_of >= the clock. A rejected call leaves the state unchanged.
 * One writer at a time: apply() must not run concurrently with any other
 * call on the same state; concurrent scores() calls are safe. */
LK_API lk_status lk_engagement_state_create(const lk_engagement_model* model, size_t n_leads,
                                            lk_engagement_state** out_state);
LK_API void lk_engagement_state_free(lk_engagement_state* state);
LK_API lk_status lk_engagement_state_apply(lk_engagement_state* state, const int32_t* lead,
                                           const int32_t* type, const double* time,
                                           const float* value, size_t n_events, double as_of);
LK_API lk_status lk_engagement_state_scores(const lk_engagement_state* state, double as_of,
                                            const lk_exec_options* options, float* out_total,
                                            float* out_per_type);
LK_API lk_status lk_engagement_state_now(const lk_engagement_state* state, double* out_now);
LK_API lk_status lk_engagement_state_n_leads(const lk_engagement_state* state, size_t* out_n_leads);
/* A new handle to the state's model (free it with lk_engagement_model_free). */
LK_API lk_status lk_engagement_state_model(const lk_engagement_state* state,
                                           lk_engagement_model** out_model);
/* The state as bytes (its model included). Query the size with (NULL, 0);
 * LK_ERR_BUFFER_TOO_SMALL (nothing written) if capacity is less than it. */
LK_API lk_status lk_engagement_state_serialize(const lk_engagement_state* state, void* buffer,
                                               size_t capacity, size_t* out_size);
/* A state from lk_engagement_state_serialize's bytes; LK_ERR_FORMAT for
 * truncated, corrupt or foreign bytes. */
LK_API lk_status lk_engagement_state_deserialize(const void* data, size_t size,
                                                 lk_engagement_state** out_state);

/* Account roll-up of per-lead values (engagement, fit, total): for accounts
 * 0 .. n_accounts-1, the sum, max, mean of the values of the leads with
 * account[i] == a, the number of leads with value > threshold, and the number
 * of leads. account[i] == -1: no account. An account without leads has sum 0,
 * counts 0, max and mean NaN. Any output may be NULL; nothing is written on error. */
LK_API lk_status lk_engagement_rollup(const float* values, const int32_t* account, size_t n,
                                      size_t n_accounts, float threshold, float* out_sum,
                                      float* out_max, float* out_mean, int64_t* out_count,
                                      int64_t* out_leads);

/* The engagement model of a scorecard's definition (see lk_scorecard_has_engagement). */
LK_API lk_status lk_scorecard_engagement_model(const lk_scorecard* scorecard,
                                               lk_engagement_model** out_model);
/* Personas: matching leads to buyer personas, and discovering personas      */

/* A set of named personas, each a profile in a schema's feature space, with
 * optional per-feature weights (0 = the feature is not part of the persona),
 * a metric and a minimum similarity. Immutable; shareable across threads.
 *   cosine (default)  sum w x p / (sqrt(sum w x^2) sqrt(sum w p^2))   in [-1, 1]
 *   dot               sum w x p
 *   euclidean         1 / (1 + sum w (x - p)^2)                       in (0, 1]
 * JSON, personas written by attribute values of the schema (an attribute left
 * out weighs 0; "weights" per attribute, default 1):
 *   {"metric": "cosine", "min_similarity": 0.5, "personas": [
 *     {"name": "IT Director", "attributes": {"seniority": "director",
 *      "department": "IT", "employees": 5000, "interests": ["security", "cloud"]},
 *      "weights": {"interests": 2}},
 *     {"name": "Raw", "profile": [...n_features numbers...]}]} */
typedef struct lk_persona_set lk_persona_set;

typedef enum lk_persona_metric {
  LK_PERSONA_COSINE = 0,
  LK_PERSONA_DOT = 1,
  LK_PERSONA_EUCLIDEAN = 2
} lk_persona_metric;

/* The most personas lk_persona_match keeps per lead (k). */
#define LK_PERSONA_MAX_TOPK 32

LK_API lk_status lk_persona_set_from_json(const lk_schema* schema, const char* json,
                                          lk_persona_set** out_set);
/* From raw profiles: n_personas x n_features row-major, names[n_personas]
 * (unique, non-empty, UTF-8), weights NULL (all 1) or n_personas x n_features. */
LK_API lk_status lk_persona_set_from_profiles(const float* profiles, size_t n_personas,
                                              size_t n_features, const char* const* names,
                                              const float* weights, lk_persona_metric metric,
                                              float min_similarity, lk_persona_set** out_set);
LK_API void lk_persona_set_free(lk_persona_set* set);
LK_API lk_status lk_persona_set_n_personas(const lk_persona_set* set, size_t* out_n);
LK_API lk_status lk_persona_set_n_features(const lk_persona_set* set, size_t* out_n);
/* The name of persona `index` (text-getter contract, see lk_schema_feature_name). */
LK_API lk_status lk_persona_set_name(const lk_persona_set* set, size_t index, char* buffer,
                                     size_t capacity, size_t* out_length);
LK_API lk_status lk_persona_set_metric(const lk_persona_set* set, lk_persona_metric* out_metric);
LK_API lk_status lk_persona_set_min_similarity(const lk_persona_set* set, float* out_min);
/* Copies the profiles (n_personas x n_features floats) into out_profiles, and
 * the weights into out_weights if it is not NULL. */
LK_API lk_status lk_persona_set_profiles(const lk_persona_set* set, float* out_profiles,
                                         float* out_weights);
/* The JSON form (text-getter contract), readable by lk_persona_set_from_json. */
LK_API lk_status lk_persona_set_to_json(const lk_persona_set* set, char* buffer, size_t capacity,
                                        size_t* out_length);

/* Matches n_rows encoded leads (as lk_logistic_model_predict takes them) in
 * one fused pass that never forms the n_rows x n_personas matrix:
 * out_best[i] the best persona, or -1 if its similarity is below the set's
 * min_similarity; out_similarity[i] that persona's similarity (also when
 * unmatched); out_margin[i] best minus second-best similarity (the best
 * itself with one persona); if out_topk_index / out_topk_score are not NULL,
 * the k best personas of each lead, best first, at [i*k .. i*k+k).
 * 1 <= k <= min(n_personas, LK_PERSONA_MAX_TOPK). out_similarity, out_margin
 * and the top-k buffers may be NULL. Ties go to the lower persona index.
 * A NaN or infinite feature: LK_ERR_NOT_FINITE naming the first bad row, and
 * the outputs are filled with -1 / NaN. */
LK_API lk_status lk_persona_match(const lk_persona_set* set, const float* X, size_t n_rows,
                                  size_t n_cols, size_t row_stride, size_t k,
                                  const lk_exec_options* options, int32_t* out_best,
                                  float* out_similarity, float* out_margin,
                                  int32_t* out_topk_index, float* out_topk_score);
/* Every similarity: out[i * n_personas + p] (n_rows x n_personas floats). */
LK_API lk_status lk_persona_similarities(const lk_persona_set* set, const float* X, size_t n_rows,
                                         size_t n_cols, size_t row_stride,
                                         const lk_exec_options* options, float* out);

/* k-means over encoded leads (persona discovery). Seeded and deterministic:
 * the same inputs give bit-identical results for any thread count. */
typedef struct lk_persona_kmeans_params {
  /* sizeof(lk_persona_kmeans_params) as the caller was compiled; set by _init. */
  size_t struct_size;
  size_t k;           /* clusters (default 8), <= n_rows */
  uint64_t seed;      /* k-means++ and mini-batch sampling (default 0) */
  size_t n_init;      /* restarts, the lowest inertia is kept (default 1) */
  size_t max_iter;    /* Lloyd iterations, or mini-batches (default 300) */
  double tol;         /* stop when the centres move less than tol x mean feature variance (1e-4) */
  size_t batch_size;  /* 0 = full-batch Lloyd (default); > 0 = mini-batch k-means (at most n_rows) */
  const float* init;  /* NULL = k-means++; else k x n_cols initial centres (n_init must be 1) */
} lk_persona_kmeans_params;

LK_API lk_status lk_persona_kmeans_params_init(lk_persona_kmeans_params* params);
/* out_centers: k x n_cols floats (required); out_labels: n_rows (may be NULL);
 * out_inertia: sum of squared distances to the assigned centre (may be NULL);
 * out_n_iter: iterations run by the kept restart (may be NULL). Nothing is
 * written on error. */
LK_API lk_status lk_persona_kmeans(const float* X, size_t n_rows, size_t n_cols, size_t row_stride,
                                   const lk_persona_kmeans_params* params,
                                   const lk_exec_options* options, float* out_centers,
                                   int32_t* out_labels, double* out_inertia, size_t* out_n_iter);
/* Mean silhouette coefficient (Euclidean) of labels in [0, k) over a seeded
 * sample of sample_size leads (0 = all; the cost is sample_size^2). */
LK_API lk_status lk_persona_silhouette(const float* X, size_t n_rows, size_t n_cols,
                                       size_t row_stride, const int32_t* labels, size_t k,
                                       size_t sample_size, uint64_t seed,
                                       const lk_exec_options* options, double* out_score);

/* Whether a scorecard's definition has "personas" (1 or 0), and a copy of its
 * persona set (names, profiles; free it with lk_persona_set_free; none is
 * LK_ERR_INVALID_ARGUMENT). */
LK_API lk_status lk_scorecard_has_personas(const lk_scorecard* scorecard, int* out_has);
LK_API lk_status lk_scorecard_persona_set(const lk_scorecard* scorecard, lk_persona_set** out_set);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* LEADKIT_LEADKIT_H */
