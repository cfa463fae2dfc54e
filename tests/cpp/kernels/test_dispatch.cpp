// Every kernel variant this CPU can run must agree with the baseline variant
// on the same inputs (to float rounding: the variants sum in different orders).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "kernels/isa.hpp"

using namespace leadkit::kernels;

namespace {

std::vector<const KernelTable*> runnable_variants() {
  std::vector<const KernelTable*> v;
  for (int i = 0; i < kIsaCount; ++i)
    if (const KernelTable* t = table_for(static_cast<Isa>(i))) v.push_back(t);
  return v;
}

}  // namespace

TEST(Dispatch, BaselineIsAlwaysAvailableAndActiveIsRunnable) {
  ASSERT_NE(table_for(Isa::baseline), nullptr);
  EXPECT_EQ(table_for(Isa::baseline)->isa, Isa::baseline);
  EXPECT_LE(static_cast<int>(active().isa), static_cast<int>(detected_isa()));
  EXPECT_NE(table_for(active().isa), nullptr);
  for (const KernelTable* t : runnable_variants())
    std::printf("variant %s runnable\n", isa_name(t->isa));
}

TEST(Dispatch, LinearRowsAgreeWithBaselineForEveryShape) {
  std::mt19937 rng(7);
  std::normal_distribution<float> nd(0.0f, 1.0f);
  const KernelTable& base = *table_for(Isa::baseline);
  for (const KernelTable* t : runnable_variants()) {
    for (std::size_t cols = 1; cols <= 70; ++cols) {
      const std::size_t rows = 37, stride = cols + (cols % 3);
      std::vector<float> X(rows * stride + 1), w(cols), a(rows), b(rows);
      for (auto& v : X) v = nd(rng);
      for (auto& v : w) v = nd(rng);
      for (Link link : {Link::identity, Link::sigmoid}) {
        // Score a sub-range to check that begin/end are honoured too.
        std::fill(a.begin(), a.end(), -7.0f);
        std::fill(b.begin(), b.end(), -7.0f);
        EXPECT_EQ(base.linear_rows(X.data(), 3, rows, cols, stride, w.data(), 0.25f, link, a.data()), rows);
        EXPECT_EQ(t->linear_rows(X.data(), 3, rows, cols, stride, w.data(), 0.25f, link, b.data()), rows);
        for (std::size_t i = 0; i < rows; ++i) {
          if (i < 3) {
            ASSERT_EQ(b[i], -7.0f) << "row outside [begin, end) written";
            continue;
          }
          const float tol = 1e-5f * (1.0f + std::fabs(a[i]));
          ASSERT_NEAR(a[i], b[i], tol) << isa_name(t->isa) << " cols=" << cols << " row=" << i;
        }
      }
    }
  }
}

TEST(Dispatch, LinearRowsScoreABatchWithTheBitsOfEachRowAlone) {
  // Whole blocks of rows are summed together (sum_each), a lead alone by
  // dot(): the same tree, so the same bits, for any width and any block.
  std::mt19937 rng(11);
  std::normal_distribution<float> nd(0.0f, 1.0f);
  for (const KernelTable* t : runnable_variants()) {
    for (std::size_t cols : {1u, 3u, 4u, 7u, 8u, 15u, 16u, 17u, 31u, 32u, 33u, 63u, 64u, 65u, 100u, 255u, 256u, 257u, 300u}) {
      const std::size_t rows = 53, stride = cols + 5;
      std::vector<float> X(rows * stride), w(cols), batch(rows), alone(rows);
      for (auto& v : X) v = nd(rng);
      for (auto& v : w) v = nd(rng);
      for (Link link : {Link::identity, Link::sigmoid}) {
        ASSERT_EQ(t->linear_rows(X.data(), 2, rows, cols, stride, w.data(), -0.5f, link, batch.data()), rows);
        for (std::size_t i = 2; i < rows; ++i) {
          ASSERT_EQ(t->linear_rows(X.data(), i, i + 1, cols, stride, w.data(), -0.5f, link, alone.data()), i + 1);
          ASSERT_EQ(std::memcmp(&batch[i], &alone[i], sizeof(float)), 0)
              << isa_name(t->isa) << " cols=" << cols << " row=" << i << ": " << batch[i] << " vs " << alone[i];
        }
      }
    }
  }
}

