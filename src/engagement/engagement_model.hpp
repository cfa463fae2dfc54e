// Behavioural (engagement) scoring: points per event type, decaying with the
// event's age, capped per type and per period, counted once or every time,
// then group caps, a total limit and an optional floor exactly as PointsModel
// does for fit. The exact semantics are in docs/ENGAGEMENT.md; in short, for
// an event of type t at time ts with multiplier m, scored as of time T:
//
//   raw points     p = points_t * m                    (m >= 0, default 1)
//   period cap     in each epoch-aligned period of cap_period seconds, events
//                  in time order fill |p| up to period_cap; the rest is cut
//   count once     only the latest event of the type counts
//   decay factor   none: 1; exponential: 2^(-(T - ts) / half_life);
//                  linear: max(0, 1 - percent/100 * k); window: k < periods,
//                  with k = floor(T / period) - floor(ts / period)
//   type value     clamp(sum of p * factor, -cap, cap)
//   score          floor0(min(limit, sum_g clamp(sum_{t in g} value_t, min_g, max_g)
//                                    + sum_{t ungrouped} value_t))
//
// Events later than T are ignored.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/exec.hpp"
#include "scoring/points_model.hpp"

namespace leadkit::engine {

enum class DecayKind : int { none = 0, exponential = 1, linear = 2, window = 3 };
enum class CountMode : int { each = 0, once = 1 };

const char* decay_kind_name(DecayKind k) noexcept;

struct EventType {
  std::string name;
  float points = 0.0f;  // per event (times its multiplier); negative allowed
  DecayKind decay = DecayKind::none;
  double half_life = 0.0;     // seconds (exponential)
  double period = 0.0;        // seconds (linear, window)
  double percent = 0.0;       // linear: percent lost per whole period, (0, 100]
  std::int64_t periods = 0;   // window: points expire after this many period boundaries
  float cap = std::numeric_limits<float>::infinity();         // on |decayed sum|
  float period_cap = std::numeric_limits<float>::infinity();  // on |raw points| per period
  double cap_period = 0.0;    // seconds; required with period_cap
  CountMode count = CountMode::each;
  int group = -1;             // index into groups, or -1
};

// A batch of events as parallel arrays (caller memory, not owned).
struct EventView {
  const std::int32_t* lead = nullptr;
  const std::int32_t* type = nullptr;
  const double* time = nullptr;  // Unix seconds
  const float* mult = nullptr;   // optional (nullptr = 1 for every event)
  std::size_t n = 0;
};

class EngagementModel {
 public:
  static constexpr std::size_t kMaxTypes = 1024;
  static constexpr std::size_t kMaxRing = 4096;  // periods a linear/window type may span
  static constexpr double kMaxTime = 1e15;       // ~31 million years: keeps float ages finite

  EngagementModel(std::string name, std::vector<EventType> types, std::vector<PointsGroup> groups,
                  float limit, bool floor_at_zero);

  const std::string& name() const noexcept { return name_; }
  std::size_t n_types() const noexcept { return types_.size(); }
  const std::vector<EventType>& types() const noexcept { return types_; }
  const std::vector<PointsGroup>& groups() const noexcept { return groups_; }
  float limit() const noexcept { return limit_; }
  bool floor_at_zero() const noexcept { return floor_; }

  // Index of a type by name, or -1.
  int type_index(const std::string& name) const noexcept;

  // Checks every event (lead < n_leads, known type, finite time >= 0, finite
  // multiplier >= 0) and as_of; throws naming the first bad event. A state
  // also needs every time in [min_time, as_of] (stream = true).
  void validate(const EventView& ev, std::size_t n_leads, double as_of, bool stream = false,
                double min_time = 0.0, bool check_events = true) const;
  // Whether events [b, e) pass every check (times within [lo, hi]); no detail.
  // e - b must be at most kScreenBlock.
  static constexpr std::size_t kScreenBlock = std::size_t{1} << 20;
  bool screen(const EventView& ev, std::size_t b, std::size_t e, std::size_t n_leads, double lo,
              double hi) const noexcept;

  // Scores events as of `as_of` into out_total[n_leads] and, if not null,
  // out_per_type[n_leads * n_types] (each type's value after its cap). Events
  // later than as_of are ignored. Nothing is written if an event is invalid.
  void score(const EventView& ev, std::size_t n_leads, double as_of, const ExecOptions& exec,
             float* out_total, float* out_per_type) const;

  // --- used by EngagementState and the batch scorer ---

  // Whether a type is decayed by the SIMD kernel (none/exponential, counted
  // each time, no period cap): its events are order-free sums.
  bool vector_type(std::size_t t) const noexcept { return vector_[t] != 0; }
  // Whether a type needs its events in time order (period cap or count once).
  bool ordered_type(std::size_t t) const noexcept {
    return types_[t].count == CountMode::once || types_[t].period_cap < kInf;
  }
  // Ring length of a linear/window type (periods with a non-zero factor), else 0.
  std::size_t ring(std::size_t t) const noexcept { return ring_[t]; }
  const float* coef() const noexcept { return coef_.data(); }           // -ln2/half_life or 0
  const float* kernel_points() const noexcept { return kpoints_.data(); }  // 0 for non-vector types

  // Decay factor of an event at ts read at as_of >= ts.
  double factor(std::size_t t, double ts, double as_of) const noexcept;
  // Linear/window factor for k whole periods.
  double period_factor(std::size_t t, std::int64_t k) const noexcept;

  // Applies the type caps, groups, limit and floor to per-type sums v[n_types];
  // writes the capped type values to per_type (if not null); returns the score.
  float finish(const double* v, float* per_type) const noexcept;

  // Whether finish() needs per-type sums (type caps or groups), or only their total.
  bool needs_per_type() const noexcept { return needs_per_type_; }

  static constexpr float kInf = std::numeric_limits<float>::infinity();

 private:
  std::string name_;
  std::vector<EventType> types_;
  std::vector<PointsGroup> groups_;
  float limit_;
  bool floor_;
  std::vector<char> vector_;
  std::vector<std::size_t> ring_;
  std::vector<float> coef_;
  std::vector<float> kpoints_;
  bool needs_per_type_ = false;
};

// An event of a type that needs time order (period cap or count once).
struct OrderedEvent {
  std::int32_t lead;
  std::int32_t type;
  double time;
  double raw;  // |points * multiplier|
};

// The events of ordered types with time <= max_time, sorted by (lead, type,
// time, raw): a counting sort by lead, then a small sort within each lead.
// Events equal in all four count the same, so their order does not matter.
std::vector<OrderedEvent> sort_ordered_events(const EngagementModel& model, const EventView& ev,
                                              std::size_t n_leads, double max_time);

// floor(x / period) as an integer (x >= 0).
inline std::int64_t period_index(double x, double period) noexcept {
  return static_cast<std::int64_t>(x / period);
}

// JSON form (see docs/ENGAGEMENT.md). `path` prefixes every error message
// ("scorecard.engagement"): "scorecard.engagement.types[2].decay.half_life: ...".
EngagementModel engagement_model_from_json(const nlohmann::json& node, const std::string& path);
EngagementModel engagement_model_from_json(const std::string& text);
nlohmann::json engagement_model_to_json(const EngagementModel& model);

}  // namespace leadkit::engine
