#include "core/schema.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <string_view>

#include "core/thread_pool.hpp"

namespace leadkit::engine {

const char* kind_name(Column::Kind k) noexcept {
  switch (k) {
    case Column::Kind::numeric: return "numeric";
    case Column::Kind::strings: return "strings";
    case Column::Kind::booleans: return "booleans";
    case Column::Kind::codes: return "category codes";
  }
  return "unknown";
}

const char* missing_name(MissingPolicy m) noexcept {
  switch (m) {
    case MissingPolicy::error: return "error";
    case MissingPolicy::constant: return "constant";
    case MissingPolicy::median: return "median";
    case MissingPolicy::slot: return "slot";
    case MissingPolicy::ignore: return "ignore";
    case MissingPolicy::as_false: return "false";
  }
  return "error";
}

const char* unknown_name(UnknownPolicy u) noexcept {
  switch (u) {
    case UnknownPolicy::error: return "error";
    case UnknownPolicy::slot: return "slot";
    case UnknownPolicy::ignore: return "ignore";
  }
  return "error";
}

const char* type_name(AttrType t) noexcept {
  switch (t) {
    case AttrType::numeric: return "numeric";
    case AttrType::categorical: return "categorical";
    case AttrType::boolean: return "boolean";
    case AttrType::tags: return "tags";
  }
  return "unknown";
}

bool Attribute::needs_fit() const noexcept {
  switch (type) {
    case AttrType::numeric: return missing == MissingPolicy::median || standardize;
    case AttrType::categorical:
    case AttrType::tags: return learn_vocabulary;
    case AttrType::boolean: return false;
  }
  return false;
}

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view in) {
  std::size_t b = 0, e = in.size();
  while (b < e && is_space(in[b])) ++b;
  while (e > b && is_space(in[e - 1])) --e;
  return in.substr(b, e - b);
}

// Trims and (optionally) ASCII-lower-cases `in` into `buf`, reusing its storage.
std::string_view normalize_into(std::string_view in, bool lower, std::string& buf) {
  const std::string_view t = trim(in);
  if (!lower) return t;
  buf.assign(t.data(), t.size());
  for (char& c : buf)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return buf;
}

// Calls f(token) for each non-blank token of a tags value, trimmed (not
// lower-cased), in order, until f returns false.
template <typename F>
void for_each_tag(std::string_view text, char sep, F&& f) {
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(sep, start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view tok = trim(text.substr(start, end - start));
    start = end + 1;
    if (!tok.empty() && !f(tok)) return;
  }
}

// Up to 8 bytes of p as a little-endian word, zero past n (never reads past p + n).
std::uint64_t load_word(const char* p, std::size_t n) {
  std::uint64_t w = 0;
  std::memcpy(&w, p, n < 8 ? n : 8);
  return w;
}

// The ASCII capitals of a word's bytes lower-cased, every other byte as it
// is (SWAR: bit 7 of (b + 0x3f) ^ (b + 0x25) is set for 'A' <= b <= 'Z' when
// b < 0x80, and no byte carries into the next).
std::uint64_t fold_word(std::uint64_t w) {
  constexpr std::uint64_t k7f = 0x7f7f7f7f7f7f7f7fULL, k80 = 0x8080808080808080ULL;
  const std::uint64_t low = w & k7f;
  const std::uint64_t upper = ((low + 0x3f3f3f3f3f3f3f3fULL) ^ (low + 0x2525252525252525ULL)) & ~w & k80;
  return w | (upper >> 2);
}

// A hash of the bytes, 8 at a time, capitals folded when `fold` (Schema::lookup
// compares the same words).
std::uint64_t hash_text(std::string_view s, bool fold) {
  std::uint64_t h = 0x9e3779b97f4a7c15ULL ^ s.size();
  for (std::size_t i = 0; i < s.size(); i += 8) {
    std::uint64_t w = load_word(s.data() + i, s.size() - i);
    if (fold) w = fold_word(w);
    h = (h ^ w) * 0xff51afd7ed558ccdULL;
    h ^= h >> 32;
  }
  return h;
}

