// The Scorecard: one deployable model. A schema, one or more named fit
// (points) models, an optional logistic model and an optional grader,
// compiled once from a JSON definition and then scored:
//
//   raw records --encode--> feature rows --one fused pass--> fit scores (every
//   named model), total = the fit scores named in "total" (by default the
//   primary one) + engagement, probability, grade (from the primary fit
//   score), stage (from the total), top-k reasons of the primary fit score
//
// Batches go through tiles of rows that are encoded and scored while they are
// in cache: the N x D feature matrix is never materialised. The logistic dot
// products of a tile come from one dispatched kernel call; each points group
// sums only the few columns its rules touch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/exec.hpp"
#include "core/feature_view.hpp"
#include "core/lead_batch.hpp"
#include "core/schema.hpp"
#include "engagement/engagement_model.hpp"
#include "persona/persona_set.hpp"
#include "io/json_fields.hpp"
#include "scoring/grader.hpp"
#include "scoring/logistic_model.hpp"
#include "scoring/points_model.hpp"

namespace leadkit::engine {

// Where a scoring call writes; every pointer may be null (not wanted), each
// holds n (leads) entries, `fit` n x n_fit_scores and the reasons n x k.
struct ScorecardOutput {
  float* fit = nullptr;
  float* total = nullptr;
  float* probability = nullptr;
  std::int32_t* grade = nullptr;
  std::int32_t* stage = nullptr;
  std::size_t k = 0;  // reasons per lead (0 = none)
  std::int32_t* reason_rules = nullptr;
  float* reason_points = nullptr;
  std::int32_t* persona = nullptr;      // best persona, -1 below its min similarity
  float* persona_similarity = nullptr;  // the best persona's similarity
};

class Scorecard {
 public:
  // fit must hold at least one model, all over the schema's features, with
  // distinct names; primary indexes the fit score behind the grade (and its
  // reasons); total lists the fit scores that add up to the total (before
  // engagement), by default the primary one alone.
  Scorecard(std::string name, Schema schema, std::vector<PointsModel> fit, std::size_t primary,
            std::vector<std::size_t> total, std::optional<LogisticModel> logistic,
            std::optional<Grader> grader,
            std::shared_ptr<const EngagementModel> engagement = nullptr,
            std::optional<PersonaSet> personas = std::nullopt);

  const std::string& name() const noexcept { return name_; }
  const Schema& schema() const noexcept { return schema_; }
  const std::vector<PointsModel>& fit_models() const noexcept { return fit_; }
  std::size_t primary() const noexcept { return primary_; }
  const std::vector<std::size_t>& total_models() const noexcept { return total_; }
  const LogisticModel* logistic() const noexcept { return logistic_ ? &*logistic_ : nullptr; }
  const Grader* grader() const noexcept { return grader_ ? &*grader_ : nullptr; }
  // The engagement model of the definition, or null: it turns a lead's events
  // into the engagement that score() adds to the total.
  const std::shared_ptr<const EngagementModel>& engagement() const noexcept { return engagement_; }
  // The definition's buyer personas, or null: every scored lead is matched.
  const PersonaSet* personas() const noexcept { return personas_ ? &*personas_ : nullptr; }
  std::size_t n_features() const noexcept { return schema_.n_features(); }

  // Scores raw records. engagement (optional, one finite value per lead) is
  // added to the total. On a data error every
  // wanted output is set to NaN / -1 and the error names the first bad lead.
  void score(const LeadBatch& batch, const float* engagement, const ExecOptions& exec,
             const ScorecardOutput& out) const;

  // The same from already encoded feature rows (X.cols == n_features()).
  void score_features(const FeatureView& X, const float* engagement, const ExecOptions& exec,
                      const ScorecardOutput& out) const;

 private:
  struct Scratch;
  void check_output(const ScorecardOutput& out, const float* engagement, std::size_t n) const;
  // Scores rows [r0, r1) whose features are at X (row stride `stride`, row r0
  // first); returns the first row with a non-finite score, or r1. The
  // next_rows rows at `next` (the next tile, if any) are prefetched meanwhile.
  // streamed: X comes from memory, not from a buffer just written in cache
  // (the prefetch requests are then non-temporal unless something reads the
  // rows again).
  std::size_t score_tile(const float* X, std::size_t stride, std::size_t r0, std::size_t r1,
                         const float* engagement, const ScorecardOutput& out, Scratch& s, bool streamed = false,
                         const float* next = nullptr, std::size_t next_rows = 0) const;
  template <typename Tile>
  void run(std::size_t n, const ExecOptions& exec, const ScorecardOutput& out, Tile&& tile) const;

  std::string name_;
  Schema schema_;
  std::vector<PointsModel> fit_;
  std::size_t primary_;
  std::vector<std::size_t> total_;
  std::optional<LogisticModel> logistic_;
  std::optional<Grader> grader_;
  std::shared_ptr<const EngagementModel> engagement_;
  std::optional<PersonaSet> personas_;
  // Group sums of all fit models together (buffer sizes, the cost estimate).
  std::size_t n_sums_ = 0;
  // The features some fit model's rules read, one bit each (bit j % 64 of
  // word j / 64): the columns a block of rows as lanes keeps for the points
  // models (kernels::KernelTable::lanes_block).
  std::vector<std::uint64_t> read_by_fit_;
};

// {"name": "...", "schema": {...}, "fit": [{points model}, ...] (or one object),
//  "primary": "fit", "total": ["fit", "activity"], "engagement": {...}, "personas": {...}, "logistic": {"intercept": -3, "weights": {"feature": w}},
//  "grader": {...}}. Errors name the JSON path ("scorecard.fit[1].rules[0]...").
Scorecard scorecard_from_json(const std::string& text);

// The JSON form scorecard_from_json() reads back to an equal scorecard.
json scorecard_to_json(const Scorecard& scorecard);

}  // namespace leadkit::engine
