// The one pruning rule of every exact algorithm, and why it never loses a document.
#pragma once

#include <cstddef>

#include "tandem/core/top_k.hpp"

namespace tandem::sparse {

/// The most query terms a search takes; the exactness argument below needs m < 2^27.
inline constexpr std::size_t kMaxQueryTerms = std::size_t{1} << 16;

/// True when a document whose score is bounded by `upper_bound` cannot enter `top`, so it may be
/// skipped without scoring it.
///
/// Setting. A document d's score is float(S), S the double sum, in query-term order, of its float
/// contributions c_i >= 0 (take_document_score). Documents are visited in increasing DocId, so
/// every held hit has a smaller id and wins ties: d enters iff float(S) > t = top.threshold()
/// (TopK's contract; t = -inf until k hits are held, and then nothing is pruned). upper_bound is a
/// double sum U, in any order and grouping, of nonnegative floats u_j (list maxima, block maxima,
/// or actual contributions already computed) over a set of terms that includes every term
/// containing d, with u_i >= c_i term by term (the bounds are maxima of the same float formula on
/// dominating (freq, norm) pairs, which are >= every actual contribution by monotonicity:
/// scorer/bm25_scorer.hpp).
///
/// Claim: U <= t implies float(S) <= t, so skipping d when U <= t never loses a document.
///
/// Proof. Let S*, U* be the exact real sums; S* <= U* since c_i <= u_i and the extra u_j are >= 0.
/// Recursive double summation of n <= m nonnegative terms, in any order, has relative error at most
/// g = (m - 1) 2^-53 / (1 - (m - 1) 2^-53) (Higham, "Accuracy and Stability of Numerical
/// Algorithms", 4.2), so S <= (1 + g) S* and U >= (1 - g) U*. Hence
///   S <= (1 + g) / (1 - g) * U <= (1 + g) / (1 - g) * t < t * (1 + 2^-25)   for m < 2^27.
/// For a float t > 0 (normal or subnormal), the next float above t is t + ulp(t) with
/// ulp(t) >= t * 2^-24, and S lies strictly below the midpoint t + ulp(t) / 2 >= t * (1 + 2^-25),
/// so rounding S to nearest float gives a value <= t. For t = 0: U <= 0 forces every u_j = 0, so
/// every c_i = 0 and float(S) = 0 <= t. (t < 0 is impossible once k hits with scores >= 0 are
/// held.) The rounding of the two sums in different orders is therefore absorbed by the final
/// rounding of S to float, with no extra slack needed. The converse direction does not matter: a
/// document with U > t is simply scored, and the TopK decides.
/// (The same holds for any collector with TopK's threshold contract, e.g. TopKBuffer.)
template <typename Collector>
bool can_prune(double upper_bound, const Collector& top) {
  return upper_bound <= static_cast<double>(top.threshold());
}

}  // namespace tandem::sparse