TEST(Dispatch, EveryVariantReportsTheFirstNonFiniteRow) {
  const std::size_t rows = 64, cols = 19;
  std::vector<float> X(rows * cols, 0.5f), w(cols, 0.1f), out(rows);
  X[41 * cols + 18] = std::numeric_limits<float>::quiet_NaN();
  X[50 * cols + 0] = std::numeric_limits<float>::infinity();
  for (const KernelTable* t : runnable_variants())
    EXPECT_EQ(t->linear_rows(X.data(), 0, rows, cols, cols, w.data(), 0.0f, Link::sigmoid, out.data()), 41U)
        << isa_name(t->isa);
}

TEST(Dispatch, TailLoadsNeverReadPastTheRow) {
  // The last row ends exactly at the end of the allocation: a variant that
  // read past it would be caught by ASan.
  for (const KernelTable* t : runnable_variants()) {
    for (std::size_t cols = 1; cols <= 33; ++cols) {
      std::vector<float> X(2 * cols, 1.0f), w(cols, 1.0f), out(2);
      t->linear_rows(X.data(), 0, 2, cols, cols, w.data(), 0.0f, Link::identity, out.data());
      EXPECT_EQ(out[1], static_cast<float>(cols));
    }
  }
}

TEST(Dispatch, VectorSigmoidIsAccurateOverTheWholeRange) {
  // One feature with weight 1: the score is the feature, so this sweeps z.
  std::vector<float> z;
  for (int i = -20000; i <= 20000; ++i) z.push_back(static_cast<float>(i) * 0.005f);
  for (float big : {-1e30f, -500.0f, -88.5f, -87.0f, 87.0f, 88.5f, 500.0f, 1e30f}) z.push_back(big);
  const float one = 1.0f;
  std::vector<float> p(z.size());
  for (const KernelTable* t : runnable_variants()) {
    ASSERT_EQ(t->linear_rows(z.data(), 0, z.size(), 1, 1, &one, 0.0f, Link::sigmoid, p.data()), z.size());
    for (std::size_t i = 0; i < z.size(); ++i) {
      const double ref = 1.0 / (1.0 + std::exp(-static_cast<double>(z[i])));
      const double err = std::fabs(static_cast<double>(p[i]) - ref);
      ASSERT_TRUE(err <= 1e-7 || err <= 1e-5 * ref)
          << isa_name(t->isa) << " z=" << z[i] << " got " << p[i] << " want " << ref;
      ASSERT_GE(p[i], 0.0f);
      ASSERT_LE(p[i], 1.0f);
    }
  }
}

TEST(Dispatch, TopContributionsAgreeExactlyWithBaseline) {
  // Products and magnitudes are exact in every variant, so the chosen features
  // (ties to the lower index) and their values must match bit for bit.
  std::mt19937 rng(13);
  std::uniform_int_distribution<int> small(-3, 3);
  const KernelTable& base = *table_for(Isa::baseline);
  for (const KernelTable* t : runnable_variants()) {
    for (std::size_t n = 1; n <= 70; n += 3) {
      std::vector<float> x(n), w(n), scratch((n + 15) / 16 * 16);
      for (std::size_t j = 0; j < n; ++j) {
        x[j] = static_cast<float>(small(rng));  // many zeros and exact ties
        w[j] = static_cast<float>(small(rng)) * 0.5f;
      }
      for (std::size_t k : {1U, 3U, 8U}) {
        std::vector<std::int32_t> ia(k), ib(k);
        std::vector<float> va(k), vb(k);
        base.top_contributions(x.data(), w.data(), n, k, scratch.data(), ia.data(), va.data());
        t->top_contributions(x.data(), w.data(), n, k, scratch.data(), ib.data(), vb.data());
        ASSERT_EQ(ia, ib) << isa_name(t->isa) << " n=" << n << " k=" << k;
        ASSERT_EQ(va, vb);
        for (std::size_t s = 1; s < k; ++s) {
          if (ia[s] < 0) continue;
          ASSERT_GE(std::fabs(va[s - 1]), std::fabs(va[s]));
          if (std::fabs(va[s - 1]) == std::fabs(va[s])) {
            ASSERT_LT(ia[s - 1], ia[s]);  // ties go to the lower index
          }
        }
      }
    }
  }
}

