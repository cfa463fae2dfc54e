#include "engagement/engagement_state.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <sstream>

#include <boost/archive/archive_exception.hpp>
#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>
#include <boost/crc.hpp>
#include <boost/serialization/array_wrapper.hpp>

#include "core/thread_pool.hpp"
#include "kernels/isa.hpp"

namespace leadkit::engine {

namespace {
constexpr double kAnchorSpan = 64.0;  // half-lives between re-anchorings
}  // namespace

EngagementState::EngagementState(std::shared_ptr<const EngagementModel> model, std::size_t n_leads)
    : model_(std::move(model)), n_leads_(n_leads) {
  if (!model_) fail(LK_ERR_NULL_POINTER, "model: is NULL");
  if (n_leads_ == 0) fail(LK_ERR_INVALID_ARGUMENT, "n_leads: must be at least 1");
  if (n_leads_ > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
    fail(LK_ERR_INVALID_ARGUMENT, "n_leads: ", n_leads_, " exceeds the int32 lead index range");
  const EngagementModel& m = *model_;
  types_.resize(m.n_types());
  for (std::size_t t = 0; t < m.n_types(); ++t) {
    const EventType& e = m.types()[t];
    TypeState& s = types_[t];
    if (e.decay == DecayKind::exponential && (min_half_life_ == 0.0 || e.half_life < min_half_life_))
      min_half_life_ = e.half_life;
    if (e.count == CountMode::once) {
      s.once_ts.assign(n_leads_, -1.0);
      s.once_raw.assign(n_leads_, 0.0);
      continue;
    }
    if (m.ring(t) > 0) {
      s.ring_idx.assign(n_leads_ * m.ring(t), -1);
      s.ring_sum.assign(n_leads_ * m.ring(t), 0.0);
    } else {
      s.sum.assign(n_leads_, 0.0);
    }
    if (e.period_cap < EngagementModel::kInf) {
      s.cap_idx.assign(n_leads_, -1);
      s.cap_used.assign(n_leads_, 0.0);
    }
  }
}

std::size_t EngagementState::bytes_per_lead() const noexcept {
  std::size_t b = 0;
  for (const TypeState& s : types_)
    b += (s.sum.size() + s.ring_idx.size() + s.ring_sum.size() + s.cap_idx.size() +
          s.cap_used.size() + s.once_ts.size() + s.once_raw.size()) * 8;
  return b / n_leads_;
}

void EngagementState::reanchor(double as_of) {
  if (min_half_life_ == 0.0 || (as_of - anchor_) / min_half_life_ <= kAnchorSpan) return;
  const double next = as_of - 0.5 * kAnchorSpan * min_half_life_;
  const EngagementModel& m = *model_;
  for (std::size_t t = 0; t < m.n_types(); ++t) {
    const EventType& e = m.types()[t];
    if (e.decay != DecayKind::exponential || types_[t].sum.empty()) continue;
    const double scale = std::exp2((anchor_ - next) / e.half_life);
    for (double& x : types_[t].sum) x *= scale;
  }
  anchor_ = next;
}

void EngagementState::add(std::size_t t, std::size_t lead, double ts, double p) {
  const EngagementModel& m = *model_;
  const EventType& e = m.types()[t];
  TypeState& s = types_[t];
  const std::size_t K = m.ring(t);
  if (K > 0) {
    const std::int64_t q = period_index(ts, e.period);
    const std::size_t slot = lead * K + static_cast<std::size_t>(q % static_cast<std::int64_t>(K));
    if (s.ring_idx[slot] == q) {
      s.ring_sum[slot] += p;
    } else if (s.ring_idx[slot] < q) {  // that bucket is K periods old: it can never count again
      s.ring_idx[slot] = q;
      s.ring_sum[slot] = p;
    }  // else this event's own bucket has already expired: it can never count
    return;
  }
  const double f = e.decay == DecayKind::exponential ? std::exp2((ts - anchor_) / e.half_life) : 1.0;
  s.sum[lead] += p * f;
}

void EngagementState::apply(const EventView& ev, double as_of) {
  const EngagementModel& m = *model_;
  if (std::isfinite(as_of) && as_of < now_)
    fail(LK_ERR_INVALID_ARGUMENT, "as_of: ", as_of, " is earlier than the state's last update (",
         now_, "); an engagement state cannot go back in time");
  m.validate(ev, n_leads_, as_of, true, now_);
  // Everything that can throw (allocation) happens before the first change.
  const std::size_t T = m.n_types();
  bool any_ordered = false, any_scalar = false, any_vector = false;
  for (std::size_t t = 0; t < T; ++t) {
    if (m.ordered_type(t)) any_ordered = true;
    else if (m.vector_type(t)) any_vector = true;
    else any_scalar = true;
  }
  const std::vector<OrderedEvent> ordered =
      any_ordered ? sort_ordered_events(m, ev, n_leads_, as_of) : std::vector<OrderedEvent>{};
  std::vector<double*> sums(T, nullptr);
  for (std::size_t t = 0; t < T; ++t)
    if (m.vector_type(t)) sums[t] = types_[t].sum.data();

  reanchor(as_of);

  if (any_vector) {
    constexpr std::size_t kBlock = 256;
    float w[kBlock];
    const auto& kernel = kernels::active();
    const float* kp = m.kernel_points();
    for (std::size_t b = 0; b < ev.n; b += kBlock) {
      const std::size_t n = std::min(kBlock, ev.n - b);
      kernel.engagement_weights(ev.type + b, ev.time + b, ev.mult ? ev.mult + b : nullptr, n,
                                anchor_, std::numeric_limits<double>::infinity(), m.coef(), kp, m.n_types(), w);
      const std::int32_t* L = ev.lead + b;
      const std::int32_t* Y = ev.type + b;
      for (std::size_t j = 0; j < n; ++j) {
        const std::size_t k = b + j + 32;  // leads are random: fetch ahead
        if (k < ev.n && sums[static_cast<std::size_t>(ev.type[k])] != nullptr)
          __builtin_prefetch(sums[static_cast<std::size_t>(ev.type[k])] + ev.lead[k], 1);
        if (kp[Y[j]] != 0.0f) sums[static_cast<std::size_t>(Y[j])][L[j]] += static_cast<double>(w[j]);
      }
    }
  }
  if (any_scalar) {
    for (std::size_t i = 0; i < ev.n; ++i) {
      const auto t = static_cast<std::size_t>(ev.type[i]);
      if (m.vector_type(t) || m.ordered_type(t)) continue;
      add(t, static_cast<std::size_t>(ev.lead[i]), ev.time[i],
          static_cast<double>(m.types()[t].points) * static_cast<double>(ev.mult ? ev.mult[i] : 1.0f));
    }
  }
  for (const OrderedEvent& o : ordered) {
    const auto t = static_cast<std::size_t>(o.type);
    const auto l = static_cast<std::size_t>(o.lead);
    const EventType& e = m.types()[t];
    TypeState& s = types_[t];
    if (e.count == CountMode::once) {
      if (o.time > s.once_ts[l] || (o.time == s.once_ts[l] && o.raw > s.once_raw[l])) {
        s.once_ts[l] = o.time;
        s.once_raw[l] = o.raw;
      }
      continue;
    }
    const std::int64_t bucket = period_index(o.time, e.cap_period);
    if (bucket != s.cap_idx[l]) {
      s.cap_idx[l] = bucket;
      s.cap_used[l] = 0.0;
    }
    const double take = std::min(o.raw, static_cast<double>(e.period_cap) - s.cap_used[l]);
    s.cap_used[l] += take;
    if (take > 0.0) add(t, l, o.time, e.points < 0.0f ? -take : take);
  }
  now_ = as_of;
}

void EngagementState::scores(double as_of, const ExecOptions& exec, float* out_total,
                             float* out_per_type) const {
  if (out_total == nullptr) fail(LK_ERR_NULL_POINTER, "out_total: is NULL");
  if (!std::isfinite(as_of)) fail(LK_ERR_NOT_FINITE, "as_of: must be a finite Unix time");
  if (as_of < now_)
    fail(LK_ERR_INVALID_ARGUMENT, "as_of: ", as_of, " is earlier than the state's last update (",
         now_, "); an engagement state cannot go back in time");
  const EngagementModel& m = *model_;
  const std::size_t T = m.n_types();
  std::vector<double> scale(T, 1.0);
  for (std::size_t t = 0; t < T; ++t)
    if (m.types()[t].decay == DecayKind::exponential)
      scale[t] = std::exp2((anchor_ - as_of) / m.types()[t].half_life);
  constexpr std::size_t kLeadsPerTask = 1 << 14;
  const std::size_t n_tasks = (n_leads_ + kLeadsPerTask - 1) / kLeadsPerTask;
  const unsigned threads = threads_for(exec.threads, n_leads_ * T, std::size_t{1} << 18, n_tasks);
  ThreadPool::instance().run(n_tasks, threads, [&](std::size_t task) {
    std::vector<double> v(T);
    const std::size_t i0 = task * kLeadsPerTask, i1 = std::min(n_leads_, i0 + kLeadsPerTask);
    for (std::size_t i = i0; i < i1; ++i) {
      for (std::size_t t = 0; t < T; ++t) {
        const EventType& e = m.types()[t];
        const TypeState& s = types_[t];
        double x = 0.0;
        if (e.count == CountMode::once) {
          if (s.once_ts[i] >= 0.0) {
            const double p = std::min(s.once_raw[i], static_cast<double>(e.period_cap));
            x = (e.points < 0.0f ? -p : p) * m.factor(t, s.once_ts[i], as_of);
          }
        } else if (const std::size_t K = m.ring(t); K > 0) {
          const std::int64_t qT = period_index(as_of, e.period);
          for (std::size_t k = 0; k < K; ++k) {
            const std::int64_t q = s.ring_idx[i * K + k];
            if (q >= 0) x += s.ring_sum[i * K + k] * m.period_factor(t, qT - q);
          }
        } else {
          x = s.sum[i] * scale[t];
        }
        v[t] = x;
      }
      out_total[i] = m.finish(v.data(), out_per_type ? out_per_type + i * T : nullptr);
    }
  });
}

// ---------------------------------------------------------------------------
// Serialization

namespace {

constexpr char kMagic[4] = {'L', 'K', 'E', 'S'};
constexpr std::uint16_t kEndianTag = 0x0102;
constexpr std::size_t kHeaderSize = 4 + 2 + 2 + 4 + 8;

template <class T, class A>
void save_array(boost::archive::binary_oarchive& ar, const std::vector<T, A>& v) {
  std::uint64_t n = v.size();
  ar << n;
  if (n) ar << boost::serialization::make_array(v.data(), v.size());
}

// Reads an array whose length the model fixes; the count is checked before anything is read.
template <class T, class A>
void load_array(boost::archive::binary_iarchive& ar, std::vector<T, A>& v, const char* what) {
  std::uint64_t n = 0;
  ar >> n;
  if (n != v.size())
    fail(LK_ERR_FORMAT, "engagement state: ", what, " holds ", n, " values where the model needs ",
         v.size(), " (corrupt or mismatched bytes)");
  if (n) ar >> boost::serialization::make_array(v.data(), v.size());
}

}  // namespace

template <class Archive>
void save_state(Archive& ar, const EngagementState& s) {
  const std::string model = engagement_model_to_json(*s.model_).dump();
  std::uint64_t len = model.size();
  ar << len;
  ar << boost::serialization::make_array(model.data(), model.size());
  std::uint64_t n = s.n_leads_;
  ar << n << s.now_ << s.anchor_;
  for (const auto& t : s.types_) {
    save_array(ar, t.sum);
    save_array(ar, t.ring_idx);
    save_array(ar, t.ring_sum);
    save_array(ar, t.cap_idx);
    save_array(ar, t.cap_used);
    save_array(ar, t.once_ts);
    save_array(ar, t.once_raw);
  }
}

template <class Archive>
void load_state(Archive& ar, EngagementState& s, std::size_t) {
  for (auto& t : s.types_) {
    load_array(ar, t.sum, "a sum array");
    load_array(ar, t.ring_idx, "a ring index array");
    load_array(ar, t.ring_sum, "a ring sum array");
    load_array(ar, t.cap_idx, "a period-cap index array");
    load_array(ar, t.cap_used, "a period-cap usage array");
    load_array(ar, t.once_ts, "a count-once time array");
    load_array(ar, t.once_raw, "a count-once points array");
  }
}

std::string EngagementState::serialize() const {
  std::ostringstream payload_stream(std::ios::binary);
  {
    boost::archive::binary_oarchive ar(payload_stream);
    save_state(ar, *this);
  }
  const std::string payload = payload_stream.str();
  boost::crc_32_type crc;
  crc.process_bytes(payload.data(), payload.size());
  const std::uint32_t c = crc.checksum();
  const std::uint64_t len = payload.size();
  std::string out(kHeaderSize, '\0');
  char* h = &out[0];
  std::memcpy(h, kMagic, 4);
  std::memcpy(h + 4, &kFormatVersion, 2);
  std::memcpy(h + 6, &kEndianTag, 2);
  std::memcpy(h + 8, &c, 4);
  std::memcpy(h + 12, &len, 8);
  out += payload;
  return out;
}

std::unique_ptr<EngagementState> EngagementState::deserialize(const void* data, std::size_t size) {
  if (data == nullptr) fail(LK_ERR_NULL_POINTER, "data: is NULL");
  const char* p = static_cast<const char*>(data);
  if (size < kHeaderSize)
    fail(LK_ERR_FORMAT, "engagement state: ", size, " bytes is shorter than the ", kHeaderSize,
         "-byte header (truncated)");
  if (std::memcmp(p, kMagic, 4) != 0)
    fail(LK_ERR_FORMAT, "engagement state: bad magic (not a leadkit engagement state)");
  std::uint16_t version = 0, endian = 0;
  std::uint32_t crc_expected = 0;
  std::uint64_t len = 0;
  std::memcpy(&version, p + 4, 2);
  std::memcpy(&endian, p + 6, 2);
  std::memcpy(&crc_expected, p + 8, 4);
  std::memcpy(&len, p + 12, 8);
  if (endian != kEndianTag)
    fail(LK_ERR_FORMAT, "engagement state: written on a machine of the other byte order");
  if (version == 0 || version > kFormatVersion)
    fail(LK_ERR_FORMAT, "engagement state: format version ", version,
         " is not supported (this build reads up to ", kFormatVersion, ")");
  if (len != size - kHeaderSize)
    fail(LK_ERR_FORMAT, "engagement state: header says ", len, " payload bytes but ",
         size - kHeaderSize, " follow (truncated or padded)");
  boost::crc_32_type crc;
  crc.process_bytes(p + kHeaderSize, len);
  if (crc.checksum() != crc_expected)
    fail(LK_ERR_FORMAT, "engagement state: CRC-32 mismatch (corrupt bytes)");
  try {
    std::istringstream in(std::string(p + kHeaderSize, len), std::ios::binary);
    boost::archive::binary_iarchive ar(in);
    std::uint64_t model_len = 0;
    ar >> model_len;
    if (model_len > len) fail(LK_ERR_FORMAT, "engagement state: model length ", model_len, " exceeds the payload");
    std::string model_json(model_len, '\0');
    if (model_len) ar >> boost::serialization::make_array(&model_json[0], model_len);
    std::uint64_t n_leads = 0;
    double now = 0.0, anchor = 0.0;
    ar >> n_leads >> now >> anchor;
    std::shared_ptr<const EngagementModel> model;
    try {
      model = std::make_shared<const EngagementModel>(engagement_model_from_json(model_json));
    } catch (const Error& e) {
      fail(LK_ERR_FORMAT, "engagement state: its model does not load: ", e.what());
    }
    if (n_leads == 0 || n_leads > static_cast<std::uint64_t>(std::numeric_limits<std::int32_t>::max()))
      fail(LK_ERR_FORMAT, "engagement state: lead count ", n_leads, " is out of range");
    // Check the arrays this lead count implies fit in the payload before allocating them.
    {
      const EngagementState probe(model, 1);
      if (probe.bytes_per_lead() != 0 && n_leads > len / probe.bytes_per_lead())
        fail(LK_ERR_FORMAT, "engagement state: ", n_leads, " leads need more bytes than the ",
             len, "-byte payload holds");
    }
    if (!std::isfinite(now) || now < 0.0 || !std::isfinite(anchor) || anchor < 0.0)
      fail(LK_ERR_FORMAT, "engagement state: clock values are not valid times");
    auto s = std::make_unique<EngagementState>(model, static_cast<std::size_t>(n_leads));
    s->now_ = now;
    s->anchor_ = anchor;
    load_state(ar, *s, 0);
    return s;
  } catch (const boost::archive::archive_exception& e) {
    fail(LK_ERR_FORMAT, "engagement state: corrupt archive: ", e.what());
  }
}

}  // namespace leadkit::engine
