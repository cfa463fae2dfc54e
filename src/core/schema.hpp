// Schema: the attributes a lead has and how each becomes feature columns.
//
//   numeric      -> [value column] [band columns]   impute, clip, log1p, standardize, bands
//   categorical  -> one column per vocabulary value [+ <unknown>] [+ <missing>]
//   boolean      -> one 0/1 column
//   tags         -> one column per vocabulary tag (multi-hot) [+ <other>]
//
// A schema is immutable once built. Learned parts (medians, standardisation
// statistics, vocabularies marked "learn") come from fit(), which returns a
// new, fitted schema. encode() turns a LeadBatch into the N x D float32
// row-major feature matrix.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/exec.hpp"
#include "core/lead_batch.hpp"
#include "leadkit/leadkit.h"

namespace leadkit::engine {

enum class AttrType { numeric, categorical, boolean, tags };

// What a missing value becomes. numeric: error | constant | median.
// categorical: error | slot (an "=<missing>" column) | ignore (all zeros).
// boolean: error | false. tags: error | ignore (no tags).
enum class MissingPolicy { error, constant, median, slot, ignore, as_false };

// What a categorical value or tag outside the vocabulary becomes.
enum class UnknownPolicy { error, slot, ignore };

struct Attribute {
  std::string name;
  AttrType type = AttrType::numeric;
  MissingPolicy missing = MissingPolicy::error;

  // numeric
  double impute = 0.0;  // constant, or the learned median
  bool clip = false;
  double clip_lo = 0.0, clip_hi = 0.0;
  bool log1p = false;
  bool standardize = false;
  double mean = 0.0, scale = 1.0;  // learned when standardize
  std::vector<double> bands;       // increasing edges; k edges -> k+1 band columns
  bool value = true;               // emit the transformed value column

  // categorical and tags
  std::vector<std::string> vocabulary;  // normalised, in column order
  bool learn_vocabulary = false;
  std::size_t max_categories = 0;  // 0 = no limit (learned vocabularies)
  std::size_t min_count = 1;       // learned vocabularies keep values seen this often
  bool normalize = true;           // trim + ASCII lower-case before lookup
  UnknownPolicy unknown = UnknownPolicy::slot;
  char separator = ';';            // tags: "security;cloud"

  bool needs_fit() const noexcept;
};

// A data error met while encoding: the row and the message.
struct EncodeError {
  std::size_t row = static_cast<std::size_t>(-1);
  lk_status status = LK_OK;
  std::string message;
};

// A batch's columns in attribute order, ready for encode_rows(): resolve()
// fills it. A column of category codes gets its categories looked up once
// per call: `entries` lists, per category, the feature columns it sets
// (an index into the attribute's vocabulary, the vocabulary size for the
// unknown slot, or kCodeMissing / kCodeUnknownError). Reused across calls,
// it stops allocating once grown.
struct ResolvedBatch {
  static constexpr std::int32_t kCodeMissing = -1;       // a blank category: the missing policy
  static constexpr std::int32_t kCodeUnknownError = -2;  // unknown under policy "error"
  std::vector<const Column*> cols;
  std::vector<std::size_t> first_category;  // per attribute: its categories' first slot in `begin`
  std::vector<std::uint32_t> begin;         // per category (+1 per attribute): its entries
  std::vector<std::int32_t> entries;
};

class Schema {
 public:
  // Validates every attribute (names unique and non-empty, bands increasing,
  // clip range ordered, policies valid for the type, vocabulary unique) and
  // lays out the feature columns. `fitted` marks learned parts as present.
  Schema(std::vector<Attribute> attributes, bool fitted);

  const std::vector<Attribute>& attributes() const noexcept { return attrs_; }
  std::size_t n_features() const noexcept { return names_.size(); }
  const std::vector<std::string>& feature_names() const noexcept { return names_; }
  // First column of attribute i, and how many it has.
  std::size_t offset(std::size_t i) const noexcept { return offsets_[i]; }
  std::size_t width(std::size_t i) const noexcept { return offsets_[i + 1] - offsets_[i]; }
  bool fitted() const noexcept { return fitted_; }
  bool needs_fit() const noexcept;

  // Learns medians, standardisation statistics and "learn" vocabularies.
  Schema fit(const LeadBatch& batch) const;

  // Encodes every lead of `batch` into out (rows x n_features, row stride in
  // floats). On a data error (a missing value under policy "error", an
  // unknown category under "error", an infinite number...) the first bad row
  // is reported and `out` is filled with NaN.
  void encode(const LeadBatch& batch, const ExecOptions& exec, float* out,
              std::size_t out_stride) const;

  // The building blocks of encode() for callers that encode tile by tile
  // (the Scorecard): resolve() checks the batch, finds each attribute's
  // column and looks up the categories of code columns; encode_rows()
  // encodes rows [r0, r1) into out (row r at out + (r - r0) * out_stride)
  // and returns false with `err` set at the first bad row. Neither allocates
  // once `rb` has grown.
  void resolve(const LeadBatch& batch, ResolvedBatch& rb) const;
  bool encode_rows(const ResolvedBatch& rb, std::size_t r0, std::size_t r1, float* out,
                   std::size_t out_stride, std::string& buf, EncodeError& err) const;
  // Normalisation used for vocabulary lookups (trim, optionally lower-case).
  static std::string normalized(const std::string& s, bool lower);

 private:
  void check_batch(const LeadBatch& batch) const;
  // Vocabulary index of a trimmed value (ASCII-lower-cased on the fly when
  // `fold`: no copy), or the vocabulary size.
  std::size_t lookup(std::size_t attr, std::string_view trimmed, bool fold) const noexcept;
  // The feature a trimmed value of attribute attr sets, under its unknown
  // policy: its vocabulary index, the vocabulary size (the unknown slot),
  // ResolvedBatch::kCodeUnknownError, or kIgnored (no feature).
  static constexpr std::int32_t kIgnored = -3;
  std::int32_t place(std::size_t attr, std::string_view trimmed) const noexcept;
  void layout();

  std::vector<Attribute> attrs_;
  std::vector<std::size_t> offsets_;
  std::vector<std::string> names_;
  // Per attribute: its vocabulary as an open-addressing hash table (slot =
  // vocabulary index + 1, 0 = empty; a power of two, at least twice the
  // vocabulary), so a lookup is one hash and usually one comparison.
  std::vector<std::vector<std::uint32_t>> slots_;
  bool fitted_ = false;
};

const char* type_name(AttrType t) noexcept;
// The policies' names as the JSON form spells them ("median", "slot", "false"...).
const char* missing_name(MissingPolicy m) noexcept;
const char* unknown_name(UnknownPolicy u) noexcept;

}  // namespace leadkit::engine
