// Per-thread reusable storage for search().
#pragma once

#include <type_traits>
#include <vector>

#include "tandem/sparse/cursor/scored_cursor.hpp"
#include "tandem/sparse/query/query_buffers.hpp"
#include "tandem/sparse/scorer/bm25_scorer.hpp"

namespace tandem::sparse {

static_assert(BlockMaxCursor<ScoredPostingCursor<Bm25LuceneScorer>>);
static_assert(BlockMaxCursor<ScoredPostingCursor<Bm25ExactScorer>>);

/// Everything one search needs besides its inputs: cursors (with their decode buffers) and the
/// algorithms' arrays. Keep one per thread and pass it to every search(); once it has seen the
/// largest query, searching allocates nothing. Not thread-safe.
class SearchScratch {
 public:
  /// What the last search() did.
  const SearchStats& stats() const { return buffers_.stats; }

  QueryBuffers& buffers() { return buffers_; }

  /// The cursor storage for one scorer type, emptied (capacity kept).
  template <TermScorer S>
  std::vector<ScoredPostingCursor<S>>& cursors() {
    if constexpr (std::is_same_v<S, Bm25LuceneScorer>) {
      lucene_cursors_.clear();
      return lucene_cursors_;
    } else {
      static_assert(std::is_same_v<S, Bm25ExactScorer>, "add storage for the new scorer type");
      exact_cursors_.clear();
      return exact_cursors_;
    }
  }

 private:
  QueryBuffers buffers_;
  std::vector<ScoredPostingCursor<Bm25LuceneScorer>> lucene_cursors_;
  std::vector<ScoredPostingCursor<Bm25ExactScorer>> exact_cursors_;
};

}  // namespace tandem::sparse