// The codes a column of n categories may hold, for errors.
std::string code_range(std::size_t n) {
  if (n == 0) return "the column has no categories, so only -1 (missing) is valid";
  return "valid codes are 0 to " + std::to_string(n - 1) + " (" + std::to_string(n) + " categories) and -1 for missing";
}

std::string fmt_num(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

}  // namespace

std::string Schema::normalized(const std::string& s, bool lower) {
  std::string buf;
  return std::string(normalize_into(s, lower, buf));
}

Schema::Schema(std::vector<Attribute> attributes, bool fitted)
    : attrs_(std::move(attributes)), fitted_(fitted) {
  if (attrs_.empty()) fail(LK_ERR_INVALID_ARGUMENT, "attributes: a schema needs at least one attribute");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < attrs_.size(); ++i) {
    Attribute& a = attrs_[i];
    const std::string where = "attributes[" + std::to_string(i) + "] '" + a.name + "'";
    if (a.name.empty()) fail(LK_ERR_INVALID_ARGUMENT, "attributes[", i, "].name: is empty");
    if (!seen.insert(a.name).second)
      fail(LK_ERR_INVALID_ARGUMENT, where, ": duplicate attribute name");
    auto bad_missing = [&] {
      fail(LK_ERR_INVALID_ARGUMENT, where, ".missing: '", missing_name(a.missing),
           "' is not a policy for ", type_name(a.type), " attributes");
    };
    switch (a.type) {
      case AttrType::numeric:
        if (a.missing != MissingPolicy::error && a.missing != MissingPolicy::constant &&
            a.missing != MissingPolicy::median)
          bad_missing();
        if (!std::isfinite(a.impute)) fail(LK_ERR_NOT_FINITE, where, ".impute: must be finite");
        if (a.clip && !(std::isfinite(a.clip_lo) && std::isfinite(a.clip_hi) && a.clip_lo <= a.clip_hi))
          fail(LK_ERR_INVALID_ARGUMENT, where, ".clip: needs finite [low, high] with low <= high");
        for (std::size_t k = 0; k < a.bands.size(); ++k) {
          if (!std::isfinite(a.bands[k])) fail(LK_ERR_NOT_FINITE, where, ".bands[", k, "]: must be finite");
          if (k > 0 && !(a.bands[k - 1] < a.bands[k]))
            fail(LK_ERR_INVALID_ARGUMENT, where, ".bands: edges must be strictly increasing (",
                 fmt_num(a.bands[k - 1]), " then ", fmt_num(a.bands[k]), ")");
        }
        if (!a.value && a.bands.empty())
          fail(LK_ERR_INVALID_ARGUMENT, where, ": emits no feature (value is false and no bands)");
        if (a.standardize && fitted && !(std::isfinite(a.mean) && std::isfinite(a.scale) && a.scale > 0))
          fail(LK_ERR_INVALID_ARGUMENT, where, ": standardisation needs a finite mean and a scale > 0");
        break;
      case AttrType::categorical:
      case AttrType::tags: {
        if (a.type == AttrType::categorical && a.missing != MissingPolicy::error &&
            a.missing != MissingPolicy::slot && a.missing != MissingPolicy::ignore)
          bad_missing();
        if (a.type == AttrType::tags && a.missing != MissingPolicy::error &&
            a.missing != MissingPolicy::ignore)
          bad_missing();
        std::set<std::string> vocab;
        for (std::size_t k = 0; k < a.vocabulary.size(); ++k) {
          std::string v = normalized(a.vocabulary[k], a.normalize);
          if (v.empty()) fail(LK_ERR_INVALID_ARGUMENT, where, ".vocabulary[", k, "]: is empty");
          if (a.type == AttrType::tags && v.find(a.separator) != std::string::npos)
            fail(LK_ERR_INVALID_ARGUMENT, where, ".vocabulary[", k, "]: contains the separator '",
                 a.separator, "'");
          if (!vocab.insert(v).second)
            fail(LK_ERR_INVALID_ARGUMENT, where, ".vocabulary[", k, "]: '", v,
                 "' appears twice (after normalisation)");
          a.vocabulary[k] = std::move(v);
        }
        if (!a.learn_vocabulary && a.vocabulary.empty())
          fail(LK_ERR_INVALID_ARGUMENT, where, ".vocabulary: is empty; list the values or use \"learn\"");
        break;
      }
      case AttrType::boolean:
        if (a.missing != MissingPolicy::error && a.missing != MissingPolicy::as_false) bad_missing();
        break;
    }
  }
  layout();
}

