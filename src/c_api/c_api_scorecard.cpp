// The C API of the Scorecard (see leadkit.h).
#include "c_api/c_api_internal.hpp"
#include "c_api/handles.hpp"
#include "core/feature_view.hpp"
#include "scoring/scorecard.hpp"

namespace {

using namespace leadkit::capi;
using leadkit::engine::Scorecard;
using leadkit::engine::ScorecardOutput;

ScorecardOutput output_from(const lk_scorecard_output* o) {
  require(o, "output");
  if (o->struct_size < offsetof(lk_scorecard_output, persona_similarity) + sizeof(o->persona_similarity))
    fail(LK_ERR_INVALID_ARGUMENT, "output: struct_size ", o->struct_size,
         " is too small; initialise the struct with lk_scorecard_output_init()");
  ScorecardOutput out;
  out.fit = o->fit;
  out.total = o->total;
  out.probability = o->probability;
  out.grade = o->grade;
  out.stage = o->stage;
  out.k = o->n_reasons;
  out.reason_rules = o->reason_rules;
  out.reason_points = o->reason_points;
  out.persona = o->persona;
  out.persona_similarity = o->persona_similarity;
  return out;
}

const leadkit::engine::PointsModel& primary_model(const Scorecard& sc) {
  return sc.fit_models()[sc.primary()];
}

}  // namespace

