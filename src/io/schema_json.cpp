#include "io/schema_json.hpp"

#include "io/json_fields.hpp"

namespace leadkit::engine {

namespace {

using nlohmann::json;

MissingPolicy parse_missing(const std::string& s, const std::string& path) {
  if (s == "error") return MissingPolicy::error;
  if (s == "constant") return MissingPolicy::constant;
  if (s == "median") return MissingPolicy::median;
  if (s == "slot") return MissingPolicy::slot;
  if (s == "ignore") return MissingPolicy::ignore;
  if (s == "false") return MissingPolicy::as_false;
  fail(LK_ERR_INVALID_ARGUMENT, path, ": '", s,
       "' is not a missing-value policy (error, constant, median, slot, ignore, false)");
}

UnknownPolicy parse_unknown(const std::string& s, const std::string& path) {
  if (s == "error") return UnknownPolicy::error;
  if (s == "slot") return UnknownPolicy::slot;
  if (s == "ignore") return UnknownPolicy::ignore;
  fail(LK_ERR_INVALID_ARGUMENT, path, ": '", s, "' is not an unknown-value policy (error, slot, ignore)");
}

Attribute parse_attribute(const json& j, const std::string& path, bool fitted) {
  Fields f(j, path);
  Attribute a;
  a.name = f.str("name");
  const std::string type = f.str("type");
  if (type == "numeric") a.type = AttrType::numeric;
  else if (type == "categorical") a.type = AttrType::categorical;
  else if (type == "boolean") a.type = AttrType::boolean;
  else if (type == "tags") a.type = AttrType::tags;
  else fail(LK_ERR_INVALID_ARGUMENT, f.path("type"), ": '", type, "' is not a type (numeric, categorical, boolean, tags)");

  if (a.type == AttrType::categorical) a.missing = MissingPolicy::slot;
  if (a.type == AttrType::tags) a.missing = MissingPolicy::ignore;
  if (f.has("missing")) a.missing = parse_missing(f.str("missing"), f.path("missing"));

  if (a.type == AttrType::numeric) {
    if (f.has("impute")) a.impute = f.num("impute");
    if (f.has("clip")) {
      const json& c = f.at("clip");
      if (!c.is_array() || c.size() != 2 || !c[0].is_number() || !c[1].is_number())
        fail(LK_ERR_INVALID_ARGUMENT, f.path("clip"), ": expected [low, high]");
      a.clip = true;
      a.clip_lo = c[0].get<double>();
      a.clip_hi = c[1].get<double>();
    }
    if (f.has("log1p")) a.log1p = f.boolean("log1p");
    if (f.has("standardize")) a.standardize = f.boolean("standardize");
    if (f.has("mean")) a.mean = f.num("mean");
    if (f.has("scale")) a.scale = f.num("scale");
    if (f.has("bands")) {
      const json& b = f.at("bands");
      if (!b.is_array()) fail(LK_ERR_INVALID_ARGUMENT, f.path("bands"), ": expected an array of edges");
      for (std::size_t k = 0; k < b.size(); ++k) {
        if (!b[k].is_number())
          fail(LK_ERR_INVALID_ARGUMENT, f.path("bands"), "[", k, "]: expected a number, got ", type_of(b[k]));
        a.bands.push_back(b[k].get<double>());
      }
      a.value = false;  // bands replace the value unless "value": true says otherwise
    }
    if (f.has("value")) a.value = f.boolean("value");
    if (a.missing == MissingPolicy::median && !fitted && f.has("impute"))
      fail(LK_ERR_INVALID_ARGUMENT, f.path("impute"), ": a constant needs \"missing\": \"constant\"");
  } else if (a.type == AttrType::categorical || a.type == AttrType::tags) {
    const json& v = f.at("vocabulary");
    if (v.is_string() && v.get<std::string>() == "learn") {
      a.learn_vocabulary = true;
    } else if (v.is_array()) {
      for (std::size_t k = 0; k < v.size(); ++k) {
        if (!v[k].is_string())
          fail(LK_ERR_INVALID_ARGUMENT, f.path("vocabulary"), "[", k, "]: expected a string, got ", type_of(v[k]));
        a.vocabulary.push_back(v[k].get<std::string>());
      }
    } else {
      fail(LK_ERR_INVALID_ARGUMENT, f.path("vocabulary"), ": expected an array of strings or \"learn\"");
    }
    if (f.has("max_categories")) a.max_categories = f.count("max_categories");
    if (f.has("min_count")) a.min_count = f.count("min_count");
    if (f.has("normalize")) a.normalize = f.boolean("normalize");
    if (f.has("unknown")) a.unknown = parse_unknown(f.str("unknown"), f.path("unknown"));
    if (a.type == AttrType::tags) {
      a.unknown = f.has("unknown") ? a.unknown : UnknownPolicy::ignore;
      if (f.has("separator")) {
        const std::string sep = f.str("separator");
        if (sep.size() != 1) fail(LK_ERR_INVALID_ARGUMENT, f.path("separator"), ": expected one character");
        a.separator = sep[0];
      }
    }
  }
  f.reject_unknown();
  return a;
}

}  // namespace

Schema schema_from_json(const json& node, const std::string& path) {
  Fields f(node, path);
  const bool fitted = f.has("fitted") ? f.boolean("fitted") : false;
  const json& attrs = f.at("attributes");
  if (!attrs.is_array())
    fail(LK_ERR_INVALID_ARGUMENT, f.path("attributes"), ": expected an array, got ", type_of(attrs));
  std::vector<Attribute> out;
  for (std::size_t i = 0; i < attrs.size(); ++i)
    out.push_back(parse_attribute(attrs[i], f.path("attributes") + "[" + std::to_string(i) + "]", fitted));
  f.reject_unknown();
  return Schema(std::move(out), fitted);
}

Schema schema_from_json(const std::string& text) {
  return schema_from_json(parse_json(text, "schema"), "schema");
}

json schema_to_json_node(const Schema& schema) {
  json attrs = json::array();
  for (const Attribute& a : schema.attributes()) {
    json j;
    j["name"] = a.name;
    j["type"] = type_name(a.type);
    j["missing"] = missing_name(a.missing);
    switch (a.type) {
      case AttrType::numeric:
        if (a.missing == MissingPolicy::constant || (a.missing == MissingPolicy::median && schema.fitted()))
          j["impute"] = a.impute;
        if (a.clip) j["clip"] = {a.clip_lo, a.clip_hi};
        if (a.log1p) j["log1p"] = true;
        if (a.standardize) {
          j["standardize"] = true;
          if (schema.fitted()) {
            j["mean"] = a.mean;
            j["scale"] = a.scale;
          }
        }
        if (!a.bands.empty()) j["bands"] = a.bands;
        j["value"] = a.value;
        break;
      case AttrType::categorical:
      case AttrType::tags:
        if (a.learn_vocabulary) j["vocabulary"] = "learn";
        else j["vocabulary"] = a.vocabulary;
        if (a.max_categories) j["max_categories"] = a.max_categories;
        if (a.min_count != 1) j["min_count"] = a.min_count;
        j["normalize"] = a.normalize;
        j["unknown"] = unknown_name(a.unknown);
        if (a.type == AttrType::tags) j["separator"] = std::string(1, a.separator);
        break;
      case AttrType::boolean: break;
    }
    attrs.push_back(std::move(j));
  }
  json root;
  root["attributes"] = std::move(attrs);
  root["fitted"] = schema.fitted();
  return root;
}

std::string schema_to_json(const Schema& schema) { return schema_to_json_node(schema).dump(2); }

}  // namespace leadkit::engine
