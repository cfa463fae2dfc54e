// The JSON form of a PersonaSet, as marketers author personas: by attribute
// values of the schema, encoded through the same encoder as leads.
//
// {"metric": "cosine", "min_similarity": 0.5, "personas": [
//    {"name": "IT Director",
//     "attributes": {"seniority": "director", "department": "IT", "employees": 5000,
//                    "interests": ["security", "cloud"]},
//     "weights": {"interests": 2.0}},
//    {"name": "Raw", "profile": [0.1, 0.0, ...], "feature_weights": [1, 1, 0, ...]}]}
//
// - metric: "cosine" (default), "dot" or "euclidean"; min_similarity defaults to 0.
// - attributes: numeric by value, categorical by value, boolean true/false, tags
//   as a list (or one string). A value outside a categorical or tag vocabulary
//   is an error (a persona is written, not observed data).
// - An attribute left out is not part of the persona: its features get weight 0.
// - weights: per attribute (>= 0, default 1), for attributes the persona sets.
// - profile / feature_weights: the persona directly in the feature space (as
//   discovered personas are exported).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/schema.hpp"
#include "persona/persona_set.hpp"

namespace leadkit::engine {

// Errors name the JSON path: "<path>.personas[1].attributes.seniority: ...".
PersonaSet persona_set_from_json(const Schema& schema, const nlohmann::json& node,
                                 const std::string& path);
PersonaSet persona_set_from_json(const Schema& schema, const std::string& text);

// The JSON form that persona_set_from_json reads back to an equal set.
nlohmann::json persona_set_to_json(const PersonaSet& set);

PersonaMetric metric_from_name(const std::string& name, const std::string& path);

}  // namespace leadkit::engine
