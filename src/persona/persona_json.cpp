#include "persona/persona_json.hpp"

#include <cmath>
#include <set>
#include <vector>

#include "core/error.hpp"
#include "core/lead_batch.hpp"
#include "io/json_fields.hpp"

namespace leadkit::engine {

PersonaMetric metric_from_name(const std::string& name, const std::string& path) {
  if (name == "cosine") return PersonaMetric::cosine;
  if (name == "dot") return PersonaMetric::dot;
  if (name == "euclidean") return PersonaMetric::euclidean;
  fail(LK_ERR_INVALID_ARGUMENT, path, ": unknown metric '", name, "' (cosine, dot or euclidean)");
}

namespace {

std::string vocab_list(const Attribute& a) {
  std::string s;
  for (std::size_t i = 0; i < a.vocabulary.size() && i < 20; ++i)
    s += (i ? ", " : "") + a.vocabulary[i];
  if (a.vocabulary.size() > 20) s += ", ...";
  return s;
}

void check_in_vocabulary(const Attribute& a, const std::string& value, const std::string& path) {
  const std::string v = Schema::normalized(value, a.normalize);
  for (const auto& w : a.vocabulary)
    if (w == v) return;
  fail(LK_ERR_INVALID_ARGUMENT, path, ": '", value, "' is not in the vocabulary of '", a.name,
       "' (", vocab_list(a), ")");
}

std::vector<float> float_array(const json& v, const std::string& path, std::size_t n) {
  if (!v.is_array())
    fail(LK_ERR_INVALID_ARGUMENT, path, ": expected an array of numbers, got ", type_of(v));
  if (v.size() != n)
    fail(LK_ERR_DIMENSION_MISMATCH, path, ": has ", v.size(), " values but the schema has ", n,
         " features");
  std::vector<float> out(n);
  for (std::size_t j = 0; j < n; ++j) {
    if (!v[j].is_number())
      fail(LK_ERR_INVALID_ARGUMENT, path, "[", j, "]: expected a number, got ", type_of(v[j]));
    out[j] = v[j].get<float>();
  }
  return out;
}

// One persona written by attribute values -> its profile row and weights.
void encode_persona(const Schema& schema, const json& attrs, const json* weights,
                    const std::string& path, float* profile, float* w) {
  if (!attrs.is_object())
    fail(LK_ERR_INVALID_ARGUMENT, path, ".attributes: expected an object, got ", type_of(attrs));
  if (attrs.empty())
    fail(LK_ERR_INVALID_ARGUMENT, path,
         ".attributes: is empty; a persona needs at least one attribute");
  const auto& A = schema.attributes();
  for (auto it = attrs.begin(); it != attrs.end(); ++it) {
    bool known = false;
    for (const auto& a : A) known = known || a.name == it.key();
    if (!known) {
      std::string list;
      for (const auto& a : A) list += (list.empty() ? "" : ", ") + a.name;
      fail(LK_ERR_INVALID_ARGUMENT, path, ".attributes.", it.key(),
           ": not an attribute of the schema (", list, ")");
    }
  }
  // One-row batch: the given values, and for the attributes left out a
  // placeholder the encoder accepts (their features are zeroed below).
  LeadBatch batch(1);
  std::vector<double> nums(A.size());
  std::vector<std::int8_t> bools(A.size());
  std::vector<std::string> texts(A.size());
  std::vector<const char*> ptrs(A.size());
  std::vector<bool> given(A.size());
  for (std::size_t i = 0; i < A.size(); ++i) {
    const Attribute& a = A[i];
    const std::string p = path + ".attributes." + a.name;
    given[i] = attrs.contains(a.name);
    const json* v = given[i] ? &attrs.at(a.name) : nullptr;
    switch (a.type) {
      case AttrType::numeric:
        if (v && !v->is_number())
          fail(LK_ERR_INVALID_ARGUMENT, p, ": expected a number, got ", type_of(*v));
        nums[i] = v ? v->get<double>() : a.impute;
        batch.set_numeric(a.name.c_str(), &nums[i]);
        break;
      case AttrType::boolean:
        if (v && !v->is_boolean())
          fail(LK_ERR_INVALID_ARGUMENT, p, ": expected true or false, got ", type_of(*v));
        bools[i] = v && v->get<bool>() ? 1 : 0;
        batch.set_booleans(a.name.c_str(), &bools[i]);
        break;
      case AttrType::categorical:
        if (v) {
          if (!v->is_string())
            fail(LK_ERR_INVALID_ARGUMENT, p, ": expected a string, got ", type_of(*v));
          texts[i] = v->get<std::string>();
          check_in_vocabulary(a, texts[i], p);
        } else {
          texts[i] = a.vocabulary.empty() ? "" : a.vocabulary[0];
        }
        ptrs[i] = texts[i].c_str();
        batch.set_strings(a.name.c_str(), &ptrs[i]);
        break;
      case AttrType::tags:
        if (v) {
          std::vector<std::string> tags;
          if (v->is_string()) {
            tags.push_back(v->get<std::string>());
          } else if (v->is_array()) {
            for (std::size_t t = 0; t < v->size(); ++t) {
              if (!(*v)[t].is_string())
                fail(LK_ERR_INVALID_ARGUMENT, p, "[", t, "]: expected a string, got ",
                     type_of((*v)[t]));
              tags.push_back((*v)[t].get<std::string>());
            }
          } else {
            fail(LK_ERR_INVALID_ARGUMENT, p, ": expected a list of tags, got ", type_of(*v));
          }
          if (tags.empty())
            fail(LK_ERR_INVALID_ARGUMENT, p, ": is empty; leave the attribute out instead");
          for (std::size_t t = 0; t < tags.size(); ++t) {
            if (tags[t].find(a.separator) != std::string::npos)
              fail(LK_ERR_INVALID_ARGUMENT, p, "[", t, "]: contains the separator '", a.separator,
                   "'");
            check_in_vocabulary(a, tags[t], p + "[" + std::to_string(t) + "]");
            texts[i] += (t ? std::string(1, a.separator) : "") + tags[t];
          }
        } else {
          texts[i] = a.vocabulary.empty() ? "" : a.vocabulary[0];
        }
        ptrs[i] = texts[i].c_str();
        batch.set_strings(a.name.c_str(), &ptrs[i]);
        break;
    }
  }
  try {
    schema.encode(batch, ExecOptions{1}, profile, schema.n_features());
  } catch (const Error& e) {
    fail(e.status(), path, ".attributes: ", e.what());
  }
  std::vector<float> attr_w(A.size(), 1.0f);
  if (weights != nullptr) {
    if (!weights->is_object())
      fail(LK_ERR_INVALID_ARGUMENT, path, ".weights: expected an object, got ", type_of(*weights));
    for (auto it = weights->begin(); it != weights->end(); ++it) {
      const std::string p = path + ".weights." + it.key();
      std::size_t i = 0;
      while (i < A.size() && A[i].name != it.key()) ++i;
      if (i == A.size() || !given[i])
        fail(LK_ERR_INVALID_ARGUMENT, p, ": '", it.key(),
             "' is not one of this persona's attributes");
      if (!it.value().is_number())
        fail(LK_ERR_INVALID_ARGUMENT, p, ": expected a number, got ", type_of(it.value()));
      const double wv = it.value().get<double>();
      if (!std::isfinite(wv) || wv < 0.0)
        fail(LK_ERR_INVALID_ARGUMENT, p, ": must be finite and >= 0, got ", wv);
      attr_w[i] = static_cast<float>(wv);
    }
  }
  for (std::size_t i = 0; i < A.size(); ++i) {
    for (std::size_t j = schema.offset(i); j < schema.offset(i) + schema.width(i); ++j) {
      w[j] = given[i] ? attr_w[i] : 0.0f;
      if (!given[i]) profile[j] = 0.0f;
    }
  }
}

}  // namespace

PersonaSet persona_set_from_json(const Schema& schema, const json& node, const std::string& path) {
  Fields f(node, path);
  const PersonaMetric metric =
      f.has("metric") ? metric_from_name(f.str("metric"), f.path("metric")) : PersonaMetric::cosine;
  const float min_sim =
      f.has("min_similarity") ? static_cast<float>(f.num("min_similarity")) : 0.0f;
  const json& ps = f.at("personas");
  f.reject_unknown();
  if (!ps.is_array())
    fail(LK_ERR_INVALID_ARGUMENT, f.path("personas"), ": expected an array, got ", type_of(ps));
  if (ps.empty())
    fail(LK_ERR_INVALID_ARGUMENT, f.path("personas"), ": is empty; define at least one persona");
  const std::size_t D = schema.n_features(), K = ps.size();
  std::vector<std::string> names, authored;
  std::vector<float> profiles(K * D), weights(K * D, 1.0f);
  std::set<std::string> seen;
  for (std::size_t k = 0; k < K; ++k) {
    const std::string p = f.path("personas") + "[" + std::to_string(k) + "]";
    Fields pf(ps[k], p);
    std::string name = pf.str("name");
    if (name.empty()) fail(LK_ERR_INVALID_ARGUMENT, pf.path("name"), ": is empty");
    if (!seen.insert(name).second)
      fail(LK_ERR_INVALID_ARGUMENT, pf.path("name"), ": duplicate persona name '", name, "'");
    const bool by_attr = pf.has("attributes"), by_profile = pf.has("profile");
    if (by_attr == by_profile)
      fail(LK_ERR_INVALID_ARGUMENT, p,
           ": give either \"attributes\" (values of the schema's attributes) or \"profile\" (", D,
           " feature values), ", by_attr ? "not both" : "none is given");
    json kept = json::object();
    if (by_attr) {
      const bool has_w = pf.has("weights");
      encode_persona(schema, pf.at("attributes"), has_w ? &pf.at("weights") : nullptr, p,
                     profiles.data() + k * D, weights.data() + k * D);
      kept["name"] = name;
      kept["attributes"] = pf.at("attributes");
      if (has_w) kept["weights"] = pf.at("weights");
      authored.push_back(kept.dump());
    } else {
      std::vector<float> prof = float_array(pf.at("profile"), pf.path("profile"), D);
      std::copy(prof.begin(), prof.end(), profiles.begin() + static_cast<std::ptrdiff_t>(k * D));
      if (pf.has("feature_weights")) {
        std::vector<float> w = float_array(pf.at("feature_weights"), pf.path("feature_weights"), D);
        std::copy(w.begin(), w.end(), weights.begin() + static_cast<std::ptrdiff_t>(k * D));
      }
      authored.emplace_back();
    }
    pf.reject_unknown();
    names.push_back(std::move(name));
  }
  try {
    return PersonaSet(std::move(names), std::move(profiles), D, metric, std::move(weights), min_sim,
                      std::move(authored));
  } catch (const Error& e) {
    fail(e.status(), path, ": ", e.what());
  }
}

PersonaSet persona_set_from_json(const Schema& schema, const std::string& text) {
  return persona_set_from_json(schema, parse_json(text, "personas"), "personas");
}

json persona_set_to_json(const PersonaSet& set) {
  json out = json::object();
  out["metric"] = metric_name(set.metric());
  out["min_similarity"] = set.min_similarity();
  json ps = json::array();
  const std::size_t D = set.n_features();
  for (std::size_t k = 0; k < set.size(); ++k) {
    if (!set.authored().empty() && !set.authored()[k].empty()) {
      ps.push_back(json::parse(set.authored()[k]));
      continue;
    }
    json p = json::object();
    p["name"] = set.names()[k];
    json prof = json::array(), w = json::array();
    bool weighted = false;
    for (std::size_t j = 0; j < D; ++j) {
      prof.push_back(set.profiles()[k * D + j]);
      w.push_back(set.weights()[k * D + j]);
      weighted = weighted || set.weights()[k * D + j] != 1.0f;
    }
    p["profile"] = prof;
    if (weighted) p["feature_weights"] = w;
    ps.push_back(p);
  }
  out["personas"] = ps;
  return out;
}

}  // namespace leadkit::engine