void Schema::layout() {
  offsets_.assign(1, 0);
  names_.clear();
  slots_.clear();
  for (const Attribute& a : attrs_) {
    switch (a.type) {
      case AttrType::numeric:
        if (a.value) names_.push_back(a.name);
        if (!a.bands.empty()) {
          names_.push_back(a.name + " < " + fmt_num(a.bands.front()));
          for (std::size_t k = 1; k < a.bands.size(); ++k)
            names_.push_back(a.name + " in [" + fmt_num(a.bands[k - 1]) + "," + fmt_num(a.bands[k]) + ")");
          names_.push_back(a.name + " >= " + fmt_num(a.bands.back()));
        }
        break;
      case AttrType::categorical:
        for (const auto& v : a.vocabulary) names_.push_back(a.name + "=" + v);
        if (a.unknown == UnknownPolicy::slot) names_.push_back(a.name + "=<unknown>");
        if (a.missing == MissingPolicy::slot) names_.push_back(a.name + "=<missing>");
        break;
      case AttrType::boolean: names_.push_back(a.name); break;
      case AttrType::tags:
        for (const auto& v : a.vocabulary) names_.push_back(a.name + ":" + v);
        if (a.unknown == UnknownPolicy::slot) names_.push_back(a.name + ":<other>");
        break;
    }
    offsets_.push_back(names_.size());
    std::size_t size = 4;
    while (size < 2 * a.vocabulary.size()) size *= 2;
    std::vector<std::uint32_t> slots(a.vocabulary.empty() ? 0 : size, 0);
    for (std::size_t k = 0; k < a.vocabulary.size(); ++k) {
      std::size_t at = hash_text(a.vocabulary[k], false) & (size - 1);
      while (slots[at] != 0) at = (at + 1) & (size - 1);
      slots[at] = static_cast<std::uint32_t>(k + 1);
    }
    slots_.push_back(std::move(slots));
  }
}

bool Schema::needs_fit() const noexcept {
  return std::any_of(attrs_.begin(), attrs_.end(), [](const Attribute& a) { return a.needs_fit(); });
}

void Schema::check_batch(const LeadBatch& batch) const {
  if (batch.rows() == 0) fail(LK_ERR_INVALID_ARGUMENT, "batch: empty (0 leads)");
  for (const auto& [name, col] : batch.columns()) {
    const bool known = std::any_of(attrs_.begin(), attrs_.end(),
                                   [&](const Attribute& a) { return a.name == name; });
    if (!known) {
      std::string list;
      for (const auto& a : attrs_) list += (list.empty() ? "" : ", ") + a.name;
      fail(LK_ERR_INVALID_ARGUMENT, "batch: column '", name,
           "' is not an attribute of the schema (attributes: ", list, ")");
    }
  }
  for (const Attribute& a : attrs_) {
    const Column* c = batch.find(a.name);
    if (c == nullptr) fail(LK_ERR_INVALID_ARGUMENT, "batch: no column for attribute '", a.name, "'");
    const Column::Kind want = a.type == AttrType::numeric   ? Column::Kind::numeric
                              : a.type == AttrType::boolean ? Column::Kind::booleans
                                                            : Column::Kind::strings;
    // Booleans may also come as numbers (0/1, NaN = missing), as pandas stores
    // a boolean column with gaps; categoricals and tags as category codes.
    const bool text = a.type == AttrType::categorical || a.type == AttrType::tags;
    const bool ok = c->kind == want || (a.type == AttrType::boolean && c->kind == Column::Kind::numeric) ||
                    (text && c->kind == Column::Kind::codes);
    if (!ok)
      fail(LK_ERR_INVALID_ARGUMENT, "batch: column '", a.name, "' holds ", kind_name(c->kind),
           " but attribute '", a.name, "' is ", type_name(a.type), " and needs ", kind_name(want),
           text ? " or category codes" : "");
  }
}