extern "C" {

lk_status lk_scorecard_output_init(lk_scorecard_output* output) {
  return guarded([&] {
    require(output, "output");
    *output = lk_scorecard_output{};
    output->struct_size = sizeof(lk_scorecard_output);
  });
}

lk_status lk_scorecard_from_json(const char* json, lk_scorecard** out_scorecard) {
  return guarded([&] {
    require(json, "json");
    require(out_scorecard, "out_scorecard");
    *out_scorecard = new lk_scorecard{leadkit::engine::scorecard_from_json(json)};
  });
}

void lk_scorecard_free(lk_scorecard* scorecard) { delete scorecard; }

lk_status lk_scorecard_to_json(const lk_scorecard* scorecard, char* buffer, size_t capacity,
                               size_t* out_length) {
  return guarded([&] {
    require(scorecard, "scorecard");
    copy_text(leadkit::engine::scorecard_to_json(scorecard->scorecard).dump(2), buffer, capacity, out_length,
              "scorecard JSON");
  });
}

lk_status lk_scorecard_name(const lk_scorecard* scorecard, char* buffer, size_t capacity,
                            size_t* out_length) {
  return guarded([&] {
    require(scorecard, "scorecard");
    copy_text(scorecard->scorecard.name(), buffer, capacity, out_length, "scorecard name");
  });
}

lk_status lk_scorecard_n_features(const lk_scorecard* scorecard, size_t* out_n_features) {
  return guarded([&] {
    require(scorecard, "scorecard");
    require(out_n_features, "out_n_features");
    *out_n_features = scorecard->scorecard.n_features();
  });
}

lk_status lk_scorecard_n_fit_scores(const lk_scorecard* scorecard, size_t* out_n) {
  return guarded([&] {
    require(scorecard, "scorecard");
    require(out_n, "out_n");
    *out_n = scorecard->scorecard.fit_models().size();
  });
}

lk_status lk_scorecard_fit_score_name(const lk_scorecard* scorecard, size_t index, char* buffer,
                                      size_t capacity, size_t* out_length) {
  return guarded([&] {
    require(scorecard, "scorecard");
    const auto& fit = scorecard->scorecard.fit_models();
    if (index >= fit.size())
      fail(LK_ERR_INVALID_ARGUMENT, "index: ", index, " is out of range; the scorecard has ", fit.size(),
           " fit scores");
    copy_text(fit[index].name(), buffer, capacity, out_length, "fit score name");
  });
}

lk_status lk_scorecard_primary(const lk_scorecard* scorecard, size_t* out_index) {
  return guarded([&] {
    require(scorecard, "scorecard");
    require(out_index, "out_index");
    *out_index = scorecard->scorecard.primary();
  });
}

lk_status lk_scorecard_n_rules(const lk_scorecard* scorecard, size_t* out_n_rules) {
  return guarded([&] {
    require(scorecard, "scorecard");
    require(out_n_rules, "out_n_rules");
    *out_n_rules = primary_model(scorecard->scorecard).rules().size();
  });
}

lk_status lk_scorecard_rule_name(const lk_scorecard* scorecard, size_t index, char* buffer,
                                 size_t capacity, size_t* out_length) {
  return guarded([&] {
    require(scorecard, "scorecard");
    const auto& rules = primary_model(scorecard->scorecard).rules();
    if (index >= rules.size())
      fail(LK_ERR_INVALID_ARGUMENT, "index: ", index, " is out of range; the primary fit model has ",
           rules.size(), " rules");
    copy_text(rules[index].name, buffer, capacity, out_length, "rule name");
  });
}

lk_status lk_scorecard_has_logistic(const lk_scorecard* scorecard, int* out_has) {
  return guarded([&] {
    require(scorecard, "scorecard");
    require(out_has, "out_has");
    *out_has = scorecard->scorecard.logistic() != nullptr ? 1 : 0;
  });
}

lk_status lk_scorecard_has_grader(const lk_scorecard* scorecard, int* out_has) {
  return guarded([&] {
    require(scorecard, "scorecard");
    require(out_has, "out_has");
    *out_has = scorecard->scorecard.grader() != nullptr ? 1 : 0;
  });
}

lk_status lk_scorecard_schema(const lk_scorecard* scorecard, lk_schema** out_schema) {
  return guarded([&] {
    require(scorecard, "scorecard");
    require(out_schema, "out_schema");
    *out_schema = new lk_schema{scorecard->scorecard.schema()};
  });
}

lk_status lk_scorecard_grader(const lk_scorecard* scorecard, lk_grader** out_grader) {
  return guarded([&] {
    require(scorecard, "scorecard");
    require(out_grader, "out_grader");
    const auto* g = scorecard->scorecard.grader();
    if (g == nullptr) fail(LK_ERR_INVALID_ARGUMENT, "scorecard: has no grader");
    *out_grader = new lk_grader{*g};
  });
}

lk_status lk_scorecard_has_engagement(const lk_scorecard* scorecard, int* out_has) {
  return guarded([&] {
    require(scorecard, "scorecard");
    require(out_has, "out_has");
    *out_has = scorecard->scorecard.engagement() ? 1 : 0;
  });
}

lk_status lk_scorecard_engagement_model(const lk_scorecard* scorecard, lk_engagement_model** out_model) {
  return guarded([&] {
    require(scorecard, "scorecard");
    require(out_model, "out_model");
    const auto& e = scorecard->scorecard.engagement();
    if (!e) fail(LK_ERR_INVALID_ARGUMENT, "scorecard: has no \"engagement\" section");
    *out_model = new lk_engagement_model{e};
  });
}

lk_status lk_scorecard_has_personas(const lk_scorecard* scorecard, int* out_has) {
  return guarded([&] {
    require(scorecard, "scorecard");
    require(out_has, "out_has");
    *out_has = scorecard->scorecard.personas() ? 1 : 0;
  });
}

lk_status lk_scorecard_persona_set(const lk_scorecard* scorecard, lk_persona_set** out_set) {
  return guarded([&] {
    require(scorecard, "scorecard");
    require(out_set, "out_set");
    const auto* p = scorecard->scorecard.personas();
    if (p == nullptr) fail(LK_ERR_INVALID_ARGUMENT, "scorecard: has no \"personas\" section");
    *out_set = new lk_persona_set{*p};
  });
}

lk_status lk_scorecard_score(const lk_scorecard* scorecard, const lk_batch* batch,
                             const float* engagement, const lk_exec_options* options,
                             lk_scorecard_output* output) {
  return guarded([&] {
    require(scorecard, "scorecard");
    require(batch, "batch");
    const ScorecardOutput out = output_from(output);
    scorecard->scorecard.score(batch->batch, engagement, exec_from(options), out);
  });
}

lk_status lk_scorecard_score_features(const lk_scorecard* scorecard, const float* X, size_t n_rows,
                                      size_t n_cols, size_t row_stride, const float* engagement,
                                      const lk_exec_options* options, lk_scorecard_output* output) {
  return guarded([&] {
    require(scorecard, "scorecard");
    const ScorecardOutput out = output_from(output);
    scorecard->scorecard.score_features({X, n_rows, n_cols, row_stride}, engagement, exec_from(options),
                                        out);
  });
}

}  // extern "C"