// 1, 3, 8, 16 and 17 types: the tables fit a register of every variant, of
// AVX-512 only, or of none (looked up event by event). Either way the weights
// are the formula's value, the baseline's to rounding (its exp polynomial is
// not fused), and on each variant the bits of the event-by-event lookup
// (forced by declaring 17 types, the last ones unused). Both ways of calling
// it: the batch scorer's (ref = limit = as_of: later events weigh 0) and the
// streaming state's (ref = its anchor, no limit: later events grow).
TEST(Dispatch, EngagementWeightsAgreeWithBaselineAndTheFormula) {
  std::mt19937 rng(13);
  const KernelTable& base = *table_for(Isa::baseline);
  const double as_of = 1.7e9, inf = std::numeric_limits<double>::infinity();
  constexpr std::size_t kPad = 16;  // a vector's width past the end, checked untouched
  for (std::size_t T : {1u, 3u, 8u, 16u, 17u}) {
    std::vector<float> points(17, 0.0f), coef(17, 0.0f);
    std::vector<double> h(17, 1.0);
    for (std::size_t y = 0; y < T; ++y) {
      points[y] = y % 4 == 1 ? -2.0f : static_cast<float>(y + 1) * 2.5f;
      h[y] = 3600.0 * static_cast<double>(1 + 7 * y);
      coef[y] = y % 5 == 2 ? 0.0f : static_cast<float>(-std::log(2.0) / h[y]);  // some without decay
    }
    for (const KernelTable* t : runnable_variants()) {
      for (const bool state : {false, true}) {
        const double ref = state ? as_of - 3000.0 : as_of, limit = state ? inf : as_of;
        for (std::size_t n : {0u, 1u, 7u, 8u, 15u, 16u, 17u, 63u, 64u, 65u, 200u}) {
          for (bool with_mult : {true, false}) {
            std::vector<std::int32_t> type(n);
            std::vector<double> ts(n);
            std::vector<float> mult(n), a(n + kPad, -7.0f), b(n + kPad, -7.0f), c(n + kPad, -7.0f);
            for (std::size_t i = 0; i < n; ++i) {
              type[i] = static_cast<std::int32_t>(rng() % T);
              ts[i] = as_of - static_cast<double>(rng() % 400000) + (i % 9 == 0 ? 5000.0 : 0.0);  // some after as_of
              mult[i] = 0.5f * static_cast<float>(rng() % 4);
            }
            const float* m = with_mult ? mult.data() : nullptr;
            t->engagement_weights(type.data(), ts.data(), m, n, ref, limit, coef.data(), points.data(), T, a.data());
            base.engagement_weights(type.data(), ts.data(), m, n, ref, limit, coef.data(), points.data(), T, b.data());
            t->engagement_weights(type.data(), ts.data(), m, n, ref, limit, coef.data(), points.data(), 17, c.data());
            // Fused with the screen (every event valid here): the same bits.
            std::vector<std::int32_t> lead(n, 0);
            std::vector<float> d(n + kPad, -7.0f);
            EXPECT_TRUE(t->engagement_checked_weights(lead.data(), type.data(), ts.data(), m, n, 1, 0.0, 4e9, ref,
                                                      limit, coef.data(), points.data(), T, d.data()));
            for (std::size_t i = n; i < n + kPad; ++i) EXPECT_EQ(d[i], -7.0f) << "checked path wrote past the end";
            EXPECT_EQ(std::memcmp(a.data(), d.data(), n * sizeof(float)), 0)
                << isa_name(t->isa) << " T=" << T << " n=" << n << ": checked weights differ";
            const std::string where = std::string(isa_name(t->isa)) + " T=" + std::to_string(T) + " n=" +
                                      std::to_string(n) + (with_mult ? " mult" : "") + (state ? " state" : " batch");
            for (std::size_t i = n; i < n + kPad; ++i) {
              EXPECT_EQ(a[i], -7.0f) << "wrote past the end: " << where;
              EXPECT_EQ(b[i], -7.0f) << "baseline wrote past the end: " << where;
              EXPECT_EQ(c[i], -7.0f) << "lookup path wrote past the end: " << where;
            }
            for (std::size_t i = 0; i < n; ++i) {
              const auto ty = static_cast<std::size_t>(type[i]);
              const double f = coef[ty] == 0.0f ? 1.0 : std::pow(2.0, -(ref - ts[i]) / h[ty]);
              const double want =
                  ts[i] > limit ? 0.0 : double(points[ty]) * (with_mult ? double(mult[i]) : 1.0) * f;
              EXPECT_NEAR(double(a[i]), want, 1e-5 * (1.0 + std::fabs(want))) << where << " i=" << i;
              EXPECT_NEAR(a[i], b[i], 1e-6f * (1.0f + std::fabs(b[i]))) << where << " i=" << i;
              EXPECT_EQ(std::memcmp(&a[i], &c[i], sizeof(float)), 0)
                  << where << " i=" << i << ": " << a[i] << " vs looked up " << c[i];
            }
          }
        }
      }
    }
  }
}

