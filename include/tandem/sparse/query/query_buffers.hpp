// Per-query working arrays shared by the query algorithms, reused across queries.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "tandem/core/types.hpp"
#include "tandem/sparse/query/top_k_buffer.hpp"

namespace tandem::sparse {

/// What one search did, for benchmarks and explanations.
struct SearchStats {
  std::uint64_t postings_scored = 0;   // score() calls
  std::uint64_t documents_scored = 0;  // documents whose exact score was computed and offered
};

/// One list in WAND's docid order: its cursor index with copies of its current docid and max score,
/// so that the pivot search and the re-sorting walk one small array instead of the cursors.
struct OrderedList {
  DocId doc = kEndDoc;
  Score max_score = 0;
  std::uint32_t cursor = 0;
};

/// Arrays the algorithms need per query: sized by prepare(), which keeps their capacity, so a warm
/// buffer set allocates nothing.
struct QueryBuffers {
  std::vector<std::uint32_t> order;  // cursor indexes in the algorithm's order
  std::vector<OrderedList> ordered;  // WAND-style docid order
  std::vector<double> bounds;        // prefix sums of list upper bounds
  std::vector<double> block_bounds;  // prefix sums of block upper bounds
  std::vector<float> contributions;  // per term index; all zero between documents
  TopKBuffer best;                   // the pruned algorithms' collector
  SearchStats stats;

  void prepare(std::size_t terms) {
    order.resize(terms);
    ordered.resize(terms);
    bounds.resize(terms);
    block_bounds.resize(terms);
    contributions.assign(terms, 0.0f);
  }
};

/// The one definition of a document's score: its per-term float contributions summed in double in
/// increasing query-term index, rounded to float once (terms without the document hold 0, and
/// adding 0.0 leaves a double sum unchanged). Resets the contributions to zero for the next
/// document.
inline Score take_document_score(std::span<float> contributions) {
  double sum = 0.0;
  for (float& c : contributions) {
    sum += c;
    c = 0.0f;
  }
  return static_cast<Score>(sum);
}

inline void clear_contributions(std::span<float> contributions) {
  std::fill(contributions.begin(), contributions.end(), 0.0f);
}

}  // namespace tandem::sparse