Schema Schema::fit(const LeadBatch& batch) const {
  check_batch(batch);
  std::vector<Attribute> out = attrs_;
  const std::size_t n = batch.rows();
  std::string buf;
  for (Attribute& a : out) {
    if (!a.needs_fit()) continue;
    const Column& c = *batch.find(a.name);
    if (a.type == AttrType::numeric) {
      std::vector<double> v;
      v.reserve(n);
      for (std::size_t r = 0; r < n; ++r)
        if (std::isfinite(c.numbers[r])) v.push_back(c.numbers[r]);
      if (a.missing == MissingPolicy::median) {
        if (v.empty()) fail(LK_ERR_INVALID_ARGUMENT, "fit: attribute '", a.name, "' has no values to learn a median from");
        std::vector<double> s = v;
        const std::size_t mid = s.size() / 2;
        std::nth_element(s.begin(), s.begin() + static_cast<long>(mid), s.end());
        double med = s[mid];
        if (s.size() % 2 == 0) med = 0.5 * (med + *std::max_element(s.begin(), s.begin() + static_cast<long>(mid)));
        a.impute = med;
      }
      if (a.standardize) {
        // Statistics of the transformed value, missing values imputed, as encode() sees it.
        double sum = 0.0, sum2 = 0.0;
        std::size_t count = 0;
        for (std::size_t r = 0; r < n; ++r) {
          double x = c.numbers[r];
          if (std::isnan(x)) {
            if (a.missing == MissingPolicy::error) continue;
            x = a.impute;
          }
          if (!std::isfinite(x)) continue;
          if (a.clip) x = std::min(std::max(x, a.clip_lo), a.clip_hi);
          if (a.log1p) {
            if (x <= -1.0) continue;
            x = std::log1p(x);
          }
          sum += x;
          sum2 += x * x;
          ++count;
        }
        if (count == 0) fail(LK_ERR_INVALID_ARGUMENT, "fit: attribute '", a.name, "' has no values to standardise");
        a.mean = sum / static_cast<double>(count);
        const double var = std::max(0.0, sum2 / static_cast<double>(count) - a.mean * a.mean);
        a.scale = var > 0.0 ? std::sqrt(var) : 1.0;  // a constant column stays centred
      }
    } else if (a.learn_vocabulary) {
      std::map<std::string, std::size_t> counts;
      // A value seen `times` times (a row's string, or a category's rows).
      auto tally = [&](std::string_view text, std::size_t times) {
        if (a.type == AttrType::tags) {
          for_each_tag(text, a.separator, [&](std::string_view tok) {
            counts[std::string(normalize_into(tok, a.normalize, buf))] += times;
            return true;
          });
        } else {
          auto tok = normalize_into(text, a.normalize, buf);
          if (!tok.empty()) counts[std::string(tok)] += times;
        }
      };
      if (c.kind == Column::Kind::codes) {
        std::vector<std::size_t> per_code(c.n_categories, 0);
        for (std::size_t r = 0; r < n; ++r) {
          const std::int32_t code = c.codes[r];
          if (code == -1) continue;
          if (code < -1 || static_cast<std::size_t>(code) >= c.n_categories)
            fail(LK_ERR_INVALID_ARGUMENT, "fit: row ", r, ", attribute '", a.name, "': code ", code,
                 " is out of range: ", code_range(c.n_categories));
          ++per_code[static_cast<std::size_t>(code)];
        }
        for (std::size_t k = 0; k < c.n_categories; ++k)
          if (per_code[k] > 0) tally(c.categories[k], per_code[k]);
      } else {
        for (std::size_t r = 0; r < n; ++r)
          if (c.strings[r] != nullptr) tally(c.strings[r], 1);
      }
      std::vector<std::pair<std::string, std::size_t>> ranked(counts.begin(), counts.end());
      std::stable_sort(ranked.begin(), ranked.end(),
                       [](const auto& x, const auto& y) { return x.second > y.second; });
      std::vector<std::string> vocab;
      for (const auto& [value, count] : ranked) {
        if (count < a.min_count) break;
        if (a.max_categories && vocab.size() >= a.max_categories) break;
        vocab.push_back(value);
      }
      if (vocab.empty())
        fail(LK_ERR_INVALID_ARGUMENT, "fit: attribute '", a.name, "' has no value seen at least ",
             a.min_count, " time(s) to learn a vocabulary from");
      a.vocabulary = std::move(vocab);
      a.learn_vocabulary = false;  // now fixed; exported JSON lists it
    }
  }
  return Schema(std::move(out), true);
}