// The block screen of engagement events: true exactly when every event is
// valid, on every variant, for blocks of every tail length, whichever field
// of whichever event is bad (NaN times and multipliers included).
TEST(Dispatch, EngagementScreenFindsEveryKindOfBadEvent) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  for (const KernelTable* t : runnable_variants()) {
    EXPECT_TRUE(t->engagement_screen(nullptr, nullptr, nullptr, nullptr, 0, 10, 3, 100.0, 200.0))
        << isa_name(t->isa) << ": an empty block is valid";
    for (std::size_t n : {1u, 15u, 16u, 17u, 40u}) {
      std::vector<std::int32_t> lead(n), type(n);
      std::vector<double> ts(n);
      std::vector<float> mult(n);
      auto reset = [&] {
        for (std::size_t i = 0; i < n; ++i) {
          lead[i] = static_cast<std::int32_t>(i % 10);
          type[i] = static_cast<std::int32_t>(i % 3);
          ts[i] = 100.0 + static_cast<double>(i);
          mult[i] = 0.5f;
        }
      };
      // The screen alone, and fused with the weights (engagement_checked_weights):
      // both must give the same verdict.
      std::vector<float> coef(3, -1e-3f), points(3, 1.0f), w(n);
      auto screen = [&](bool with_mult) {
        const float* m = with_mult ? mult.data() : nullptr;
        const bool alone = t->engagement_screen(lead.data(), type.data(), ts.data(), m, n, 10, 3, 100.0, 200.0);
        const bool fused = t->engagement_checked_weights(lead.data(), type.data(), ts.data(), m, n, 10, 100.0, 200.0,
                                                         200.0, 200.0, coef.data(), points.data(), 3, w.data());
        EXPECT_EQ(alone, fused) << isa_name(t->isa) << " n=" << n << (with_mult ? " mult" : "");
        return alone;
      };
      const std::string where = std::string(isa_name(t->isa)) + " n=" + std::to_string(n);
      reset();
      EXPECT_TRUE(screen(true)) << where;
      for (std::size_t i : {std::size_t{0}, n / 2, n - 1}) {
        auto expect_bad = [&](const char* what, bool mult_only = false) {
          EXPECT_FALSE(screen(true)) << where << " event " << i << ": " << what;
          if (!mult_only) {
            EXPECT_FALSE(screen(false)) << where << " event " << i << ": " << what;
          }
          reset();
        };
        lead[i] = 10;
        expect_bad("lead = n_leads");
        lead[i] = -1;
        expect_bad("negative lead");
        type[i] = 3;
        expect_bad("type = n_types");
        type[i] = -5;
        expect_bad("negative type");
        ts[i] = 99.5;
        expect_bad("time < lo");
        ts[i] = 200.5;
        expect_bad("time > hi");
        ts[i] = nan;
        expect_bad("NaN time");
        mult[i] = -0.5f;
        expect_bad("negative multiplier", true);
        mult[i] = inf;
        expect_bad("infinite multiplier", true);
        mult[i] = static_cast<float>(nan);
        expect_bad("NaN multiplier", true);
        mult[i] = -1.0f;
        EXPECT_TRUE(screen(false)) << where << ": a multiplier is not read when none is given";
        reset();
      }
      for (const double bad : {std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()}) {
        ts[n - 1] = bad;
        EXPECT_FALSE(screen(false)) << where << ": time " << bad;
        reset();
      }
      ts[0] = 100.0;
      ts[n - 1] = 200.0;
      EXPECT_TRUE(screen(true)) << where << ": the bounds are inclusive";
    }
  }
}

