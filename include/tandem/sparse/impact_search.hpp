// Exact learned-sparse search of one segment: score = dot product of the query's weights and the
// documents' impacts, with any of the query algorithms (they are generic over the scorer).
#pragma once

#include <span>
#include <vector>

#include "tandem/core/top_k.hpp"
#include "tandem/sparse/cursor/scored_cursor.hpp"
#include "tandem/sparse/deleted_docs.hpp"
#include "tandem/sparse/posting_list.hpp"
#include "tandem/sparse/query/query_algorithm.hpp"
#include "tandem/sparse/query/query_buffers.hpp"
#include "tandem/sparse/scorer/impact_scorer.hpp"

namespace tandem::sparse {

static_assert(BlockMaxCursor<ScoredPostingCursor<ImpactScorer>>);
static_assert(BlockMaxCursor<ScoredPostingCursor<FloatImpactScorer>>);

/// How a sparse field stores its impacts (index::SparseFieldMeta says which).
enum class ImpactEncoding {
  integer,  // impacts are integers (integer, u8, u16 quantisation)
  float32,  // impacts are float bit patterns
};

/// One query term on one segment: the list starts at postings.data() + offset (trusted: written by
/// this process or validated) and each posting contributes weight * impact, where weight is the
/// query weight times the field's impact scale.
struct ImpactQueryTerm {
  std::span<const std::byte> postings;
  std::uint64_t offset = 0;
  PostingListSummary summary;
  float weight = 0;  // >= 0
};

/// Per-thread reusable storage of impact_search (cursors and the algorithms' arrays).
class ImpactSearchScratch {
 public:
  const SearchStats& stats() const { return buffers_.stats; }
  QueryBuffers& buffers() { return buffers_; }
  std::vector<ScoredPostingCursor<ImpactScorer>>& integer_cursors() { return integer_; }
  std::vector<ScoredPostingCursor<FloatImpactScorer>>& float_cursors() { return float_; }

 private:
  QueryBuffers buffers_;
  std::vector<ScoredPostingCursor<ImpactScorer>> integer_;
  std::vector<ScoredPostingCursor<FloatImpactScorer>> float_;
};

/// Adds the top-k documents of one segment (k = top.capacity()) for the disjunction of `terms`,
/// as search() does for BM25: a document's score is the double sum of its terms' float
/// contributions in the order of `terms`, rounded to float, and every algorithm returns the same
/// hits, scores and order. Throws Error(invalid_argument) for an offset outside its postings or a
/// negative or non-finite weight, Error(limit_exceeded) for more than kMaxQueryTerms terms.
/// Documents in `deleted` are never offered (as in search()).
void impact_search(QueryAlgorithm algorithm, ImpactEncoding encoding,
                   std::span<const ImpactQueryTerm> terms, TopK& top, ImpactSearchScratch& scratch,
                   DeletedDocs deleted = {});

}  // namespace tandem::sparse
