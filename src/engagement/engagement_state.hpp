// Streaming engagement: each lead's running per-type sums, so a product feeds
// events as they arrive and reads current scores at any time without replaying
// history. Reads equal EngagementModel::score over the same events (within
// float rounding), caps and windows included; see docs/ENGAGEMENT.md.
//
// Time only moves forward: the state has a clock `now` (the as_of of the last
// apply). apply(events, as_of) needs now <= every event time <= as_of, and
// scores(as_of) needs as_of >= now. A rejected call leaves the state as it was.
//
// How each type is held, per lead (exact, no replay):
//   none / exponential, counted each time: one double, S = sum p * 2^((ts - A) / h)
//     against a state-wide anchor time A, re-anchored (all S rescaled) when
//     as_of - A exceeds 64 of the shortest half-life; read S * 2^((A - T) / h).
//   linear / window: a ring of K (period index, sum) buckets, K = the number
//     of whole periods with a non-zero factor (ceil(100/percent), or periods);
//     a bucket K periods old can never count again and is overwritten.
//   period cap: + the current cap period's index and the points used in it.
//   count once: the latest event's time and raw points.
// Memory per lead: sum over types of 8 bytes (none/exponential), 16*K bytes
// (linear/window), +16 bytes (period cap); once: 16 bytes.
//
// Not thread-safe for writers: one writer at a time, and no reads during a
// write. Concurrent reads (scores) of an unchanging state are safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/huge_pages.hpp"
#include "engagement/engagement_model.hpp"

namespace leadkit::engine {

class EngagementState {
 public:
  EngagementState(std::shared_ptr<const EngagementModel> model, std::size_t n_leads);

  const EngagementModel& model() const noexcept { return *model_; }
  std::shared_ptr<const EngagementModel> model_ptr() const noexcept { return model_; }
  std::size_t n_leads() const noexcept { return n_leads_; }
  double now() const noexcept { return now_; }
  std::size_t bytes_per_lead() const noexcept;

  // Applies events (validated first; nothing applied on error) and moves the clock to as_of.
  void apply(const EventView& ev, double as_of);

  // Scores every lead as of as_of (>= now) into out_total[n_leads] and, if not
  // null, out_per_type[n_leads * n_types].
  void scores(double as_of, const ExecOptions& exec, float* out_total, float* out_per_type) const;

  // Byte image: header (magic "LKES", format version, endianness tag, payload
  // length, CRC-32) + a Boost.Serialization binary archive holding the model's
  // JSON and every array. deserialize() throws LK_ERR_FORMAT on any bad byte.
  std::string serialize() const;
  static std::unique_ptr<EngagementState> deserialize(const void* data, std::size_t size);

  static constexpr std::uint16_t kFormatVersion = 1;

 private:
  // Per-lead arrays, updated at random leads: huge pages (core/huge_pages.hpp).
  struct TypeState {
    HugeVector<double> sum;            // none / exponential, each
    HugeVector<std::int64_t> ring_idx; // linear / window: n_leads * K
    HugeVector<double> ring_sum;
    HugeVector<std::int64_t> cap_idx;  // period cap
    HugeVector<double> cap_used;
    HugeVector<double> once_ts;        // count once (-1 = no event yet)
    HugeVector<double> once_raw;
  };
  template <class Archive> friend void save_state(Archive&, const EngagementState&);
  template <class Archive> friend void load_state(Archive&, EngagementState&, std::size_t);

  void add(std::size_t t, std::size_t lead, double ts, double p);  // p after caps
  void reanchor(double as_of);

  std::shared_ptr<const EngagementModel> model_;
  std::size_t n_leads_;
  double now_ = 0.0;
  double anchor_ = 0.0;
  double min_half_life_ = 0.0;  // 0 = no exponential type
  std::vector<TypeState> types_;
};

}  // namespace leadkit::engine
