// ColBERT's late-interaction score (Khattab & Zaharia, "ColBERT: Efficient and Effective Passage
// Search via Contextualized Late Interaction over BERT", SIGIR 2020):
//   MaxSim(q, d) = sum over query tokens i of max over document tokens j of <q_i, d_j>.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "tandem/multi/multi_vector_store.hpp"

namespace tandem::multi {

/// MaxSim of nq query tokens against nd document tokens (row-major, dim floats each), in float.
float maxsim(const float* query, std::size_t nq, const float* doc, std::size_t nd, std::size_t dim);

/// Scores the rows of one store against one query. For an int8 store the query tokens are
/// multiplied by the store's scales once, so that <q', code> = <q, decoded token>. Immutable after
/// construction; score() uses the caller's scratch.
class MaxSimScorer {
 public:
  /// `query` holds nq * store.dim() floats. Throws Error(invalid_argument) on a size mismatch.
  MaxSimScorer(const MultiVectorStore& store, std::span<const float> query, std::size_t nq);

  std::size_t query_tokens() const { return nq_; }
  /// The full MaxSim of a row.
  float score(std::size_t row, std::vector<float>& scratch) const;
  /// MaxSim of a row, or nullopt as soon as an upper bound of it falls strictly below
  /// `threshold`: after query token i, partial + (sum of |q_t| for t > i) * max_norm(row) (plus a
  /// relative margin for float rounding) bounds the rest by Cauchy-Schwarz. A row that would
  /// reach `threshold` is never abandoned, so re-ranking with it is exact.
  std::optional<float> score_bounded(std::size_t row, float threshold,
                                     std::vector<float>& scratch) const;

 private:
  // The row's tokens as floats (the store's, or int8 codes converted into `scratch`); scratch
  // also holds nd dot products at its end.
  const float* tokens(std::size_t row, std::vector<float>& scratch) const;
  float token_max(std::size_t i, const float* toks, std::size_t nd,
                  std::vector<float>& scratch) const;
  const MultiVectorStore* store_;
  std::size_t nq_;
  std::vector<float> query_;         // scaled for int8 stores
  std::vector<double> suffix_norm_;  // suffix_norm_[i] = sum of |q_t| (original) for t >= i
};

}  // namespace tandem::multi
