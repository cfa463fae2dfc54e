// Typed, path-aware reading of JSON objects for leadkit's definitions: every
// error names the JSON path ("scorecard.fit.rules[3].points: expected a
// number, got string"), and unknown keys are rejected so a typo is an error
// rather than a silently ignored setting.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "core/error.hpp"

namespace leadkit::engine {

using nlohmann::json;


inline std::string type_of(const json& j) { return j.type_name(); }

// Reads typed fields of one JSON object and rejects keys it does not know, so
// that a typo ("bandz") is an error instead of a silently ignored setting.
class Fields {
 public:
  Fields(const json& obj, std::string path) : obj_(obj), path_(std::move(path)) {
    if (!obj_.is_object()) fail(LK_ERR_INVALID_ARGUMENT, path_, ": expected an object, got ", type_of(obj_));
  }
  bool has(const char* key) {
    used_.insert(key);
    return obj_.contains(key);
  }
  const json& at(const char* key) {
    if (!has(key)) fail(LK_ERR_INVALID_ARGUMENT, path_, ": missing required field \"", key, "\"");
    return obj_.at(key);
  }
  std::string path(const char* key) const { return path_ + "." + key; }
  std::string str(const char* key) {
    const json& v = at(key);
    if (!v.is_string()) fail(LK_ERR_INVALID_ARGUMENT, path(key), ": expected a string, got ", type_of(v));
    return v.get<std::string>();
  }
  double num(const char* key) {
    const json& v = at(key);
    if (!v.is_number()) fail(LK_ERR_INVALID_ARGUMENT, path(key), ": expected a number, got ", type_of(v));
    return v.get<double>();
  }
  bool boolean(const char* key) {
    const json& v = at(key);
    if (!v.is_boolean()) fail(LK_ERR_INVALID_ARGUMENT, path(key), ": expected true or false, got ", type_of(v));
    return v.get<bool>();
  }
  std::size_t count(const char* key) {
    const json& v = at(key);
    if (!v.is_number_integer() || v.get<long long>() < 0)
      fail(LK_ERR_INVALID_ARGUMENT, path(key), ": expected a non-negative integer");
    return static_cast<std::size_t>(v.get<long long>());
  }
  void reject_unknown() const {
    for (auto it = obj_.begin(); it != obj_.end(); ++it)
      if (!used_.count(it.key()))
        fail(LK_ERR_INVALID_ARGUMENT, path_, ": unknown field \"", it.key(), "\"");
  }

 private:
  const json& obj_;
  std::string path_;
  std::set<std::string> used_;
};


// Parses text, turning a syntax error into LK_ERR_INVALID_ARGUMENT naming `what`.
inline json parse_json(const std::string& text, const char* what) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    fail(LK_ERR_INVALID_ARGUMENT, what, " JSON: not valid JSON at byte ", e.byte, ": ", e.what());
  }
}

}  // namespace leadkit::engine
