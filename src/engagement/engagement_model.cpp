#include "engagement/engagement_model.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

#include "core/huge_pages.hpp"
#include "core/thread_pool.hpp"
#include "io/json_fields.hpp"
#include "kernels/isa.hpp"
#include "kernels/prefetch.hpp"

namespace leadkit::engine {

namespace {
constexpr double kLn2 = 0.69314718055994530942;
}  // namespace

const char* decay_kind_name(DecayKind k) noexcept {
  switch (k) {
    case DecayKind::none: return "none";
    case DecayKind::exponential: return "exponential";
    case DecayKind::linear: return "linear";
    case DecayKind::window: return "window";
  }
  return "none";
}

EngagementModel::EngagementModel(std::string name, std::vector<EventType> types,
                                 std::vector<PointsGroup> groups, float limit, bool floor_at_zero)
    : name_(std::move(name)),
      types_(std::move(types)),
      groups_(std::move(groups)),
      limit_(limit),
      floor_(floor_at_zero) {
  if (types_.empty()) fail(LK_ERR_INVALID_ARGUMENT, "types: an engagement model needs at least one event type");
  if (types_.size() > kMaxTypes)
    fail(LK_ERR_INVALID_ARGUMENT, "types: at most ", kMaxTypes, " event types, got ", types_.size());
  if (std::isnan(limit_) || limit_ < 0.0f)
    fail(LK_ERR_INVALID_ARGUMENT, "limit: must be >= 0 (or infinite for no limit), got ", limit_);
  if (groups_.size() > PointsModel::kMaxGroups)
    fail(LK_ERR_INVALID_ARGUMENT, "groups: at most ", PointsModel::kMaxGroups, " groups, got ", groups_.size());
  std::set<std::string> group_names;
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    const PointsGroup& grp = groups_[g];
    if (grp.name.empty()) fail(LK_ERR_INVALID_ARGUMENT, "groups[", g, "].name: is empty");
    if (!group_names.insert(grp.name).second)
      fail(LK_ERR_INVALID_ARGUMENT, "groups[", g, "]: duplicate group name '", grp.name, "'");
    if (std::isnan(grp.max) || grp.max < 0.0f)
      fail(LK_ERR_INVALID_ARGUMENT, "groups[", g, "].max: must be >= 0, got ", grp.max);
    if (std::isnan(grp.min) || grp.min > 0.0f)
      fail(LK_ERR_INVALID_ARGUMENT, "groups[", g, "].min: must be <= 0, got ", grp.min);
  }
  std::set<std::string> names;
  const std::size_t T = types_.size();
  vector_.assign(T, 0);
  ring_.assign(T, 0);
  coef_.assign(T, 0.0f);
  kpoints_.assign(T, 0.0f);
  needs_per_type_ = !groups_.empty();
  for (std::size_t t = 0; t < T; ++t) {
    const EventType& e = types_[t];
    if (e.name.empty()) fail(LK_ERR_INVALID_ARGUMENT, "types[", t, "].name: is empty");
    if (!names.insert(e.name).second)
      fail(LK_ERR_INVALID_ARGUMENT, "types[", t, "]: duplicate event type name '", e.name, "'");
    if (!std::isfinite(e.points)) fail(LK_ERR_NOT_FINITE, "types[", t, "].points: must be finite");
    switch (e.decay) {
      case DecayKind::none: break;
      case DecayKind::exponential:
        if (!std::isfinite(e.half_life) || e.half_life <= 0.0)
          fail(LK_ERR_INVALID_ARGUMENT, "types[", t, "].decay.half_life: must be a finite number of seconds > 0, got ", e.half_life);
        coef_[t] = static_cast<float>(-kLn2 / e.half_life);
        break;
      case DecayKind::linear:
      case DecayKind::window: {
        if (!std::isfinite(e.period) || e.period < 1.0)
          fail(LK_ERR_INVALID_ARGUMENT, "types[", t, "].decay.period: must be a finite number of seconds >= 1, got ", e.period);
        std::size_t k = 0;
        if (e.decay == DecayKind::linear) {
          if (!(e.percent > 0.0 && e.percent <= 100.0))
            fail(LK_ERR_INVALID_ARGUMENT, "types[", t, "].decay.percent: must be in (0, 100], got ", e.percent);
          // The first whole-period count at which 1 - percent/100 * k <= 0.
          while (k <= kMaxRing && 1.0 - e.percent / 100.0 * static_cast<double>(k) > 0.0) ++k;
          if (k > kMaxRing)
            fail(LK_ERR_INVALID_ARGUMENT, "types[", t, "].decay.percent: ", e.percent,
                 "% per period keeps points for more than ", kMaxRing, " periods; use a longer period");
        } else {
          if (e.periods < 1 || e.periods > static_cast<std::int64_t>(kMaxRing))
            fail(LK_ERR_INVALID_ARGUMENT, "types[", t, "].decay.periods: must be in [1, ", kMaxRing, "], got ", e.periods);
          k = static_cast<std::size_t>(e.periods);
        }
        ring_[t] = k;
        break;
      }
      default: fail(LK_ERR_INVALID_ARGUMENT, "types[", t, "].decay: unknown kind");
    }
    if (std::isnan(e.cap) || e.cap < 0.0f)
      fail(LK_ERR_INVALID_ARGUMENT, "types[", t, "].cap: must be >= 0 (or infinite), got ", e.cap);
    if (e.cap < kInf) needs_per_type_ = true;
    if (std::isnan(e.period_cap) || e.period_cap < 0.0f)
      fail(LK_ERR_INVALID_ARGUMENT, "types[", t, "].period_cap.points: must be >= 0, got ", e.period_cap);
    if (e.period_cap < kInf && (!std::isfinite(e.cap_period) || e.cap_period < 1.0))
      fail(LK_ERR_INVALID_ARGUMENT, "types[", t, "].period_cap.period: must be a finite number of seconds >= 1, got ", e.cap_period);
    if (e.count != CountMode::each && e.count != CountMode::once)
      fail(LK_ERR_INVALID_ARGUMENT, "types[", t, "].count: must be each or once");
    if (e.group < -1 || e.group >= static_cast<int>(groups_.size()))
      fail(LK_ERR_INVALID_ARGUMENT, "types[", t, "].group: ", e.group, " is not a group index");
    const bool simple_decay = e.decay == DecayKind::none || e.decay == DecayKind::exponential;
    if (simple_decay && !ordered_type(t)) {
      vector_[t] = 1;
      kpoints_[t] = e.points;
    }
  }
}

