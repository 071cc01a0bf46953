// Exhaustive document-at-a-time disjunction: the oracle every pruned algorithm must match.
#pragma once

#include <algorithm>
#include <span>

#include "tandem/core/top_k.hpp"
#include "tandem/sparse/cursor/concepts.hpp"
#include "tandem/sparse/query/query_buffers.hpp"

namespace tandem::sparse {

/// Scores every document of every list and offers each to `top`. Cursors are in query-term order
/// (cursors[i].term_index() == i), so the double sum below runs in the defined summation order.
/// O(P * m) for P postings and m terms; no pruning, no bounds: deliberately the plain loop.
/// Documents in buf.best.deleted() are scored but not offered.
template <ScoredCursor C>
void exhaustive_search(std::span<C> cursors, TopK& top, QueryBuffers& buf) {
  SearchStats stats;  // counted in registers, published once at the end
  DocId current = kEndDoc;
  for (const C& c : cursors) current = std::min(current, c.docid());
  while (current != kEndDoc) {
    double sum = 0.0;
    DocId next = kEndDoc;
    for (C& c : cursors) {
      if (c.docid() == current) {
        sum += c.score();
        ++stats.postings_scored;
        c.next();
      }
      next = std::min(next, c.docid());
    }
    ++stats.documents_scored;
    if (!buf.best.deleted().contains(current)) top.insert(current, static_cast<Score>(sum));
    current = next;
  }
  buf.stats.postings_scored += stats.postings_scored;
  buf.stats.documents_scored += stats.documents_scored;
}

}  // namespace tandem::sparse