// Rows as lanes: a transposed block must hold exactly the rows it was given
// (zero padding elsewhere), and lanes_block / points_lanes must give the same
// bits as the row-by-row kernels (multi_dot_rows, and the scalar points sums
// with caps, limit and floor) on the same variant, for every shape.
TEST(Dispatch, RowsAsLanesGiveTheBitsOfTheRowByRowKernels) {
  std::mt19937 rng(17);
  std::normal_distribution<float> nd(0.0f, 1.0f);
  for (const KernelTable* t : runnable_variants()) {
    const std::size_t L = t->lanes;
    for (std::size_t cols : {1u, 3u, 8u, 15u, 16u, 17u, 25u, 33u, 47u, 64u, 70u}) {
      for (std::size_t rows = 1; rows <= L; ++rows) {
        const std::size_t stride = cols + 2, padded = (cols + L - 1) / L * L;
        // The matrix ends right after the last row's columns: any read past
        // them is an ASan error.
        std::vector<float> X((rows - 1) * stride + cols), w(cols), T(padded * L, -1.0f), z(L), ref(rows);
        for (auto& v : X) v = nd(rng);
        for (auto& v : w) v = nd(rng);
        t->transpose_rows(X.data(), stride, rows, 0, cols, T.data());
        for (std::size_t c = 0; c < padded; ++c)
          for (std::size_t l = 0; l < L; ++l) {
            const float want = (l < rows && c < cols) ? X[l * stride + c] : 0.0f;
            ASSERT_EQ(T[c * L + l], want) << isa_name(t->isa) << " cols=" << cols << " rows=" << rows << " c=" << c;
          }
        // lanes_block: the same columns, and the dot products on the way.
        std::vector<float> B(padded * L, -1.0f);
        t->lanes_block(X.data(), stride, rows, cols, w.data(), nullptr, B.data(), z.data());
        ASSERT_EQ(B, T) << isa_name(t->isa) << " cols=" << cols << " rows=" << rows << ": lanes_block's columns";
        t->multi_dot_rows(X.data(), 0, rows, stride, w.data(), 1, cols, ref.data());
        for (std::size_t l = 0; l < rows; ++l)
          ASSERT_EQ(z[l], ref[l]) << isa_name(t->isa) << " cols=" << cols << " rows=" << rows << " lane=" << l;
        // Keeping every third column: those are right, the dot products too;
        // without weights, out is not written.
        std::vector<std::uint64_t> keep((cols + 63) / 64, 0);
        for (std::size_t c = 0; c < cols; c += 3) keep[c / 64] |= std::uint64_t{1} << (c % 64);
        std::vector<float> K(padded * L, -1.0f), z2(L, -7.0f);
        t->lanes_block(X.data(), stride, rows, cols, w.data(), keep.data(), K.data(), z2.data());
        for (std::size_t c = 0; c < cols; c += 3)
          for (std::size_t l = 0; l < L; ++l) ASSERT_EQ(K[c * L + l], T[c * L + l]) << isa_name(t->isa) << " kept column " << c;
        for (std::size_t l = 0; l < rows; ++l) ASSERT_EQ(z2[l], ref[l]) << isa_name(t->isa) << " with keep, lane " << l;
        std::fill(z2.begin(), z2.end(), -7.0f);
        std::fill(K.begin(), K.end(), -1.0f);
        t->lanes_block(X.data(), stride, rows, cols, nullptr, keep.data(), K.data(), z2.data());
        for (std::size_t c = 0; c < cols; c += 3)
          for (std::size_t l = 0; l < L; ++l) ASSERT_EQ(K[c * L + l], T[c * L + l]) << isa_name(t->isa) << " no weights, column " << c;
        for (std::size_t l = 0; l < L; ++l) ASSERT_EQ(z2[l], -7.0f) << isa_name(t->isa) << ": out written without weights";
        if (rows == L) {
          // A full block transposes only the columns kept, pruning the
          // shuffles no kept column needs (AVX-512: by which of the pairs
          // j, 4 + j of each 8 columns are wanted): every column alone, every
          // column but one, and random sets, each against the full
          // transposition and the row-by-row dot products.
          std::vector<std::vector<std::uint64_t>> sets;
          const std::size_t words = (cols + 63) / 64;
          for (std::size_t c = 0; c < cols; ++c) {
            std::vector<std::uint64_t> one(words, 0), all_but(words, 0);
            for (std::size_t j = 0; j < cols; ++j) (j == c ? one : all_but)[j / 64] |= std::uint64_t{1} << (j % 64);
            sets.push_back(one);
            sets.push_back(all_but);
          }
          for (int r = 0; r < 24; ++r) {
            std::vector<std::uint64_t> some(words, 0);
            for (std::size_t j = 0; j < cols; ++j)
              if (rng() % 4 < static_cast<unsigned>(1 + r % 3)) some[j / 64] |= std::uint64_t{1} << (j % 64);
            sets.push_back(some);
          }
          sets.emplace_back(words, 0);  // none: only the dot products
          for (const auto& set : sets) {
            std::fill(K.begin(), K.end(), -1.0f);
            std::fill(z2.begin(), z2.end(), -7.0f);
            t->lanes_block(X.data(), stride, rows, cols, w.data(), set.data(), K.data(), z2.data());
            for (std::size_t c = 0; c < cols; ++c) {
              if ((set[c / 64] >> (c % 64) & 1u) == 0) continue;
              for (std::size_t l = 0; l < L; ++l)
                ASSERT_EQ(K[c * L + l], T[c * L + l]) << isa_name(t->isa) << " cols=" << cols << " kept column " << c;
            }
            for (std::size_t l = 0; l < rows; ++l)
              ASSERT_EQ(z2[l], ref[l]) << isa_name(t->isa) << " cols=" << cols << " keep set, lane " << l;
          }
        }

        // Points over columns [c0, cols): two capped groups and ungrouped
        // terms, fractional points so the order of the adds matters.
        const std::size_t c0 = cols / 3;
        std::vector<std::uint32_t> feature, end{0};
        std::vector<float> points;
        for (std::size_t g = 0; g < 3; ++g) {
          for (std::size_t c = c0 + g; c < cols; c += 3) {
            feature.push_back(static_cast<std::uint32_t>(c));
            points.push_back(nd(rng) * 7.3f);
          }
          end.push_back(static_cast<std::uint32_t>(feature.size()));
        }
        const float lo[2] = {-2.5f, -1e9f}, hi[2] = {3.0f, 1e9f};
        PointsProgram p;
        p.feature = feature.data();
        p.points = points.data();
        p.term_end = end.data();
        p.n_sums = 3;
        p.lo = lo;
        p.hi = hi;
        p.limit = 4.0f;
        p.floor_at_zero = true;
        std::vector<float> T2(((cols - c0 + L - 1) / L * L) * L), score(L), sums(3 * L);
        t->transpose_rows(X.data(), stride, rows, c0, cols, T2.data());
        t->points_lanes(T2.data(), c0, p, sums.data(), L, score.data());
        for (std::size_t l = 0; l < rows; ++l) {
          float s[3];
          for (std::size_t g = 0; g < 3; ++g) {
            float acc = 0.0f;
            for (std::uint32_t k = end[g]; k < end[g + 1]; ++k) {
              volatile float prod = points[k] * X[l * stride + feature[k]];  // rounded, as the scalar code
              acc += prod;
            }
            s[g] = acc;
            ASSERT_EQ(sums[g * L + l], acc) << isa_name(t->isa) << " group " << g;
          }
          float total = s[2];
          for (std::size_t g = 0; g < 2; ++g) total += std::min(std::max(s[g], lo[g]), hi[g]);
          total = std::max(std::min(total, p.limit), 0.0f);
          ASSERT_EQ(score[l], total) << isa_name(t->isa) << " cols=" << cols << " rows=" << rows << " lane=" << l;
        }
      }
    }
  }
}

