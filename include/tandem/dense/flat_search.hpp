// Exact (brute-force) search over a vector store: every row is scored.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "tandem/core/types.hpp"
#include "tandem/dense/vector_store.hpp"

namespace tandem::dense {

/// Rows a search may return: bit r of word r/64 set = row r allowed. Empty span = every row.
using RowFilter = std::span<const std::uint64_t>;

inline bool row_allowed(RowFilter filter, std::size_t row) {
  return filter.empty() || ((filter[row >> 6] >> (row & 63)) & 1) != 0;
}

struct ExactSearchOptions {
  std::size_t k = 10;
  unsigned threads = 1;  // 0 = all cores; work is split over blocks of queries
  /// Use the blocked matrix product (Kernels::dot_block, register-tiled in the manner of BLAS's
  /// GEBP) for blocks of at least this many queries; below it, each query is scanned with the SIMD
  /// row kernel. 0 = never.
  std::size_t block_min_queries = 8;
  std::size_t query_block = 128;  // queries per matrix product
  std::size_t doc_block = 1024;   // rows per matrix product
};

/// What a batch of exact searches did (for --stats).
struct ExactSearchStats {
  std::uint64_t queries = 0;
  std::uint64_t fallbacks = 0;  // queries re-scanned in double precision (near-tie at the cut)
  bool used_block_product = false;
};

/// The exact top-k rows of each query, in the engine's result order (score descending, then row
/// ascending = DocId ascending). `queries` holds nq prepared queries (prepare_query) of
/// store.dim() floats. Hits carry row numbers in `doc`.
///
/// Exactness: scores are first computed in float32 (SIMD kernels or the blocked product) to keep
/// the best k + 32 candidates; candidates are then rescored in double precision, rounded once to
/// float, and the top k of those returned, ranked by that float score, then row (the rule of every
/// retriever and of the merge of segments' hits: rows whose doubles differ but round to the same
/// float are ordered by row, so one segment and several give the same order). A rounding-error
/// bound (Higham's gamma_d times |q| max|x|) proves that no row outside the candidates can reach
/// the k-th reported score; where the proof fails (a near-tie at the cut) the query is rescanned
/// entirely in double. So the ids are exactly those of a double-precision brute force ranked by
/// its float-rounded scores, whatever the SIMD level or summation order.
void exact_search(const VectorStore& store, std::span<const float> queries, std::size_t nq,
                  const ExactSearchOptions& options, std::vector<std::vector<Hit>>& out,
                  RowFilter filter = {}, ExactSearchStats* stats = nullptr);

/// The exact score of a row in double precision, as exact_search reports it (ip/cosine: <q,x>;
/// l2: -|q-x|^2).
double exact_score(const VectorStore& store, const float* query, std::size_t row);

}  // namespace tandem::dense
