#include "scoring/scorecard.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "core/aligned.hpp"
#include "core/thread_pool.hpp"
#include "io/schema_json.hpp"
#include "kernels/isa.hpp"
#include "kernels/prefetch.hpp"
#include "persona/persona_json.hpp"

namespace leadkit::engine {

namespace {

// Rows encoded and scored together: the tile's features (64 x D floats) and
// dot products stay in L1/L2 between the two steps.
constexpr std::size_t kTile = 64;
// Rows per pool task (stream_task_rows): 2048 to 16384. At N = 2M on 2
// threads, tasks of 16384 rows scored 1.10x faster than tasks of 2048
// (same-run A/B, 4 rounds; 65536 gained nothing more), while batches below
// 128k rows keep tasks of 2048 so that both threads get work.
constexpr std::size_t kMinRowsPerTask = 2048, kMaxRowsPerTask = 16384;

constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

}  // namespace

// Per-thread buffers, grown on first use and kept: scoring a lead (or a
// batch) in steady state allocates nothing.
struct Scorecard::Scratch {
  // 64-byte aligned: the kernels move them in whole vectors.
  AlignedVector<float> features, sums, tile_sums, z, weights, kernel_scratch, fits, persona_scratch, lanes;
  std::vector<std::int32_t> persona_best;
  ResolvedBatch resolved;
  std::string buf;
  EncodeError err;
  // The tile epilogue's description, every field assigned per tile: a fresh
  // TileFinish is zero-filled with `rep stosq`, whose start-up cost was ~8%
  // of scoring a single lead.
  kernels::TileFinish finish;