// An accumulator left at -0 by products that underflow (fma(-tiny, tiny, +0)
// rounds to -0) must come out as the row-by-row dot product leaves it, bit
// for bit: there the zero-padded last chunk adds 0 * 0, which makes it +0,
// so a block must run that FMA too, even for a half with no column left.
TEST(Dispatch, RowsAsLanesKeepTheSignOfZeroDotProducts) {
  for (const KernelTable* t : runnable_variants()) {
    const std::size_t L = t->lanes;
    for (std::size_t cols : {1u, 5u, 8u, 9u, 16u, 20u, 24u, 31u, 32u}) {
      const std::size_t padded = (cols + L - 1) / L * L;
      std::vector<float> X(L * cols, -1e-30f), w(cols, 1e-30f), T(padded * L), z(L), ref(L);
      t->lanes_block(X.data(), cols, L, cols, w.data(), nullptr, T.data(), z.data());
      t->multi_dot_rows(X.data(), 0, L, cols, w.data(), 1, cols, ref.data());
      for (std::size_t l = 0; l < L; ++l)
        ASSERT_EQ(std::signbit(z[l]), std::signbit(ref[l]))
            << isa_name(t->isa) << " cols=" << cols << " lane=" << l << ": " << z[l] << " vs " << ref[l];
    }
  }
}

