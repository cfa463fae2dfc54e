// leadkit C++ API: lead attributes (Schema) and raw lead records (LeadBatch).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "leadkit/error.hpp"
#include "leadkit/exec_options.hpp"
#include "leadkit/logistic_model.hpp"  // leadkit::contiguous

namespace leadkit {

namespace detail {
// Reads a text value through the C API's (NULL, 0) query contract.
template <typename Getter>
std::string get_text(Getter&& get) {
  std::size_t n = 0;
  check(get(nullptr, 0, &n));
  std::string s(n + 1, '\0');
  check(get(&s[0], s.size(), &n));
  s.resize(n);
  return s;
}
}  // namespace detail

// Raw lead records, columnar and non-owning: the arrays passed to set_*()
// must outlive every use of the batch. Move-only.
class LeadBatch {
 public:
  explicit LeadBatch(std::size_t n_rows) : n_rows_(n_rows) {
    lk_batch* b = nullptr;
    detail::check(lk_batch_create(n_rows, &b));
    handle_.reset(b);
  }
  // Numbers, NaN = missing (numeric attributes; 0/1 for boolean ones).
  LeadBatch& set_numeric(const std::string& name, const double* values) {
    detail::check(lk_batch_set_numeric(handle_.get(), name.c_str(), values));
    return *this;
  }
  // UTF-8 strings, nullptr or blank = missing (categorical and tags attributes).
  LeadBatch& set_strings(const std::string& name, const char* const* values) {
    detail::check(lk_batch_set_strings(handle_.get(), name.c_str(), values));
    return *this;
  }
  // Category codes into `categories` (n_categories UTF-8 strings), -1 =
  // missing, as pandas.Categorical stores a column (categorical and tags
  // attributes): each category is looked up once per call.
  LeadBatch& set_codes(const std::string& name, const std::int32_t* codes, const char* const* categories,
                       std::size_t n_categories) {
    detail::check(lk_batch_set_codes(handle_.get(), name.c_str(), codes, categories, n_categories));
    return *this;
  }
  // 0, 1, or -1 = missing (boolean attributes).
  LeadBatch& set_booleans(const std::string& name, const std::int8_t* values) {
    detail::check(lk_batch_set_booleans(handle_.get(), name.c_str(), values));
    return *this;
  }
  std::size_t n_rows() const noexcept { return n_rows_; }
  const lk_batch* handle() const noexcept { return handle_.get(); }

 private:
  struct Free {
    void operator()(lk_batch* b) const noexcept { lk_batch_free(b); }
  };
  std::size_t n_rows_;
  std::unique_ptr<lk_batch, Free> handle_;
};

// Lead attributes and how each becomes feature columns; see docs/SCHEMA.md.
class Scorecard;

// Immutable; safe to share across threads. Copyable (shares the handle).
class Schema {
 public:
  static Schema from_json(const std::string& json) {
    lk_schema* s = nullptr;
    detail::check(lk_schema_from_json(json.c_str(), &s));
    return Schema(s);
  }

  std::size_t n_features() const {
    std::size_t n = 0;
    detail::check(lk_schema_n_features(handle_.get(), &n));
    return n;
  }
  std::vector<std::string> feature_names() const {
    std::vector<std::string> names(n_features());
    for (std::size_t j = 0; j < names.size(); ++j)
      names[j] = detail::get_text([&](char* b, std::size_t c, std::size_t* n) {
        return lk_schema_feature_name(handle_.get(), j, b, c, n);
      });
    return names;
  }
  std::vector<std::string> attribute_names() const {
    std::size_t n = 0;
    detail::check(lk_schema_n_attributes(handle_.get(), &n));
    std::vector<std::string> names(n);
    for (std::size_t i = 0; i < n; ++i)
      names[i] = detail::get_text([&](char* b, std::size_t c, std::size_t* len) {
        return lk_schema_attribute_name(handle_.get(), i, b, c, len);
      });
    return names;
  }
  std::string to_json() const {
    return detail::get_text([&](char* b, std::size_t c, std::size_t* n) {
      return lk_schema_to_json(handle_.get(), b, c, n);
    });
  }

  // A new schema with medians, statistics and "learn" vocabularies learned.
  Schema fit(const LeadBatch& batch) const {
    lk_schema* s = nullptr;
    detail::check(lk_schema_fit(handle_.get(), batch.handle(), &s));
    return Schema(s);
  }

  // Encodes batch.n_rows() leads into out (row stride in floats).
  void encode(const LeadBatch& batch, float* out, std::size_t out_row_stride = contiguous,
              const ExecOptions& exec = {}) const {
    const lk_exec_options o = exec.to_c();
    detail::check(lk_schema_encode(handle_.get(), batch.handle(), &o, out,
                                   out_row_stride == contiguous ? n_features() : out_row_stride));
  }
  // Encodes into a new batch.n_rows() x n_features() row-major vector.
  std::vector<float> encode(const LeadBatch& batch, const ExecOptions& exec = {}) const {
    std::vector<float> out(batch.n_rows() * n_features());
    encode(batch, out.data(), contiguous, exec);
    return out;
  }

  const lk_schema* handle() const noexcept { return handle_.get(); }

 private:
  friend class Scorecard;  // hands out its parts
  explicit Schema(lk_schema* s) : handle_(s, lk_schema_free) {}
  std::shared_ptr<lk_schema> handle_;
};

}  // namespace leadkit