int EngagementModel::type_index(const std::string& name) const noexcept {
  for (std::size_t t = 0; t < types_.size(); ++t)
    if (types_[t].name == name) return static_cast<int>(t);
  return -1;
}

double EngagementModel::period_factor(std::size_t t, std::int64_t k) const noexcept {
  const EventType& e = types_[t];
  if (e.decay == DecayKind::window) return k < e.periods ? 1.0 : 0.0;
  const double f = 1.0 - e.percent / 100.0 * static_cast<double>(k);
  return f > 0.0 ? f : 0.0;
}

double EngagementModel::factor(std::size_t t, double ts, double as_of) const noexcept {
  const EventType& e = types_[t];
  switch (e.decay) {
    case DecayKind::none: return 1.0;
    case DecayKind::exponential: return std::exp2(-(as_of - ts) / e.half_life);
    case DecayKind::linear:
    case DecayKind::window:
      return period_factor(t, period_index(as_of, e.period) - period_index(ts, e.period));
  }
  return 1.0;
}

float EngagementModel::finish(const double* v, float* per_type) const noexcept {
  double gsum[PointsModel::kMaxGroups + 1];
  const std::size_t G = groups_.size();
  for (std::size_t g = 0; g <= G; ++g) gsum[g] = 0.0;
  for (std::size_t t = 0; t < types_.size(); ++t) {
    const double cap = types_[t].cap;
    const double x = std::min(std::max(v[t], -cap), cap);
    if (per_type != nullptr) per_type[t] = static_cast<float>(x);
    const int g = types_[t].group;
    gsum[g >= 0 ? static_cast<std::size_t>(g) : G] += x;
  }
  double total = gsum[G];
  for (std::size_t g = 0; g < G; ++g)
    total += std::min(std::max(gsum[g], static_cast<double>(groups_[g].min)),
                      static_cast<double>(groups_[g].max));
  total = std::min(total, static_cast<double>(limit_));
  if (floor_) total = std::max(total, 0.0);
  return static_cast<float>(total);
}

