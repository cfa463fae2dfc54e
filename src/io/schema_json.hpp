// The Schema's JSON form: what an analyst writes, and what export gives back
// (with learned medians, statistics and vocabularies filled in).
//
// {"attributes": [
//    {"name": "employees", "type": "numeric", "missing": "median", "clip": [1, 100000],
//     "log1p": true, "standardize": true, "bands": [50, 1000], "value": true},
//    {"name": "industry", "type": "categorical", "vocabulary": ["software", "fintech"],
//     "unknown": "slot", "missing": "slot", "normalize": true},
//    {"name": "country", "type": "categorical", "vocabulary": "learn", "max_categories": 20},
//    {"name": "is_customer", "type": "boolean", "missing": "false"},
//    {"name": "interests", "type": "tags", "vocabulary": ["security", "cloud"], "separator": ";"}
//  ]}
#pragma once

#include <string>

#include "core/schema.hpp"
#include "io/json_fields.hpp"

namespace leadkit::engine {

// Parses and validates; errors name the JSON path ("attributes[1].bands[2]: ...").
Schema schema_from_json(const std::string& text);
// The same from a parsed node; errors start with `path` ("scorecard.schema").
Schema schema_from_json(const json& node, const std::string& path);

// Pretty-printed JSON that schema_from_json() reads back to an equal schema.
json schema_to_json_node(const Schema& schema);
std::string schema_to_json(const Schema& schema);

}  // namespace leadkit::engine