std::int32_t Schema::place(std::size_t attr, std::string_view v) const noexcept {
  const Attribute& a = attrs_[attr];
  const std::size_t k = lookup(attr, v, a.normalize);
  if (k < a.vocabulary.size()) return static_cast<std::int32_t>(k);
  switch (a.unknown) {
    case UnknownPolicy::slot: return static_cast<std::int32_t>(a.vocabulary.size());
    case UnknownPolicy::error: return ResolvedBatch::kCodeUnknownError;
    case UnknownPolicy::ignore: break;
  }
  return kIgnored;
}

std::size_t Schema::lookup(std::size_t attr, std::string_view t, bool fold) const noexcept {
  const auto& vocab = attrs_[attr].vocabulary;
  const auto& slots = slots_[attr];
  if (slots.empty()) return vocab.size();
  const std::size_t mask = slots.size() - 1;
  for (std::size_t at = hash_text(t, fold) & mask; slots[at] != 0; at = (at + 1) & mask) {
    // The vocabulary is stored normalised: compare word by word with t's
    // words folded the same way.
    const std::string& v = vocab[slots[at] - 1];
    if (v.size() != t.size()) continue;
    std::size_t i = 0;
    for (; i < t.size(); i += 8) {
      std::uint64_t w = load_word(t.data() + i, t.size() - i);
      if (fold) w = fold_word(w);
      if (w != load_word(v.data() + i, v.size() - i)) break;
    }
    if (i >= t.size()) return slots[at] - 1;
  }
  return vocab.size();
}

void Schema::resolve(const LeadBatch& batch, ResolvedBatch& rb) const {
  if (needs_fit() && !fitted_)
    fail(LK_ERR_INVALID_ARGUMENT,
         "schema: has learned parts (median, standardize or a \"learn\" vocabulary) and must be "
         "fitted first; call fit() on training leads");
  check_batch(batch);
  rb.cols.resize(attrs_.size());
  rb.first_category.assign(attrs_.size(), 0);
  rb.begin.clear();
  rb.entries.clear();
  for (std::size_t i = 0; i < attrs_.size(); ++i) {
    const Attribute& a = attrs_[i];
    const Column* c = batch.find(a.name);  // check_batch(): present
    rb.cols[i] = c;
    if (c == nullptr || c->kind != Column::Kind::codes) continue;
    // Each category looked up once: the features it sets, in the order the
    // string path would set them.
    auto add = [&](std::string_view v) {
      if (const std::int32_t p = place(i, v); p != kIgnored) rb.entries.push_back(p);
    };
    rb.first_category[i] = rb.begin.size();
    for (std::size_t k = 0; k < c->n_categories; ++k) {
      rb.begin.push_back(static_cast<std::uint32_t>(rb.entries.size()));
      const std::string_view text(c->categories[k]);
      if (a.type == AttrType::tags) {
        for_each_tag(text, a.separator, [&](std::string_view tok) {
          add(tok);
          return true;
        });
      } else {
        const std::string_view v = trim(text);
        if (v.empty())
          rb.entries.push_back(ResolvedBatch::kCodeMissing);
        else
          add(v);
      }
    }
    rb.begin.push_back(static_cast<std::uint32_t>(rb.entries.size()));
  }
}

