// Persona matching kernel interface (ISA-independent): N leads against K
// persona vectors, best / top-k / every similarity, without ever forming the
// N x K similarity matrix (except when the caller asks for it: `all`).
//
// Layout ("panel"): persona vectors transposed in blocks of 16 personas,
// A[b][j][l] = vector of persona 16*b + l, feature j; K padded to Kp (a
// multiple of 16) with zero vectors whose bias is -inf, so padding never wins.
// Each ISA reads a 16-wide block as 1 (AVX-512), 2 (AVX2) or 4 (SSE) vectors.
#pragma once

#include <cstddef>
#include <cstdint>

namespace leadkit::kernels {

// How a persona's rank score t = x . A_k + bias_k becomes a similarity.
//  dot       sim = t                                   (A = p)
//  cosine    sim = t / ||x||                           (A = p / ||p||)
//  euclid    d = ||x||^2 - t, sim = 1 / (1 + d)        (A = 2p, bias = -||p||^2)
//  cosine_w  n = (x*x) . B_k, sim = t / sqrt(n)        (A = w p / ||sqrt(w) p||, B = w)
//  euclid_w  n = (x*x) . B_k, d = n - t, sim = 1/(1+d) (A = 2 w p, B = w, bias = -sum w p^2)
// In the unweighted modes ||x|| is common to all personas of a lead, so the
// ranking runs on t and only the kept entries are turned into similarities.
enum class PersonaMode : int { dot = 0, cosine = 1, euclid = 2, cosine_w = 3, euclid_w = 4 };

constexpr std::size_t kPersonaBlock = 16;       // personas per panel block
constexpr std::size_t kPersonaMaxTopK = 32;     // top-k entries a call can keep
constexpr std::size_t kPersonaScratchRows = 8;  // scratch = rows * D floats (weighted modes)

struct PersonaPanel {
  const float* A = nullptr;     // Kp / 16 blocks of D x 16
  const float* B = nullptr;     // same layout, weighted modes only
  const float* bias = nullptr;  // Kp
  std::size_t K = 0, Kp = 0, D = 0;
  PersonaMode mode = PersonaMode::cosine;
};

// Outputs for rows [begin, end) of X; each pointer is indexed by the row
// (topk_* and all by row * k / row * K). Null pointers are not written.
struct PersonaOut {
  std::size_t k = 1;             // top-k entries to keep, 1..kPersonaMaxTopK, <= K
  float min_similarity = 0.0f;   // best below this -> best = -1
  std::int32_t* best = nullptr;  // best persona or -1 (unmatched)
  float* similarity = nullptr;   // the best persona's similarity (even when unmatched)
  float* margin = nullptr;       // best - second best similarity (best itself if K = 1)
  std::int32_t* topk_index = nullptr;
  float* topk_score = nullptr;
  float* all = nullptr;          // every similarity, N x K (transform)
  float* sq_distance = nullptr;  // euclid modes: squared distance to the best (k-means)
  float* scratch = nullptr;      // kPersonaScratchRows * D floats, weighted modes
};

}  // namespace leadkit::kernels
