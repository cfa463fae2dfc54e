// The definitions behind the C API's opaque handles: each wraps one engine
// object. Shared by the C API translation units; private to the library.
#pragma once

#include <memory>

#include "core/lead_batch.hpp"
#include "core/schema.hpp"
#include "engagement/engagement_model.hpp"
#include "engagement/engagement_state.hpp"
#include "leadkit/leadkit.h"
#include "persona/persona_set.hpp"
#include "scoring/grader.hpp"
#include "scoring/logistic_model.hpp"
#include "scoring/points_model.hpp"
#include "scoring/scorecard.hpp"

struct lk_logistic_model {
  leadkit::engine::LogisticModel model;
};
struct lk_schema {
  leadkit::engine::Schema schema;
};
struct lk_points_model {
  leadkit::engine::PointsModel model;
};
struct lk_grader {
  leadkit::engine::Grader grader;
};
struct lk_batch {
  leadkit::engine::LeadBatch batch;
};
struct lk_scorecard {
  leadkit::engine::Scorecard scorecard;
};
struct lk_engagement_model {
  std::shared_ptr<const leadkit::engine::EngagementModel> model;
};
struct lk_engagement_state {
  std::unique_ptr<leadkit::engine::EngagementState> state;
};
struct lk_persona_set {
  leadkit::engine::PersonaSet set;
};