void Schema::encode(const LeadBatch& batch, const ExecOptions& exec, float* out,
                    std::size_t out_stride) const {
  ResolvedBatch rb;
  resolve(batch, rb);
  if (out == nullptr) fail(LK_ERR_NULL_POINTER, "out: output buffer is NULL");
  const std::size_t D = n_features();
  if (out_stride < D)
    fail(LK_ERR_DIMENSION_MISMATCH, "out_stride: ", out_stride, " is smaller than the ", D,
         " features of the schema");
  const std::size_t rows = batch.rows();

  constexpr std::size_t kRowsPerTask = 2048;
  const std::size_t n_tasks = (rows + kRowsPerTask - 1) / kRowsPerTask;
  std::vector<EncodeError> errors(n_tasks);
  const unsigned threads = threads_for(exec.threads, rows * attrs_.size(), 1U << 16, n_tasks);

  ThreadPool::instance().run(n_tasks, threads, [&](std::size_t t) {
    const std::size_t r0 = t * kRowsPerTask, r1 = std::min(rows, r0 + kRowsPerTask);
    std::string buf;
    encode_rows(rb, r0, r1, out + r0 * out_stride, out_stride, buf, errors[t]);
  });

  for (const EncodeError& e : errors) {
    if (e.status != LK_OK) {
      // Never leave a mix of encoded and stale rows behind (as predict does).
      for (std::size_t r = 0; r < rows; ++r)
        std::fill(out + r * out_stride, out + r * out_stride + D, std::numeric_limits<float>::quiet_NaN());
      throw Error(e.status, e.message);
    }
  }
}