// A lead alone (a one-row tile of finish_tile, which broadcasts it instead
// of loading a vector) gets the bits of the vector pass over a batch, on
// every variant, including the clamped tails.
TEST(Dispatch, OneLeadTileHasTheBitsOfSigmoidInplace) {
  std::vector<float> z;
  for (float v = -120.0f; v <= 120.0f; v += 0.37f) z.push_back(v);
  z.push_back(0.0f);
  z.push_back(-0.0f);
  z.push_back(1e-30f);
  const float fit = 0.0f;
  const std::size_t model = 0;
  for (const KernelTable* t : runnable_variants()) {
    std::vector<float> p = z;
    t->sigmoid_inplace(p.data(), p.size());
    for (std::size_t i = 0; i < z.size(); ++i) {
      TileFinish f;
      f.rows = 1;
      f.z = &z[i];
      f.fits = &fit;
      f.n_fit = 1;
      f.total = &model;
      f.n_total = 1;
      float got = -1.0f;
      f.probability = &got;
      ASSERT_EQ(t->finish_tile(f), 1u);
      ASSERT_EQ(got, p[i]) << isa_name(t->isa) << " z=" << z[i];
    }
  }
}

// The Scorecard's tile epilogue on every variant: the same probability bits
// as sigmoid_inplace, totals summed in order, bands and matrix cells as the
// scalar definition (the count of band minimums <= the score), for ragged
// tiles; and the first row with a non-finite input is reported.
TEST(Dispatch, FinishTileMatchesTheScalarDefinition) {
  std::mt19937 rng(23);
  std::normal_distribution<float> nd(0.0f, 40.0f);
  const float stage_min[2] = {30.0f, 60.0f}, grade_min[3] = {20.0f, 40.0f, 60.0f};
  // 4 grades x 3 stages; cell = the final stage.
  const std::int32_t matrix[12] = {0, 1, 2, 0, 1, 2, 0, 2, 2, 1, 2, 2};
  const std::size_t total_models[2] = {1, 0};
  for (const KernelTable* t : runnable_variants()) {
    for (std::size_t rows : {1u, 2u, 3u, 7u, 16u, 17u, 33u, 64u}) {
      for (int variant = 0; variant < 3; ++variant) {
        const std::size_t n_fit = variant == 0 ? 1 : 2, ld = 64;
        std::vector<float> z(rows), fits(n_fit * ld), eng(rows);
        for (auto& v : z) v = nd(rng) / 10.0f;
        for (auto& v : fits) v = std::round(nd(rng)) + 0.25f;
        for (auto& v : eng) v = std::round(nd(rng) / 4.0f);
        TileFinish f;
        f.rows = rows;
        f.z = z.data();
        f.intercept = -0.75f;
        f.fits = fits.data();
        f.fits_ld = ld;
        f.n_fit = n_fit;
        f.total = variant == 0 ? total_models + 1 : total_models;  // model 0 alone, or 1 + 0
        f.n_total = variant == 0 ? 1 : 2;
        f.primary = n_fit - 1;
        f.engagement = variant == 2 ? eng.data() : nullptr;
        f.stage_min = stage_min;
        f.n_stage_min = 2;
        f.grade_min = grade_min;
        f.n_grade_min = 3;
        f.grades = true;
        f.matrix = variant == 1 ? nullptr : matrix;
        f.n_stages = 3;
        std::vector<float> proba(rows, -1.0f), fit(rows * n_fit, -1.0f), total(rows, -1.0f);
        std::vector<std::int32_t> stage(rows, -7), grade(rows, -7);
        f.probability = proba.data();
        f.fit = fit.data();
        f.total_out = total.data();
        f.stage = stage.data();
        f.grade = grade.data();
        ASSERT_EQ(t->finish_tile(f), rows) << isa_name(t->isa);
        std::vector<float> want_p(rows);
        for (std::size_t i = 0; i < rows; ++i) want_p[i] = z[i] + f.intercept;
        t->sigmoid_inplace(want_p.data(), rows);
        for (std::size_t i = 0; i < rows; ++i) {
          const std::string at = std::string(isa_name(t->isa)) + " rows=" + std::to_string(rows) +
                                 " variant=" + std::to_string(variant) + " i=" + std::to_string(i);
          ASSERT_EQ(proba[i], want_p[i]) << at;
          float tot = fits[f.total[0] * ld + i];
          for (std::size_t k = 1; k < f.n_total; ++k) tot += fits[f.total[k] * ld + i];
          if (f.engagement) tot += eng[i];
          ASSERT_EQ(total[i], tot) << at;
          for (std::size_t m = 0; m < n_fit; ++m) ASSERT_EQ(fit[i * n_fit + m], fits[m * ld + i]) << at;
          const float primary = fits[f.primary * ld + i];
          const std::int32_t g = (primary >= 20.0f) + (primary >= 40.0f) + (primary >= 60.0f);
          std::int32_t s = (tot >= 30.0f) + (tot >= 60.0f);
          if (f.matrix) s = matrix[g * 3 + s];
          ASSERT_EQ(grade[i], g) << at;
          ASSERT_EQ(stage[i], s) << at;
        }
        // A NaN or infinity in any input: the first such row is reported.
        if (rows >= 3) {
          const std::size_t bad = rows - 2;
          std::vector<float> z2 = z, fits2 = fits, eng2 = eng;
          TileFinish g = f;
          if (variant == 0) z2[bad] = std::numeric_limits<float>::quiet_NaN();
          if (variant == 1) fits2[1 * ld + bad] = std::numeric_limits<float>::infinity();  // not in total order's first
          if (variant == 2) eng2[bad] = -std::numeric_limits<float>::infinity();
          g.z = z2.data();
          g.fits = fits2.data();
          if (variant == 2) g.engagement = eng2.data();
          ASSERT_EQ(t->finish_tile(g), bad) << isa_name(t->isa) << " rows=" << rows << " variant=" << variant;
        }
      }
    }
  }
}

