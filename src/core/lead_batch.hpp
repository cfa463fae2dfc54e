// A columnar batch of raw lead records, non-owning: each column points at the
// caller's array (numbers, UTF-8 strings, category codes or booleans) for
// `rows` leads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "core/error.hpp"

namespace leadkit::engine {

struct Column {
  enum class Kind { numeric, strings, booleans, codes };
  Kind kind = Kind::numeric;
  const double* numbers = nullptr;       // NaN = missing
  const char* const* strings = nullptr;  // NULL or "" (after trimming) = missing
  const std::int8_t* booleans = nullptr; // 0, 1; -1 = missing
  // Category codes, as pandas.Categorical stores a column: row r holds
  // categories[codes[r]], -1 = missing.
  const std::int32_t* codes = nullptr;
  const char* const* categories = nullptr;
  std::size_t n_categories = 0;
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

  void set_numeric(const char* name, const double* values) {
    Column c;
    c.numbers = values;
    add(name, values, c);
  }
  void set_strings(const char* name, const char* const* values) {
    Column c;
    c.kind = Column::Kind::strings;
    c.strings = values;
    add(name, values, c);
  }
  void set_booleans(const char* name, const std::int8_t* values) {
    Column c;
    c.kind = Column::Kind::booleans;
    c.booleans = values;
    add(name, values, c);
  }
  // Codes into n_categories UTF-8 strings (none NULL); codes are checked
  // when the batch is encoded (a bad one names its row).
  void set_codes(const char* name, const std::int32_t* codes, const char* const* categories,
                 std::size_t n_categories) {
    check_name(name);
    if (categories == nullptr && n_categories > 0)
      fail(LK_ERR_NULL_POINTER, "categories: is NULL for column '", name, "' with ", n_categories, " categories");
    if (n_categories > static_cast<std::size_t>(INT32_MAX))
      fail(LK_ERR_INVALID_ARGUMENT, "n_categories: ", n_categories, " is more than int32 codes can address");
    for (std::size_t k = 0; k < n_categories; ++k)
      if (categories[k] == nullptr)
        fail(LK_ERR_NULL_POINTER, "categories[", k, "]: is NULL for column '", name,
             "' (a category needs a string; missing rows take code -1)");
    Column c;
    c.kind = Column::Kind::codes;
    c.codes = codes;
    c.categories = categories;
    c.n_categories = n_categories;
    add(name, codes, c, "codes");
  }

 private:
  static void check_name(const char* name) {
    if (name == nullptr) fail(LK_ERR_NULL_POINTER, "name: is NULL");
    if (*name == '\0') fail(LK_ERR_INVALID_ARGUMENT, "name: is empty; give the attribute's name");
  }
  void add(const char* name, const void* values, Column c, const char* arg = "values") {
    check_name(name);
    if (values == nullptr && rows_ > 0) fail(LK_ERR_NULL_POINTER, arg, ": is NULL for column '", name, "'");
    if (!columns_.emplace(name, c).second)
      fail(LK_ERR_INVALID_ARGUMENT, "name: column '", name, "' is already set in this batch");
  }

  std::size_t rows_;
  std::map<std::string, Column> columns_;
};

}  // namespace leadkit::engine