bool EngagementModel::screen(const EventView& ev, std::size_t b, std::size_t e, std::size_t n_leads,
                             double lo, double hi) const noexcept {
  return kernels::active().engagement_screen(ev.lead + b, ev.type + b, ev.time + b, ev.mult ? ev.mult + b : nullptr,
                                             e - b, n_leads, types_.size(), lo, hi);
}

void EngagementModel::validate(const EventView& ev, std::size_t n_leads, double as_of, bool stream,
                               double min_time, bool check_events) const {
  if (!std::isfinite(as_of)) fail(LK_ERR_NOT_FINITE, "as_of: must be a finite Unix time, got ", as_of);
  if (as_of < 0.0) fail(LK_ERR_INVALID_ARGUMENT, "as_of: ", as_of, " is before the Unix epoch");
  if (as_of > kMaxTime) fail(LK_ERR_INVALID_ARGUMENT, "as_of: ", as_of, " is not a plausible Unix time (seconds)");
  if (n_leads == 0) fail(LK_ERR_INVALID_ARGUMENT, "n_leads: must be at least 1");
  if (n_leads > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
    fail(LK_ERR_INVALID_ARGUMENT, "n_leads: ", n_leads, " exceeds the int32 lead index range");
  if (ev.n == 0) return;
  if (ev.lead == nullptr) fail(LK_ERR_NULL_POINTER, "lead: is NULL");
  if (ev.type == nullptr) fail(LK_ERR_NULL_POINTER, "type: is NULL");
  if (ev.time == nullptr) fail(LK_ERR_NULL_POINTER, "time: is NULL");
  const std::int32_t T = static_cast<std::int32_t>(types_.size());
  const std::int64_t N = static_cast<std::int64_t>(n_leads);
  const double lo = stream ? min_time : 0.0, hi = stream ? as_of : kMaxTime;
  if (!check_events) return;
  // A cheap vectorisable screen first; the exact culprit is searched only on failure.
  bool bad = false;
  for (std::size_t b = 0; b < ev.n && !bad; b += kScreenBlock)
    bad = !screen(ev, b, std::min(ev.n, b + kScreenBlock), n_leads, lo, hi);
  if (!bad) return;
  for (std::size_t i = 0; i < ev.n; ++i) {
    const std::int32_t l = ev.lead[i], t = ev.type[i];
    const double s = ev.time[i];
    if (l < 0 || static_cast<std::int64_t>(l) >= N)
      fail(LK_ERR_INVALID_ARGUMENT, "lead[", i, "]: lead index ", l, " is out of range [0, ", n_leads, ")");
    if (t < 0 || t >= T)
      fail(LK_ERR_INVALID_ARGUMENT, "type[", i, "]: unknown event type ", t, "; the model has ",
           T, " types (look names up with the type index function)");
    if (std::isnan(s) || std::isinf(s)) fail(LK_ERR_NOT_FINITE, "time[", i, "]: is not a finite Unix time");
    if (s < 0.0) fail(LK_ERR_INVALID_ARGUMENT, "time[", i, "]: ", s, " is before the Unix epoch");
    if (s > kMaxTime) fail(LK_ERR_INVALID_ARGUMENT, "time[", i, "]: ", s, " is not a plausible Unix time (seconds)");
    if (ev.mult != nullptr) {
      const float m = ev.mult[i];
      if (std::isnan(m) || std::isinf(m)) fail(LK_ERR_NOT_FINITE, "value[", i, "]: multiplier is not finite");
      if (m < 0.0f) fail(LK_ERR_INVALID_ARGUMENT, "value[", i, "]: multiplier ", m, " is negative");
    }
    if (stream && s < min_time)
      fail(LK_ERR_INVALID_ARGUMENT, "time[", i, "]: event at ", s,
           " is earlier than the state's last update (", min_time,
           "); an engagement state cannot go back in time (score late events in batch)");
    if (stream && s > as_of)
      fail(LK_ERR_INVALID_ARGUMENT, "time[", i, "]: event at ", s, " is later than as_of (", as_of,
           "); apply it with a later as_of");
  }
  fail(LK_ERR_INTERNAL, "events: screen and check disagree");
}

namespace {

// Zeroed float scratch for one call, from a buffer the calling thread keeps
// for its next call (one per Slot, up to kKeepBytes each). A page's first
// touch costs ~11 us on the benchmark VM (measured over 64 MiB of fresh
// pages), and when malloc handed out freshly mapped memory each call, batch
// decay of 20M events into 1M leads (16 MiB of sums: 4096 faults, ~45 ms)
// ran up to 6x slower; kept buffers are only zeroed (unless the caller zeroes
// them itself: the kernel pass does, range by range, in each range's task).
// A buffer in use is moved out of its slot, so a nested call allocates its own.
template <int Slot>
class ReusedScratch {
 public:
  static constexpr std::size_t kKeepBytes = std::size_t{64} << 20;
  // zero = false: the caller zeroes what it uses (a fresh buffer is zeroed
  // anyway).
  explicit ReusedScratch(std::size_t n, bool zero = true) : buf_(std::move(slot())) {
    if (buf_.size() < n) {
      buf_ = HugeVector<float>();
      buf_.resize(n, 0.0f);
    } else if (zero) {
      std::fill_n(buf_.data(), n, 0.0f);
    }
  }
  ~ReusedScratch() {
    if (buf_.size() * sizeof(float) <= kKeepBytes && buf_.size() > slot().size()) slot() = std::move(buf_);
  }
  ReusedScratch(const ReusedScratch&) = delete;
  ReusedScratch& operator=(const ReusedScratch&) = delete;
  float* data() noexcept { return buf_.data(); }

 private:
  static HugeVector<float>& slot() {
    thread_local HugeVector<float> s;
    return s;
  }
  HugeVector<float> buf_;
};

}  // namespace

void EngagementModel::score(const EventView& ev, std::size_t n_leads, double as_of,
                            const ExecOptions& exec, float* out_total, float* out_per_type) const {
  if (out_total == nullptr) fail(LK_ERR_NULL_POINTER, "out_total: is NULL");
  const std::size_t T = types_.size();
  bool all_vector = true;
  for (std::size_t t = 0; t < T; ++t) all_vector &= vector_[t] != 0;
  // When every type goes through the kernel pass, that pass screens each block
  // of events before using it (one read of the events instead of two; only
  // scratch sums are written before the screen has passed everything).
  validate(ev, n_leads, as_of, false, 0.0, !all_vector);
  const bool per_type = out_per_type != nullptr || needs_per_type_;
  const std::size_t stride = per_type ? T : 1;

  // Every allocation happens before the first output write. The kernel pass
  // (below) zeroes its sums inside its ranges, on the threads that fill them.
  bool any_vector = false, any_scalar = false;
  for (std::size_t t = 0; t < T; ++t) {
    if (vector_[t]) any_vector = true;
    else if (!ordered_type(t)) any_scalar = true;
  }
  const bool kernel_pass = any_vector && ev.n > 0;
  ReusedScratch<0> acc_buf(n_leads * stride, !kernel_pass);
  float* const acc = acc_buf.data();
  bool any_ordered = false;
  for (std::size_t t = 0; t < T; ++t) any_ordered |= ordered_type(t);
  // Events of types that need time order, sorted (validated above: !all_vector).
  const std::vector<OrderedEvent> ordered =
      any_ordered ? sort_ordered_events(*this, ev, n_leads, as_of) : std::vector<OrderedEvent>{};

  const auto& kernel = kernels::active();
  const float* kp = kpoints_.data();
  const float* cf = coef_.data();
  auto slot_of = [&](std::int32_t t) -> std::size_t { return per_type ? static_cast<std::size_t>(t) : 0; };

  // 1. Order-free types (none/exponential, each, no period cap): decay weights
  // from the SIMD kernel, scatter-added in one pass. The events are split into
  // K ranges fixed by the input size alone (never by the thread count); range k
  // adds into its own partial sums (range 0 into acc), and the partials are
  // combined per lead in range order. Every lead's sum is thus formed in the
  // same order whatever the number of threads: results are bit-identical.
  if (kernel_pass) {
    // Events per block: its weights (in registers, then a small buffer),
    // then its scatter. 128 ran 1.18x as fast as 256 (1 thread; 1.13x on 2,
    // 1.08x on AVX2; leadkit_ab, 16 rounds), 64 1.07x, 96-192 0.95-0.98x of
    // 128: a block's weights are then short enough for the core to overlap
    // them with the previous block's last updates still waiting on memory.
    constexpr std::size_t kBlock = 128;
    constexpr std::size_t kEventsPerRange = std::size_t{1} << 20;
    constexpr std::size_t kMaxPartialBytes = std::size_t{256} << 20;
    std::size_t K = std::min<std::size_t>(4, std::max<std::size_t>(1, ev.n / kEventsPerRange));
    while (K > 1 && (K - 1) * n_leads * stride * sizeof(float) > kMaxPartialBytes) --K;
    ReusedScratch<1> partial_buf((K - 1) * n_leads * stride, false);
    float* const partial = partial_buf.data();
    const unsigned threads = threads_for(exec.threads, ev.n, kEventsPerRange, K);
    const std::size_t per_range = (ev.n + K - 1) / K;
    std::vector<char> bad_range(K, 0);
    ThreadPool::instance().run(K, threads, [&](std::size_t k) {
      float* a = k == 0 ? acc : partial + (k - 1) * n_leads * stride;
      std::fill_n(a, n_leads * stride, 0.0f);
      const std::size_t i0 = std::min(ev.n, k * per_range), i1 = std::min(ev.n, i0 + per_range);
      float w[kBlock];
      for (std::size_t b = i0; b < i1; b += kBlock) {
        const std::size_t m = std::min(kBlock, i1 - b);
        // The block two ahead (a block is 2-2.5 KiB of events, so ~4-5 KiB
        // ahead), asked for now: the hardware prefetcher alone left the
        // screen waiting on memory.
        if (const std::size_t ahead = b + 2 * kBlock; ahead < i1) {
          const std::size_t am = std::min(kBlock, i1 - ahead);
          kernels::prefetch_span(ev.lead + ahead, am * sizeof(std::int32_t));
          kernels::prefetch_span(ev.type + ahead, am * sizeof(std::int32_t));
          kernels::prefetch_span(ev.time + ahead, am * sizeof(double));
          if (ev.mult != nullptr) kernels::prefetch_span(ev.mult + ahead, am * sizeof(float));
        }
        // The block's events checked as their weights are computed (when
        // every type goes through this pass; else they were checked above).
        const float* mult = ev.mult ? ev.mult + b : nullptr;
        if (all_vector) {
          if (!kernel.engagement_checked_weights(ev.lead + b, ev.type + b, ev.time + b, mult, m, n_leads, 0.0,
                                                 kMaxTime, as_of, as_of, cf, kp, T, w)) {
            bad_range[k] = 1;
            return;
          }
        } else {
          kernel.engagement_weights(ev.type + b, ev.time + b, mult, m, as_of, as_of, cf, kp, T, w);
        }
        const std::int32_t* L = ev.lead + b;
        const std::int32_t* Y = ev.type + b;
        // Weights of skipped events (other types, later than as_of) are +-0,
        // and x + +-0 == x bit for bit (a sum starting at +0 never becomes -0),
        // so adding them unconditionally equals skipping them.
        if (stride == 1) {
          for (std::size_t j = 0; j < m; ++j) {
            // Leads are random: fetch the sum 32 events ahead of its update.
            if (b + j + 32 < i1) __builtin_prefetch(a + ev.lead[b + j + 32], 1);
            a[static_cast<std::size_t>(L[j])] += w[j];
          }
        } else {
          for (std::size_t j = 0; j < m; ++j) {
            if (b + j + 32 < i1)
              __builtin_prefetch(a + static_cast<std::size_t>(ev.lead[b + j + 32]) * stride, 1);
            a[static_cast<std::size_t>(L[j]) * stride + static_cast<std::size_t>(Y[j])] += w[j];
          }
        }
      }
    });
    for (char bad : bad_range)
      if (bad) {
        validate(ev, n_leads, as_of);  // throws, naming the first bad event
        fail(LK_ERR_INTERNAL, "events: block screen and check disagree");
      }
    if (K > 1) {
      const std::size_t len = n_leads * stride;
      constexpr std::size_t kPerTask = std::size_t{1} << 16;
      const std::size_t n_tasks = (len + kPerTask - 1) / kPerTask;
      ThreadPool::instance().run(n_tasks, threads_for(exec.threads, len * K, 1U << 18, n_tasks),
                                 [&](std::size_t task) {
        const std::size_t j0 = task * kPerTask, j1 = std::min(len, j0 + kPerTask);
        for (std::size_t k = 1; k < K; ++k) {
          const float* p = partial + (k - 1) * len;
          for (std::size_t j = j0; j < j1; ++j) acc[j] += p[j];
        }
      });
    }
  }

  // 2. Linear and window types counted each time: order-free too, scalar.
  if (any_scalar) {
    for (std::size_t i = 0; i < ev.n; ++i) {
      const auto t = static_cast<std::size_t>(ev.type[i]);
      if (vector_[t] || ordered_type(t) || ev.time[i] > as_of) continue;
      const double p = static_cast<double>(types_[t].points) * static_cast<double>(ev.mult ? ev.mult[i] : 1.0f);
      acc[static_cast<std::size_t>(ev.lead[i]) * stride + slot_of(ev.type[i])] +=
          static_cast<float>(p * factor(t, ev.time[i], as_of));
    }
  }

  // 3. Period caps and count-once: each (lead, type)'s events in time order.
  std::size_t k = 0;
  while (k < ordered.size()) {
    const std::int32_t l = ordered[k].lead, ti = ordered[k].type;
    const auto t = static_cast<std::size_t>(ti);
    const EventType& e = types_[t];
    const double sign = e.points < 0.0f ? -1.0 : 1.0;
    std::size_t end = k;
    while (end < ordered.size() && ordered[end].lead == l && ordered[end].type == ti) ++end;
    float& slot = acc[static_cast<std::size_t>(l) * stride + slot_of(ti)];
    if (e.count == CountMode::once) {
      const OrderedEvent& o = ordered[end - 1];  // latest (largest on a tie)
      const double p = std::min(o.raw, static_cast<double>(e.period_cap));
      slot += static_cast<float>(sign * p * factor(t, o.time, as_of));
    } else {
      std::int64_t bucket = -1;
      double used = 0.0;
      for (std::size_t q = k; q < end; ++q) {
        const OrderedEvent& o = ordered[q];
        const std::int64_t b = period_index(o.time, e.cap_period);
        if (b != bucket) {
          bucket = b;
          used = 0.0;
        }
        const double take = std::min(o.raw, static_cast<double>(e.period_cap) - used);
        used += take;
        if (take > 0.0) slot += static_cast<float>(sign * take * factor(t, o.time, as_of));
      }
    }
    k = end;
  }

  // 4. Caps, groups, limit, floor per lead.
  constexpr std::size_t kLeadsPerTask = 1 << 15;
  const std::size_t n_tasks = (n_leads + kLeadsPerTask - 1) / kLeadsPerTask;
  const unsigned threads = threads_for(exec.threads, n_leads * stride, std::size_t{1} << 18, n_tasks);
  ThreadPool::instance().run(n_tasks, threads, [&](std::size_t task) {
    const std::size_t i0 = task * kLeadsPerTask, i1 = std::min(n_leads, i0 + kLeadsPerTask);
    if (!per_type) {
      for (std::size_t i = i0; i < i1; ++i) {
        double x = std::min(static_cast<double>(acc[i]), static_cast<double>(limit_));
        if (floor_) x = std::max(x, 0.0);
        out_total[i] = static_cast<float>(x);
      }
      return;
    }
    std::vector<double> v(T);
    for (std::size_t i = i0; i < i1; ++i) {
      for (std::size_t t = 0; t < T; ++t) v[t] = acc[i * T + t];
      out_total[i] = finish(v.data(), out_per_type ? out_per_type + i * T : nullptr);
    }
  });
}

std::vector<OrderedEvent> sort_ordered_events(const EngagementModel& model, const EventView& ev,
                                              std::size_t n_leads, double max_time) {
  const auto& types = model.types();
  std::vector<std::uint32_t> start(n_leads + 1, 0);
  std::size_t n = 0;
  for (std::size_t i = 0; i < ev.n; ++i)
    if (model.ordered_type(static_cast<std::size_t>(ev.type[i])) && ev.time[i] <= max_time) {
      ++start[static_cast<std::size_t>(ev.lead[i]) + 1];
      ++n;
    }
  if (n > std::numeric_limits<std::uint32_t>::max())
    fail(LK_ERR_INVALID_ARGUMENT, "events: more than 2^32 events of capped or count-once types in one call");
  for (std::size_t l = 0; l < n_leads; ++l) start[l + 1] += start[l];
  std::vector<OrderedEvent> out(n);
  std::vector<std::uint32_t> cur(start.begin(), start.end() - 1);
  for (std::size_t i = 0; i < ev.n; ++i) {
    const auto t = static_cast<std::size_t>(ev.type[i]);
    if (!model.ordered_type(t) || ev.time[i] > max_time) continue;
    const double raw = std::fabs(static_cast<double>(types[t].points) *
                                 static_cast<double>(ev.mult ? ev.mult[i] : 1.0f));
    out[cur[static_cast<std::size_t>(ev.lead[i])]++] = OrderedEvent{ev.lead[i], ev.type[i], ev.time[i], raw};
  }
  auto less = [](const OrderedEvent& a, const OrderedEvent& b) {
    if (a.type != b.type) return a.type < b.type;
    if (a.time != b.time) return a.time < b.time;
    return a.raw < b.raw;
  };
  for (std::size_t l = 0; l < n_leads; ++l)
    if (start[l + 1] - start[l] > 1) std::sort(out.begin() + start[l], out.begin() + start[l + 1], less);
  return out;
}

// ---------------------------------------------------------------------------
// JSON

namespace {

double positive_seconds(Fields& f, const char* key) {
  const double v = f.num(key);
  if (!std::isfinite(v) || v <= 0.0)
    fail(LK_ERR_INVALID_ARGUMENT, f.path(key), ": must be a positive number of seconds, got ", v);
  return v;
}

float cap_value(Fields& f, const char* key) {
  const double v = f.num(key);
  if (!(v >= 0.0)) fail(LK_ERR_INVALID_ARGUMENT, f.path(key), ": must be >= 0, got ", v);
  return static_cast<float>(v);
}

}  // namespace

EngagementModel engagement_model_from_json(const nlohmann::json& node, const std::string& path) {
  Fields f(node, path);
  const std::string name = f.has("name") ? f.str("name") : "engagement";
  std::map<std::string, int> group_index;
  const std::vector<PointsGroup> groups = points_groups_from_json(f, group_index);
  // Engagement caps bound a sum of recent activity from above and below 0.
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const std::string gpath = f.path("groups") + "[" + std::to_string(g) + "]";
    if (groups[g].max < 0.0f) fail(LK_ERR_INVALID_ARGUMENT, gpath, ".max: must be >= 0");
    if (groups[g].min > 0.0f) fail(LK_ERR_INVALID_ARGUMENT, gpath, ".min: must be <= 0");
  }
  std::vector<EventType> types;
  const json& ts = f.at("types");
  if (!ts.is_array()) fail(LK_ERR_INVALID_ARGUMENT, f.path("types"), ": expected an array");
  std::set<std::string> names;
  for (std::size_t t = 0; t < ts.size(); ++t) {
    const std::string tpath = f.path("types") + "[" + std::to_string(t) + "]";
    Fields tf(ts[t], tpath);
    EventType e;
    e.name = tf.str("name");
    if (e.name.empty()) fail(LK_ERR_INVALID_ARGUMENT, tf.path("name"), ": is empty");
    if (!names.insert(e.name).second)
      fail(LK_ERR_INVALID_ARGUMENT, tf.path("name"), ": duplicate event type name '", e.name, "'");
    e.points = static_cast<float>(tf.num("points"));
    if (!std::isfinite(e.points)) fail(LK_ERR_NOT_FINITE, tf.path("points"), ": must be finite");
    if (tf.has("decay")) {
      Fields df(tf.at("decay"), tf.path("decay"));
      const std::string kind = df.str("kind");
      if (kind == "none") {
        e.decay = DecayKind::none;
      } else if (kind == "exponential") {
        e.decay = DecayKind::exponential;
        e.half_life = positive_seconds(df, "half_life");
      } else if (kind == "linear") {
        e.decay = DecayKind::linear;
        e.percent = df.num("percent");
        if (!(e.percent > 0.0 && e.percent <= 100.0))
          fail(LK_ERR_INVALID_ARGUMENT, df.path("percent"), ": must be in (0, 100], got ", e.percent);
        e.period = positive_seconds(df, "period");
      } else if (kind == "window") {
        e.decay = DecayKind::window;
        e.period = positive_seconds(df, "period");
        e.periods = static_cast<std::int64_t>(df.count("periods"));
      } else {
        fail(LK_ERR_INVALID_ARGUMENT, df.path("kind"), ": '", kind,
             "' is not a decay kind (none, exponential, linear, window)");
      }
      df.reject_unknown();
    }
    if (tf.has("cap")) e.cap = cap_value(tf, "cap");
    if (tf.has("period_cap")) {
      Fields pf(tf.at("period_cap"), tf.path("period_cap"));
      e.period_cap = cap_value(pf, "points");
      e.cap_period = positive_seconds(pf, "period");
      pf.reject_unknown();
    }
    if (tf.has("count")) {
      const std::string c = tf.str("count");
      if (c == "each") e.count = CountMode::each;
      else if (c == "once") e.count = CountMode::once;
      else fail(LK_ERR_INVALID_ARGUMENT, tf.path("count"), ": '", c, "' must be \"each\" or \"once\"");
    }
    if (tf.has("group")) {
      const std::string g = tf.str("group");
      auto gi = group_index.find(g);
      if (gi == group_index.end())
        fail(LK_ERR_INVALID_ARGUMENT, tf.path("group"), ": '", g, "' is not a declared group");
      e.group = gi->second;
    }
    tf.reject_unknown();
    types.push_back(std::move(e));
  }
  float limit = EngagementModel::kInf;
  if (f.has("limit")) limit = cap_value(f, "limit");
  const bool floor = f.has("floor") ? f.boolean("floor") : false;
  f.reject_unknown();
  try {
    return EngagementModel(name, std::move(types), std::move(groups), limit, floor);
  } catch (const Error& err) {
    fail(err.status(), path, ".", err.what());
  }
}