bool Schema::encode_rows(const ResolvedBatch& rb, std::size_t r0, std::size_t r1, float* out,
                         std::size_t out_stride, std::string& buf, EncodeError& err) const {
  const std::size_t D = n_features();
  auto row_fail = [&](std::size_t r, lk_status st, const std::string& msg) {
    err.row = r;
    err.status = st;
    err.message = msg;
  };
  for (std::size_t r = r0; r < r1 && err.status == LK_OK; ++r) {
    float* o = out + (r - r0) * out_stride;
    std::memset(o, 0, D * sizeof(float));
    for (std::size_t i = 0; i < attrs_.size() && err.status == LK_OK; ++i) {
      const Attribute& a = attrs_[i];
      const Column& c = *rb.cols[i];
      float* f = o + offsets_[i];
      // Built only when a row fails: the hot loop must not allocate.
      auto at = [&] { return "row " + std::to_string(r) + ", attribute '" + a.name + "': "; };
      switch (a.type) {
        case AttrType::numeric: {
          double x = c.numbers[r];
          if (std::isnan(x)) {
            if (a.missing == MissingPolicy::error) {
              row_fail(r, LK_ERR_NOT_FINITE, at() + "value is missing (NaN) and the policy is \"error\"; "
                                                  "set \"missing\" to \"constant\" or \"median\"");
              break;
            }
            x = a.impute;
          } else if (std::isinf(x)) {
            row_fail(r, LK_ERR_NOT_FINITE, at() + "value is infinite");
            break;
          }
          if (a.clip) x = std::min(std::max(x, a.clip_lo), a.clip_hi);
          std::size_t k = 0;
          if (a.value) {
            double t2 = x;
            if (a.log1p) {
              if (t2 <= -1.0) {
                row_fail(r, LK_ERR_INVALID_ARGUMENT, at() + "log1p needs values > -1, got " + fmt_num(t2));
                break;
              }
              t2 = std::log1p(t2);
            }
            if (a.standardize) t2 = (t2 - a.mean) / a.scale;
            const auto fv = static_cast<float>(t2);
            if (!std::isfinite(fv)) {
              row_fail(r, LK_ERR_NOT_FINITE, at() + "value " + fmt_num(x) + " overflows float32");
              break;
            }
            f[k++] = fv;
          }
          if (!a.bands.empty()) {
            const auto band = static_cast<std::size_t>(
                std::upper_bound(a.bands.begin(), a.bands.end(), x) - a.bands.begin());
            f[k + band] = 1.0f;
          }
          break;
        }
        case AttrType::boolean: {
          std::int8_t b = 2;  // invalid unless set below
          if (c.kind == Column::Kind::booleans) {
            b = c.booleans[r];
          } else {
            const double v = c.numbers[r];
            b = std::isnan(v) ? std::int8_t{-1} : v == 0.0 ? std::int8_t{0} : v == 1.0 ? std::int8_t{1} : std::int8_t{2};
          }
          if (b == 0 || b == 1) {
            f[0] = static_cast<float>(b);
          } else if (b == -1) {
            if (a.missing == MissingPolicy::error)
              row_fail(r, LK_ERR_INVALID_ARGUMENT, at() + "value is missing and the policy is \"error\"");
          } else {
            row_fail(r, LK_ERR_INVALID_ARGUMENT,
                     at() + "boolean must be 0, 1 or missing, got " +
                         (c.kind == Column::Kind::booleans ? std::to_string(c.booleans[r])
                                                           : fmt_num(c.numbers[r])));
          }
          break;
        }
        case AttrType::categorical:
        case AttrType::tags: {
          const std::size_t V = a.vocabulary.size();
          const bool categorical = a.type == AttrType::categorical;
          // A missing value (NULL, blank, code -1) under the attribute's policy.
          auto missing = [&] {
            if (a.missing == MissingPolicy::error)
              row_fail(r, LK_ERR_INVALID_ARGUMENT, at() + "value is missing and the policy is \"error\"");
            else if (categorical && a.missing == MissingPolicy::slot)
              f[V + (a.unknown == UnknownPolicy::slot ? 1 : 0)] = 1.0f;
          };
          auto unknown_error = [&](std::string_view v) {
            row_fail(r, LK_ERR_INVALID_ARGUMENT,
                     at() + (categorical ? "value '" : "tag '") + std::string(v) +
                         "' is not in the vocabulary and the unknown policy is \"error\"" +
                         (categorical ? "; add it or set \"unknown\" to \"slot\" or \"ignore\"" : ""));
          };
          // A value's column (place()), or the error naming it; false on error.
          auto put = [&](std::string_view v) {
            const std::int32_t p = place(i, v);
            if (p >= 0) {
              f[p] = 1.0f;
            } else if (p == ResolvedBatch::kCodeUnknownError) {
              unknown_error(normalize_into(v, a.normalize, buf));
              return false;
            }
            return true;
          };
          if (c.kind == Column::Kind::codes) {
            const std::int32_t code = c.codes[r];
            if (code == -1) {
              missing();
              break;
            }
            if (code < -1 || static_cast<std::size_t>(code) >= c.n_categories) {
              row_fail(r, LK_ERR_INVALID_ARGUMENT,
                       at() + "code " + std::to_string(code) + " is out of range: " + code_range(c.n_categories));
              break;
            }
            const std::size_t slot = rb.first_category[i] + static_cast<std::size_t>(code);
            for (std::uint32_t e = rb.begin[slot]; e < rb.begin[slot + 1]; ++e) {
              const std::int32_t k = rb.entries[e];
              if (k >= 0) {
                f[k] = 1.0f;
              } else if (k == ResolvedBatch::kCodeMissing) {
                missing();
              } else {
                // Name the value as the string path would: the first unknown one.
                const std::string_view text(c.categories[code]);
                if (categorical) {
                  unknown_error(normalize_into(text, a.normalize, buf));
                } else {
                  for_each_tag(text, a.separator, [&](std::string_view tok) {
                    if (lookup(i, tok, a.normalize) < V) return true;
                    unknown_error(normalize_into(tok, a.normalize, buf));
                    return false;
                  });
                }
                break;
              }
            }
            break;
          }
          const char* s = c.strings[r];
          if (s == nullptr) {
            missing();
            break;
          }
          const std::string_view text(s);
          if (categorical) {
            // Trimmed and looked up as it is, lower-cased on the fly: no copy.
            const std::string_view v = trim(text);
            if (v.empty()) {
              missing();
              break;
            }
            put(v);
            break;
          }
          for_each_tag(text, a.separator, put);
          break;
        }
      }
    }
  }
  return err.status == LK_OK;
}

}  // namespace leadkit::engine
