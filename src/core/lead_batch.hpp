// A columnar batch of raw lead records, non-owning: each column points at the
// caller's array (numbers, UTF-8 strings or booleans) for `rows` leads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "core/error.hpp"

namespace leadkit::engine {

struct Column {
  enum class Kind { numeric, strings, booleans };
  Kind kind = Kind::numeric;
  const double* numbers = nullptr;       // NaN = missing
  const char* const* strings = nullptr;  // NULL or "" (after trimming) = missing
  const std::int8_t* booleans = nullptr; // 0, 1; -1 = missing
};

const char* kind_name(Column::Kind k) noexcept;

class LeadBatch {
 public:
  explicit LeadBatch(std::size_t rows) : rows_(rows) {}

  std::size_t rows() const noexcept { return rows_; }
  const std::map<std::string, Column>& columns() const noexcept { return columns_; }
  const Column* find(const std::string& name) const {
    auto it = columns_.find(name);
    return it == columns_.end() ? nullptr : &it->second;
  }

  void set_numeric(const char* name, const double* values) { add(name, values, {Column::Kind::numeric, values, nullptr, nullptr}); }
  void set_strings(const char* name, const char* const* values) { add(name, values, {Column::Kind::strings, nullptr, values, nullptr}); }
  void set_booleans(const char* name, const std::int8_t* values) { add(name, values, {Column::Kind::booleans, nullptr, nullptr, values}); }

 private:
  void add(const char* name, const void* values, Column c) {
    if (name == nullptr) fail(LK_ERR_NULL_POINTER, "name: is NULL");
    if (*name == '\0') fail(LK_ERR_INVALID_ARGUMENT, "name: is empty; give the attribute's name");
    if (values == nullptr && rows_ > 0) fail(LK_ERR_NULL_POINTER, "values: is NULL for column '", name, "'");
    if (!columns_.emplace(name, c).second)
      fail(LK_ERR_INVALID_ARGUMENT, "name: column '", name, "' is already set in this batch");
  }

  std::size_t rows_;
  std::map<std::string, Column> columns_;
};

}  // namespace leadkit::engine
