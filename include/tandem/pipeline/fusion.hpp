// Fusion of ranked lists: score normalisation (min-max, z-score, L2, rank, none), a weighted
// combination of the normalised scores (CombSUM with weights; Fox & Shaw, "Combination of Multiple
// Searches", TREC-2, 1994) and reciprocal rank fusion (Cormack, Clarke & Büttcher, "Reciprocal Rank
// Fusion outperforms Condorcet and individual Rank Learning Methods", SIGIR 2009).
//
// Contract (docs/pipelines.md, "Fusion"), for each input list in result order (score descending,
// then id ascending), N = its length, s_r = the score at 1-based rank r:
//  * none:    n(s) = s.
//  * min-max: n(s) = (s - lo) / (hi - lo) with lo, hi the list's minimum and maximum, or fixed
//             bounds (then clamped to [0, 1]).
//  * z-score: n(s) = (s - mean) / stddev (population standard deviation of the list).
//  * l2:      n(s) = s / sqrt(sum of s^2 over the list).
//  * rank:    n(r) = (N - r + 1) / N  (1 for the first, 1/N for the last).
//  * Degenerate list: when every score of the list is equal (this includes a one-result list) the
//    list only says which documents it holds: with any normaliser but none, a listed document
//    gets 1 and a missing one 0. (With fixed min-max bounds the bounds apply instead.)
//  * A document a list does not hold gets the list's floor: the normalised value of its last
//    document (as if it tied with it); 0 for a degenerate list (see above); 0 for an empty list.
//  * convex:  fused(d) = sum over lists of w_l * n_l(d). Weights are used as given (>= 0).
//  * rrf:     fused(d) = sum over lists holding d of w_l / (k + r_l(d)); a missing document adds 0.
// The fused list holds the union of the input lists, ordered by fused score descending, then id
// ascending, cut to k.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::pipeline {

enum class Normalizer { none, min_max, z_score, l2, rank };
/// "none", "min-max", "z-score", "l2", "rank"; throws Error(invalid_argument) otherwise.
Normalizer parse_normalizer(std::string_view name);
std::string_view to_string(Normalizer n);

enum class FusionMethod { none, convex, rrf };
/// "none" (one leg: its own scores), "convex", "rrf".
FusionMethod parse_fusion_method(std::string_view name);
std::string_view to_string(FusionMethod m);

/// Fixed min-max bounds.
struct Bounds {
  double lo = 0, hi = 1;
};

/// The normalised scores of one list (same order) and the value a missing document gets.
struct NormalizedList {
  std::vector<double> values;
  double floor = 0;
};

/// Normalises the scores of one list given in result order (see the contract above).
NormalizedList normalize(std::span<const double> scores, Normalizer normalizer,
                         const std::optional<Bounds>& bounds = std::nullopt);

/// One entry of an input list.
struct ScoredId {
  /// May be empty when every entry has a key and fuse() is given an IdLookup: ids are then
  /// resolved only where they are needed (ties, and the entries returned).
  std::string_view id;
  double score = 0;
  /// Optional: a non-zero integer that identifies the document across all the lists (e.g. its
  /// location when every list comes from one index); when every entry has one, the union is
  /// built on these instead of hashing ids. Order and output still use the id.
  std::uint64_t key = 0;
};

/// Writes the id of the document with this key (ScoredId::key) into `out`.
using IdLookup = std::function<void(std::uint64_t key, std::string& out)>;

struct FusionParams {
  FusionMethod method = FusionMethod::convex;
  Normalizer normalizer = Normalizer::min_max;
  std::vector<double> weights;                // per list; empty = 1 for every list
  std::vector<std::optional<Bounds>> bounds;  // per list (min-max only); empty = none
  double rrf_k = 60;
};

/// How one list contributed to a fused document.
struct Contribution {
  std::size_t rank = 0;   // 1-based; 0 = the list does not hold the document
  double raw = 0;         // the list's score (0 when missing)
  double normalized = 0;  // the value used: n(s), the floor when missing, or 1/(k + r) for rrf
};

struct FusedEntry {
  std::string id;
  double score = 0;
  std::vector<Contribution> lists;  // one per input list; empty unless asked for
};

/// Fuses `lists` (each in result order) and keeps the first k (k = 0: all). Each entry's
/// `lists` (how every list contributed, for explain output) is filled only when
/// `with_contributions`: it costs an allocation per entry. With `lookup`, entries without an id
/// get theirs from it (see ScoredId::id). Throws Error(invalid_argument) for a
/// weight or bounds vector of the wrong length, a negative or non-finite weight, rrf_k < 0, or
/// method none with more than one list.
std::vector<FusedEntry> fuse(const FusionParams& params,
                             std::span<const std::vector<ScoredId>> lists, std::size_t k,
                             bool with_contributions = true, const IdLookup* lookup = nullptr);

}  // namespace tandem::pipeline
