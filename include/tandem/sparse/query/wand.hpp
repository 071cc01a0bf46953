// WAND (Broder, Carmel, Herscovici, Soffer & Zien, "Efficient query evaluation using a two-level
// retrieval process", CIKM 2003), document-at-a-time as in PISA's wand_query.
#pragma once

#include <algorithm>
#include <numeric>
#include <span>

#include "tandem/core/top_k.hpp"
#include "tandem/sparse/cursor/concepts.hpp"
#include "tandem/sparse/query/pruning.hpp"
#include "tandem/sparse/query/query_buffers.hpp"

namespace tandem::sparse {

namespace detail {

/// Keeps buf.order sorted by docid after the cursor at position p moved forward: bubbles it right.
template <FreqCursor C>
void sift_forward(std::span<C> cursors, std::span<std::uint32_t> order, std::size_t p) {
  const std::uint32_t moved = order[p];
  const DocId d = cursors[moved].docid();
  while (p + 1 < order.size() && cursors[order[p + 1]].docid() < d) {
    order[p] = order[p + 1];
    ++p;
  }
  order[p] = moved;
}

/// Sorts buf.order by docid (ties by cursor index).
template <FreqCursor C>
void sort_by_docid(std::span<C> cursors, std::span<std::uint32_t> order) {
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return cursors[a].docid() < cursors[b].docid() ||
           (cursors[a].docid() == cursors[b].docid() && a < b);
  });
}

/// WAND's pivot: the first position p, in docid order, where the max_score prefix sum can beat the
/// threshold. Every document below the pivot's docid only occurs in lists before p, whose bounds
/// sum to a prunable value. Returns order.size() when no document left can enter.
template <ScoredCursor C>
std::size_t find_pivot(std::span<C> cursors, std::span<const std::uint32_t> order,
                       const TopK& top) {
  double acc = 0.0;
  for (std::size_t p = 0; p < order.size(); ++p) {
    const C& c = cursors[order[p]];
    if (c.docid() == kEndDoc) break;
    acc += c.max_score();
    if (!can_prune(acc, top)) return p;
  }
  return order.size();
}

/// Scores the cursors at positions [0, end) (all on document `doc`), offers the document, advances
/// them and restores the docid order.
template <ScoredCursor C>
void score_prefix(std::span<C> cursors, std::span<std::uint32_t> order, std::size_t end, DocId doc,
                  TopK& top, QueryBuffers& buf) {
  auto contributions = std::span<float>(buf.contributions);
  for (std::size_t p = 0; p < end; ++p) {
    C& c = cursors[order[p]];
    contributions[c.term_index()] = c.score();
    c.next();
  }
  buf.stats.postings_scored += end;
  ++buf.stats.documents_scored;
  top.insert(doc, take_document_score(contributions));
  for (std::size_t p = end; p-- > 0;) sift_forward(cursors, order, p);
}

}  // namespace detail

/// Lists kept sorted by current docid; the pivot (detail::find_pivot) is the first document that
/// can enter. If the lists before the pivot are all on it, it is scored; otherwise the last list
/// before the pivot jumps to it with next_geq, skipping the documents in between.
template <ScoredCursor C>
void wand_search(std::span<C> cursors, TopK& top, QueryBuffers& buf) {
  const std::size_t m = cursors.size();
  if (m == 0 || top.capacity() == 0) return;
  buf.prepare(m);
  auto order = std::span<std::uint32_t>(buf.order);
  detail::sort_by_docid(cursors, order);
  for (;;) {
    const std::size_t pivot =
        detail::find_pivot(cursors, std::span<const std::uint32_t>(order), top);
    if (pivot == m) break;
    const DocId pivot_doc = cursors[order[pivot]].docid();
    if (cursors[order[0]].docid() == pivot_doc) {
      std::size_t end = pivot + 1;  // lists after the pivot may be on the same document
      while (end < m && cursors[order[end]].docid() == pivot_doc) ++end;
      detail::score_prefix(cursors, order, end, pivot_doc, top, buf);
    } else {
      std::size_t p = pivot;
      while (cursors[order[p]].docid() == pivot_doc) --p;  // stops: order[0] is below pivot_doc
      cursors[order[p]].next_geq(pivot_doc);
      detail::sift_forward(cursors, order, p);
    }
  }
}

}  // namespace tandem::sparse