  void fit(std::size_t d, std::size_t n_sums, std::size_t kscratch, std::size_t n_fit) {
    const std::size_t L = kernels::active().lanes;
    if (lanes.size() < L * ((d + L - 1) / L * L)) lanes.resize(L * ((d + L - 1) / L * L));
    if (fits.size() < n_fit * kTile) fits.resize(n_fit * kTile);
    if (tile_sums.size() < n_sums * kTile) tile_sums.resize(n_sums * kTile);
    if (persona_scratch.size() < kernels::kPersonaScratchRows * d) persona_scratch.resize(kernels::kPersonaScratchRows * d);
    if (features.size() < kTile * d) features.resize(kTile * d);
    if (sums.size() < n_sums) sums.resize(n_sums);
    if (z.size() < kTile) z.resize(kTile);
    if (persona_best.size() < kTile) persona_best.resize(kTile);
    if (weights.size() < d) weights.resize(d);
    if (kernel_scratch.size() < kscratch) kernel_scratch.resize(kscratch);
  }
  static Scratch& local() {
    thread_local Scratch s;
    return s;
  }
};

Scorecard::Scorecard(std::string name, Schema schema, std::vector<PointsModel> fit,
                     std::size_t primary, std::vector<std::size_t> total,
                     std::optional<LogisticModel> logistic, std::optional<Grader> grader,
                     std::shared_ptr<const EngagementModel> engagement, std::optional<PersonaSet> personas)
    : name_(std::move(name)),
      schema_(std::move(schema)),
      fit_(std::move(fit)),
      primary_(primary),
      total_(std::move(total)),
      logistic_(std::move(logistic)),
      grader_(std::move(grader)),
      engagement_(std::move(engagement)),
      personas_(std::move(personas)) {
  if (name_.empty()) fail(LK_ERR_INVALID_ARGUMENT, "name: is empty");
  if (fit_.empty()) fail(LK_ERR_INVALID_ARGUMENT, "fit: a scorecard needs at least one fit (points) model");
  if (primary_ >= fit_.size())
    fail(LK_ERR_INVALID_ARGUMENT, "primary: ", primary_, " is out of range for ", fit_.size(), " fit models");
  if (total_.empty()) total_.push_back(primary_);
  for (std::size_t i = 0; i < total_.size(); ++i) {
    if (total_[i] >= fit_.size())
      fail(LK_ERR_INVALID_ARGUMENT, "total[", i, "]: ", total_[i], " is out of range for ", fit_.size(), " fit models");
    for (std::size_t j = 0; j < i; ++j)
      if (total_[j] == total_[i]) fail(LK_ERR_INVALID_ARGUMENT, "total[", i, "]: fit model ", total_[i], " is listed twice");
  }
  const std::size_t D = schema_.n_features();
  std::set<std::string> names;
  for (std::size_t m = 0; m < fit_.size(); ++m) {
    if (fit_[m].n_features() != D)
      fail(LK_ERR_DIMENSION_MISMATCH, "fit[", m, "]: has ", fit_[m].n_features(), " features but the schema has ", D);
    if (!names.insert(fit_[m].name()).second)
      fail(LK_ERR_INVALID_ARGUMENT, "fit[", m, "]: duplicate fit score name '", fit_[m].name(), "'");
  }
  if (personas_ && personas_->n_features() != D)
    fail(LK_ERR_DIMENSION_MISMATCH, "personas: have ", personas_->n_features(), " features but the schema has ", D);
  if (logistic_ && logistic_->n_features() != D)
    fail(LK_ERR_DIMENSION_MISMATCH, "logistic: has ", logistic_->n_features(), " weights but the schema has ", D,
         " features");
  if (schema_.needs_fit() && !schema_.fitted())
    fail(LK_ERR_INVALID_ARGUMENT,
         "schema: has learned parts (median, standardize or a \"learn\" vocabulary) and is not fitted; fit it "
         "on training leads and put the fitted schema (Schema.to_json()) in the scorecard");

  read_by_fit_.assign((D + 63) / 64, 0);
  for (const PointsModel& m : fit_) {
    n_sums_ += m.n_sums();
    const kernels::PointsProgram p = m.program();
    for (std::uint32_t t = 0; t < p.term_end[p.n_sums]; ++t)
      read_by_fit_[p.feature[t] / 64] |= std::uint64_t{1} << (p.feature[t] % 64);
  }
}

void Scorecard::check_output(const ScorecardOutput& out, const float* engagement, std::size_t n) const {
  if (!out.fit && !out.total && !out.probability && !out.grade && !out.stage && out.k == 0 && !out.persona &&
      !out.persona_similarity)
    fail(LK_ERR_INVALID_ARGUMENT, "output: asks for nothing; set at least one output array");
  if ((out.persona || out.persona_similarity) && !personas_)
    fail(LK_ERR_INVALID_ARGUMENT, out.persona ? "output.persona" : "output.persona_similarity",
         ": the scorecard has no personas");
  if (out.probability && !logistic_)
    fail(LK_ERR_INVALID_ARGUMENT, "output.probability: the scorecard has no logistic model");
  if ((out.grade || out.stage) && !grader_)
    fail(LK_ERR_INVALID_ARGUMENT, out.stage ? "output.stage" : "output.grade", ": the scorecard has no grader");
  if (out.grade && grader_ && grader_->grades().empty())
    fail(LK_ERR_INVALID_ARGUMENT, "output.grade: the scorecard's grader has no grades");
  if (out.k > 0) {
    if (!out.reason_rules) fail(LK_ERR_NULL_POINTER, "output.reason_rules: is NULL with k = ", out.k);
    if (!out.reason_points) fail(LK_ERR_NULL_POINTER, "output.reason_points: is NULL with k = ", out.k);
  }
  if (engagement) {
    for (std::size_t i = 0; i < n; ++i)
      if (!std::isfinite(engagement[i]))
        fail(LK_ERR_NOT_FINITE, "engagement[", i, "]: is ", engagement[i], "; engagement scores must be finite");
  }
}

std::size_t Scorecard::score_tile(const float* X, std::size_t stride, std::size_t r0, std::size_t r1,
                                  const float* engagement, const ScorecardOutput& out, Scratch& s, bool streamed,
                                  const float* next, std::size_t next_rows) const {
  const auto& kernel = kernels::active();
  const std::size_t rows = r1 - r0, D = schema_.n_features(), n_fit = fit_.size(), k = out.k;
  // Every fit score of the tile, rows as lanes: fits[m * kTile + i]. The
  // primary model keeps its group sums (tile_sums[g * kTile + i]) when
  // reasons are wanted.
  float* fits = s.fits.data();
  float* tile_sums = s.tile_sums.data();
  const std::size_t L = kernel.lanes;
  if (rows >= L / 2) {
    // Blocks of L rows transposed once (rows as lanes) for the logistic dot
    // product and every fit model: no gather, no horizontal sum per row, and
    // the same bits as LogisticModel (dot) and PointsModel (sums) per row.
    float* T = s.lanes.data();
    // Rows ~6 KiB ahead (into the next tile at the end of this one) are
    // prefetched block by block, so memory reads overlap the compute. When
    // the rows stream from memory and nothing reads them again (no reasons,
    // no persona), the requests are non-temporal: 1.00-1.06x on one thread
    // (median of five A/Bs 1.03x) and 1.04-1.05x on two at N = 2M
    // (leadkit_ab ... scorecard, 12-24 rounds), but 0.98-0.99x over leads
    // already in cache; with reasons, whose explain pass re-reads the rows,
    // and for records encoded into a buffer in cache, ordinary ones.
    const bool once = streamed && k == 0 && !(out.persona || out.persona_similarity);
    // Forced inline: GCC deletes calls to an out-of-line function that only
    // prefetches (kernels/prefetch.hpp; tests/abi/check_prefetch.sh).
    auto ask = [once, stride, D](const float* p, std::size_t n) __attribute__((always_inline)) {
      if (once)
        kernels::prefetch_rows<true>(p, stride, n, D);
      else
        kernels::prefetch_rows(p, stride, n, D);
    };
    const std::size_t ahead = std::max(L, kernels::rows_ahead(stride * sizeof(float)));
    for (std::size_t i = 0; i < rows; i += L) {
      const std::size_t a0 = i + ahead, a1 = i + ahead + L;  // rows to ask for, counted from X
      if (a0 < rows) ask(X + a0 * stride, std::min(a1, rows) - a0);
      if (a1 > rows) {
        const std::size_t b0 = a0 > rows ? a0 - rows : 0, b1 = std::min(a1 - rows, next_rows);
        if (b0 < b1) ask(next + b0 * stride, b1 - b0);
      }
      // The logistic dot product is taken as the block is transposed; only
      // the columns the fit models read go to T.
      kernel.lanes_block(X + i * stride, stride, std::min(L, rows - i), D,
                         logistic_ ? logistic_->weights().data() : nullptr, read_by_fit_.data(), T, s.z.data() + i);
      for (std::size_t m = 0; m < n_fit; ++m) {
        const bool keep = m == primary_ && k > 0;
        kernel.points_lanes(T, 0, fit_[m].program(), keep ? tile_sums + i : nullptr, kTile, fits + m * kTile + i);
      }
    }
  } else {
    // A lead or two: row by row (the same bits).
    if (logistic_) kernel.multi_dot_rows(X, 0, rows, stride, logistic_->weights().data(), 1, D, s.z.data());
    for (std::size_t m = 0; m < n_fit; ++m) {
      const bool keep = m == primary_ && k > 0;
      fit_[m].score_rows_scalar(X, stride, rows, keep ? tile_sums : nullptr, kTile, fits + m * kTile);
    }
  }
  // Then one vector pass finishes the tile: probability, total, grade and
  // stage, the checks that every score is finite, and the stores.
  kernels::TileFinish& f = s.finish;
  f.rows = rows;
  f.z = logistic_ ? s.z.data() : nullptr;
  f.intercept = logistic_ ? logistic_->intercept() : 0.0f;
  f.fits = fits;
  f.fits_ld = kTile;
  f.n_fit = n_fit;
  f.total = total_.data();
  f.n_total = total_.size();
  f.primary = primary_;
  f.engagement = engagement ? engagement + r0 : nullptr;
  if (grader_) {
    grader_->describe(f);
  } else {
    f.stage_min = f.grade_min = nullptr;
    f.n_stage_min = f.n_grade_min = f.n_stages = 0;
    f.grades = false;
    f.matrix = nullptr;
  }
  f.probability = out.probability ? out.probability + r0 : nullptr;
  f.fit = out.fit ? out.fit + r0 * n_fit : nullptr;
  f.total_out = out.total ? out.total + r0 : nullptr;
  f.stage = out.stage ? out.stage + r0 : nullptr;
  f.grade = out.grade ? out.grade + r0 : nullptr;
  // The first lead whose score or features are not finite, if any: the
  // call then fails naming it, and every output is overwritten.
  std::size_t bad = r1;
  if (const std::size_t b = kernel.finish_tile(f); b != rows) bad = r0 + b;
  if (k > 0 && bad == r1) {
    // The primary score's reasons, lead by lead (explain() reads a lead's
    // group sums side by side).
    const PointsModel& pm = fit_[primary_];
    float* sums = s.sums.data();
    for (std::size_t i = 0; i < rows; ++i) {
      for (std::size_t g = 0; g < pm.n_sums(); ++g) sums[g] = tile_sums[g * kTile + i];
      pm.explain(X + i * stride, sums, k, s.weights.data(), s.kernel_scratch.data(), out.reason_rules + (r0 + i) * k,
                 out.reason_points + (r0 + i) * k);
    }
  }
  if (out.persona || out.persona_similarity) {
    // The tile's best persona per lead: the persona kernel over rows in cache.
    kernels::PersonaOut po;
    po.k = 1;
    po.min_similarity = personas_->min_similarity();
    // The kernel writes best for every row; without a caller array it goes to scratch.
    po.best = out.persona ? out.persona + r0 : s.persona_best.data();
    po.similarity = out.persona_similarity ? out.persona_similarity + r0 : nullptr;
    po.scratch = s.persona_scratch.data();
    if (const std::size_t b = kernel.persona_rows(X, stride, 0, rows, personas_->panel(), po); b != rows)
      bad = std::min(bad, r0 + b);
  }
  return bad;
}

template <typename Tile>
void Scorecard::run(std::size_t n, const ExecOptions& exec, const ScorecardOutput& out, Tile&& tile) const {
  const std::size_t D = schema_.n_features();
  const std::size_t kscratch = fit_[primary_].scratch_size();
  struct TaskError {
    std::size_t row = kNone;
    EncodeError encode;  // status LK_OK: the row's score is not finite
  };
  const std::size_t per_task = stream_task_rows(n, kMinRowsPerTask, kMaxRowsPerTask, kMinRowsPerTask);
  auto do_task = [&](std::size_t t, TaskError& te) {
    Scratch& s = Scratch::local();
    s.fit(D, n_sums_, kscratch, fit_.size());
    const std::size_t r0 = t * per_task, r1 = std::min(n, r0 + per_task);
    for (std::size_t b = r0; b < r1; b += kTile) {
      const std::size_t e = std::min(r1, b + kTile);
      s.err.status = LK_OK;
      const std::size_t bad = tile(b, e, s);
      if (s.err.status != LK_OK) {
        te.row = s.err.row;
        te.encode = s.err;
        return;
      }
      if (bad != e) {
        te.row = bad;
        return;
      }
    }
  };

  const std::size_t n_tasks = (n + per_task - 1) / per_task;
  TaskError first;
  if (n_tasks == 1) {
    do_task(0, first);  // small batches and single leads: no pool, no allocation
  } else {
    std::vector<TaskError> errors(n_tasks);
    const unsigned threads = threads_for(exec.threads, n * (D + n_sums_ * 4), std::size_t{1} << 18, n_tasks);
    ThreadPool::instance().run(n_tasks, threads, [&](std::size_t t) { do_task(t, errors[t]); });
    for (TaskError& e : errors)
      if (e.row != kNone) {
        first = std::move(e);
        break;
      }
  }
  if (first.row == kNone) return;

  // Never leave a mix of scored and stale leads behind.
  const float nan = std::numeric_limits<float>::quiet_NaN();
  if (out.fit) std::fill(out.fit, out.fit + n * fit_.size(), nan);
  if (out.total) std::fill(out.total, out.total + n, nan);
  if (out.probability) std::fill(out.probability, out.probability + n, nan);
  if (out.grade) std::fill(out.grade, out.grade + n, -1);
  if (out.stage) std::fill(out.stage, out.stage + n, -1);
  if (out.k > 0) {
    std::fill(out.reason_rules, out.reason_rules + n * out.k, -1);
    std::fill(out.reason_points, out.reason_points + n * out.k, nan);
  }
  if (out.persona) std::fill(out.persona, out.persona + n, -1);
  if (out.persona_similarity) std::fill(out.persona_similarity, out.persona_similarity + n, nan);
  if (first.encode.status != LK_OK) throw Error(first.encode.status, first.encode.message);
  fail(LK_ERR_NOT_FINITE, "lead ", first.row,
       ": its score is not finite (a NaN or infinite feature, or points that overflow float32)");
}

void Scorecard::score(const LeadBatch& batch, const float* engagement, const ExecOptions& exec,
                      const ScorecardOutput& out) const {
  // The calling thread's scratch holds the resolved columns (and the
  // categories of code columns, looked up once); the other threads only read
  // them.
  Scratch& me = Scratch::local();
  schema_.resolve(batch, me.resolved);
  check_output(out, engagement, batch.rows());
  const ResolvedBatch& resolved = me.resolved;
  const std::size_t D = schema_.n_features();
  run(batch.rows(), exec, out, [&](std::size_t r0, std::size_t r1, Scratch& s) -> std::size_t {
    if (!schema_.encode_rows(resolved, r0, r1, s.features.data(), D, s.buf, s.err)) return r0;
    return score_tile(s.features.data(), D, r0, r1, engagement, out, s);
  });
}

void Scorecard::score_features(const FeatureView& X, const float* engagement, const ExecOptions& exec,
                               const ScorecardOutput& out) const {
  X.validate("X", schema_.n_features());
  check_output(out, engagement, X.rows);
  run(X.rows, exec, out, [&](std::size_t r0, std::size_t r1, Scratch& s) -> std::size_t {
    // The next tile is prefetched while this one is scored.
    const std::size_t next = std::min(X.rows - r1, kTile);
    return score_tile(X.row(r0), X.row_stride, r0, r1, engagement, out, s, true, next ? X.row(r1) : nullptr, next);
  });
}

Scorecard scorecard_from_json(const std::string& text) {
  const json root = parse_json(text, "scorecard");
  Fields f(root, "scorecard");
  const std::string name = f.has("name") ? f.str("name") : "scorecard";
  Schema schema = schema_from_json(f.at("schema"), f.path("schema"));
  const std::size_t D = schema.n_features();

  std::vector<PointsModel> fit;
  const json& fj = f.at("fit");
  if (fj.is_object()) {
    fit.push_back(points_model_from_json(schema, fj, f.path("fit")));
  } else if (fj.is_array()) {
    if (fj.empty()) fail(LK_ERR_INVALID_ARGUMENT, f.path("fit"), ": is empty; give at least one fit model");
    std::set<std::string> names;
    for (std::size_t m = 0; m < fj.size(); ++m) {
      const std::string path = f.path("fit") + "[" + std::to_string(m) + "]";
      fit.push_back(points_model_from_json(schema, fj[m], path));
      if (!names.insert(fit.back().name()).second)
        fail(LK_ERR_INVALID_ARGUMENT, path, ".name: duplicate fit score name '", fit.back().name(),
             "' (each fit model needs its own \"name\")");
    }
  } else {
    fail(LK_ERR_INVALID_ARGUMENT, f.path("fit"), ": expected a points model object or an array of them, got ",
         type_of(fj));
  }


  auto fit_index = [&](const std::string& wanted, const std::string& path) {
    auto it = std::find_if(fit.begin(), fit.end(), [&](const PointsModel& m) { return m.name() == wanted; });
    if (it == fit.end()) fail(LK_ERR_INVALID_ARGUMENT, path, ": '", wanted, "' is not the name of a fit model");
    return static_cast<std::size_t>(it - fit.begin());
  };
  const std::size_t primary = f.has("primary") ? fit_index(f.str("primary"), f.path("primary")) : 0;
  std::vector<std::size_t> total;
  if (f.has("total")) {
    const json& tj = f.at("total");
    if (!tj.is_array() || tj.empty())
      fail(LK_ERR_INVALID_ARGUMENT, f.path("total"), ": expected a non-empty array of fit score names");
    for (std::size_t i = 0; i < tj.size(); ++i) {
      const std::string path = f.path("total") + "[" + std::to_string(i) + "]";
      if (!tj[i].is_string()) fail(LK_ERR_INVALID_ARGUMENT, path, ": expected a fit score name, got ", type_of(tj[i]));
      const std::size_t m = fit_index(tj[i].get<std::string>(), path);
      if (std::find(total.begin(), total.end(), m) != total.end())
        fail(LK_ERR_INVALID_ARGUMENT, path, ": '", tj[i].get<std::string>(), "' is listed twice");
      total.push_back(m);
    }
  }

  std::optional<LogisticModel> logistic;
  if (f.has("logistic")) {
    Fields lf(f.at("logistic"), f.path("logistic"));
    const double b = lf.has("intercept") ? lf.num("intercept") : 0.0;
    const json& wj = lf.at("weights");
    if (!wj.is_object())
      fail(LK_ERR_INVALID_ARGUMENT, lf.path("weights"), ": expected {\"feature name\": weight, ...}, got ",
           type_of(wj));
    std::map<std::string, std::size_t> index;
    for (std::size_t j = 0; j < D; ++j) index.emplace(schema.feature_names()[j], j);
    std::vector<float> w(D, 0.0f);
    for (auto it = wj.begin(); it != wj.end(); ++it) {
      const std::string path = lf.path("weights") + "." + it.key();
      auto fi = index.find(it.key());
      if (fi == index.end())
        fail(LK_ERR_INVALID_ARGUMENT, path, ": '", it.key(), "' is not a feature of the schema");
      if (!it.value().is_number()) fail(LK_ERR_INVALID_ARGUMENT, path, ": expected a number, got ", type_of(it.value()));
      w[fi->second] = it.value().get<float>();
      if (!std::isfinite(w[fi->second])) fail(LK_ERR_NOT_FINITE, path, ": must be finite");
    }
    if (!std::isfinite(static_cast<float>(b))) fail(LK_ERR_NOT_FINITE, lf.path("intercept"), ": must be finite");
    lf.reject_unknown();
    logistic.emplace(w.data(), w.size(), static_cast<float>(b));
  }

  std::optional<Grader> grader;
  if (f.has("grader")) grader.emplace(grader_from_json(f.at("grader"), f.path("grader")));
  std::optional<PersonaSet> personas;
  if (f.has("personas")) personas.emplace(persona_set_from_json(schema, f.at("personas"), f.path("personas")));
  std::shared_ptr<const EngagementModel> engagement;
  if (f.has("engagement"))
    engagement = std::make_shared<const EngagementModel>(engagement_model_from_json(f.at("engagement"), f.path("engagement")));
  f.reject_unknown();
  return Scorecard(name, std::move(schema), std::move(fit), primary, std::move(total), std::move(logistic),
                   std::move(grader), std::move(engagement), std::move(personas));
}

json scorecard_to_json(const Scorecard& sc) {
  json root;
  root["name"] = sc.name();
  root["schema"] = schema_to_json_node(sc.schema());
  json fit = json::array();
  for (const PointsModel& m : sc.fit_models()) fit.push_back(points_model_to_json(m, sc.schema()));
  root["fit"] = std::move(fit);
  root["primary"] = sc.fit_models()[sc.primary()].name();
  json total = json::array();
  for (const std::size_t m : sc.total_models()) total.push_back(sc.fit_models()[m].name());
  root["total"] = std::move(total);
  if (const LogisticModel* lm = sc.logistic()) {
    json weights = json::object();
    const auto& names = sc.schema().feature_names();
    for (std::size_t j = 0; j < names.size(); ++j)
      if (lm->weights()[j] != 0.0f) weights[names[j]] = lm->weights()[j];
    root["logistic"] = {{"intercept", lm->intercept()}, {"weights", std::move(weights)}};
  }
  if (const Grader* g = sc.grader()) root["grader"] = grader_to_json(*g);
  if (sc.engagement()) root["engagement"] = engagement_model_to_json(*sc.engagement());
  if (sc.personas()) root["personas"] = persona_set_to_json(*sc.personas());
  return root;
}

}  // namespace leadkit::engine