// The grade x stage matrix, small (one register on AVX-512: a permute) and
// larger than 16 cells (a lookup per lead), on every variant and every tail.
TEST(Dispatch, FinishTileMatrixOfAnySize) {
  std::mt19937 rng(29);
  std::uniform_real_distribution<float> ud(-10.0f, 110.0f);
  const float mins[5] = {20.0f, 40.0f, 60.0f, 80.0f, 100.0f};
  for (const KernelTable* t : runnable_variants()) {
    for (std::size_t n_grades : {1u, 2u, 4u, 6u}) {
      for (std::size_t n_stages : {1u, 3u, 4u, 6u}) {
        std::vector<std::int32_t> matrix(n_grades * n_stages);
        for (auto& c : matrix) c = static_cast<std::int32_t>(rng() % n_stages);
        for (std::size_t rows : {1u, 5u, 16u, 37u}) {
          std::vector<float> fits(rows);
          for (auto& v : fits) v = std::round(ud(rng));
          std::vector<std::int32_t> stage(rows, -7);
          const std::size_t total_model[1] = {0};
          TileFinish f;
          f.rows = rows;
          f.fits = fits.data();
          f.fits_ld = rows;
          f.n_fit = 1;
          f.total = total_model;
          f.n_total = 1;
          f.stage_min = mins;
          f.n_stage_min = n_stages - 1;
          f.grade_min = mins;
          f.n_grade_min = n_grades - 1;
          f.grades = true;
          f.matrix = matrix.data();
          f.n_stages = n_stages;
          f.stage = stage.data();
          ASSERT_EQ(t->finish_tile(f), rows) << isa_name(t->isa);
          for (std::size_t i = 0; i < rows; ++i) {
            std::size_t g = 0, s = 0;
            for (std::size_t j = 0; j + 1 < n_grades; ++j) g += fits[i] >= mins[j];
            for (std::size_t j = 0; j + 1 < n_stages; ++j) s += fits[i] >= mins[j];
            ASSERT_EQ(stage[i], matrix[g * n_stages + s])
                << isa_name(t->isa) << " " << n_grades << " x " << n_stages << " rows=" << rows << " i=" << i;
          }
        }
      }
    }
  }
}

// Without grades, a grade output gets -1 and the stage is the band alone.
TEST(Dispatch, FinishTileWithoutGrades) {
  const float stage_min[1] = {50.0f};
  const std::size_t model = 0;
  for (const KernelTable* t : runnable_variants()) {
    std::vector<float> fits = {10.0f, 50.0f, 70.0f, -5.0f, 49.5f};
    std::vector<std::int32_t> stage(5, -7), grade(5, -7);
    TileFinish f;
    f.rows = 5;
    f.fits = fits.data();
    f.fits_ld = 5;
    f.n_fit = 1;
    f.total = &model;
    f.n_total = 1;
    f.stage_min = stage_min;
    f.n_stage_min = 1;
    f.n_stages = 2;
    f.stage = stage.data();
    f.grade = grade.data();
    ASSERT_EQ(t->finish_tile(f), 5u);
    EXPECT_EQ(stage, (std::vector<std::int32_t>{0, 1, 1, 0, 0})) << isa_name(t->isa);
    EXPECT_EQ(grade, (std::vector<std::int32_t>(5, -1))) << isa_name(t->isa);
  }
}
