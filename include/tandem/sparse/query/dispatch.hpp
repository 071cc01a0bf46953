// The one switch from a QueryAlgorithm value to its template: shared by BM25 search
// (sparse/search.hpp) and impact search (sparse/impact_search.hpp).
#pragma once

#include <span>

#include "tandem/core/error.hpp"
#include "tandem/core/top_k.hpp"
#include "tandem/sparse/query/block_max_maxscore.hpp"
#include "tandem/sparse/query/block_max_wand.hpp"
#include "tandem/sparse/query/exhaustive.hpp"
#include "tandem/sparse/query/maxscore.hpp"
#include "tandem/sparse/query/pruning.hpp"
#include "tandem/sparse/query/query_algorithm.hpp"
#include "tandem/sparse/query/query_buffers.hpp"
#include "tandem/sparse/query/wand.hpp"

namespace tandem::sparse {

/// Runs `algorithm` over the cursors (one per query term, in query-term order) into `top`.
/// Throws Error(invalid_argument) for a value outside the enum.
template <typename Cursor>
void dispatch(QueryAlgorithm algorithm, std::span<Cursor> cursors, TopK& top, QueryBuffers& buf) {
  switch (algorithm) {
    case QueryAlgorithm::exhaustive:
      exhaustive_search(cursors, top, buf);
      return;
    case QueryAlgorithm::maxscore:
      maxscore_search(cursors, top, buf);
      return;
    case QueryAlgorithm::wand:
      wand_search(cursors, top, buf);
      return;
    case QueryAlgorithm::block_max_wand:
      block_max_wand_search(cursors, top, buf);
      return;
    case QueryAlgorithm::block_max_maxscore:
      block_max_maxscore_search(cursors, top, buf);
      return;
  }
  fail(ErrorKind::invalid_argument, "unknown query algorithm {}", static_cast<int>(algorithm));
}

}  // namespace tandem::sparse