EngagementModel engagement_model_from_json(const std::string& text) {
  return engagement_model_from_json(parse_json(text, "engagement model"), "engagement");
}

nlohmann::json engagement_model_to_json(const EngagementModel& model) {
  json j;
  j["name"] = model.name();
  json types = json::array();
  for (const EventType& e : model.types()) {
    json t;
    t["name"] = e.name;
    t["points"] = e.points;
    json d;
    d["kind"] = decay_kind_name(e.decay);
    if (e.decay == DecayKind::exponential) d["half_life"] = e.half_life;
    if (e.decay == DecayKind::linear) {
      d["percent"] = e.percent;
      d["period"] = e.period;
    }
    if (e.decay == DecayKind::window) {
      d["period"] = e.period;
      d["periods"] = e.periods;
    }
    t["decay"] = d;
    if (e.cap < EngagementModel::kInf) t["cap"] = e.cap;
    if (e.period_cap < EngagementModel::kInf)
      t["period_cap"] = json{{"points", e.period_cap}, {"period", e.cap_period}};
    t["count"] = e.count == CountMode::once ? "once" : "each";
    if (e.group >= 0) t["group"] = model.groups()[static_cast<std::size_t>(e.group)].name;
    types.push_back(t);
  }
  j["types"] = types;
  if (!model.groups().empty()) {
    json gs = json::array();
    for (const PointsGroup& g : model.groups()) {
      json gj{{"name", g.name}};
      if (g.max < EngagementModel::kInf) gj["max"] = g.max;
      if (g.min > -EngagementModel::kInf) gj["min"] = g.min;
      gs.push_back(gj);
    }
    j["groups"] = gs;
  }
  if (model.limit() < EngagementModel::kInf) j["limit"] = model.limit();
  j["floor"] = model.floor_at_zero();
  return j;
}

}  // namespace leadkit::engine
