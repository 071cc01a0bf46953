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
#include "tandem/sparse/query/top_k_buffer.hpp"

namespace tandem::sparse {

namespace detail {

/// Fills `lists` with every cursor, sorted by docid (ties by cursor index).
template <ScoredCursor C>
void order_by_docid(std::span<C> cursors, std::span<OrderedList> lists) {
  for (std::size_t i = 0; i < cursors.size(); ++i) {
    lists[i] =
        OrderedList{cursors[i].docid(), cursors[i].max_score(), static_cast<std::uint32_t>(i)};
  }
  std::sort(lists.begin(), lists.end(), [](const OrderedList& a, const OrderedList& b) {
    return a.doc < b.doc || (a.doc == b.doc && a.cursor < b.cursor);
  });
}

/// Restores the docid order after the list at position p moved forward to `doc`: bubbles it right.
inline void sift_forward(std::span<OrderedList> lists, std::size_t p, DocId doc) {
  OrderedList moved = lists[p];
  moved.doc = doc;
  while (p + 1 < lists.size() && lists[p + 1].doc < doc) {
    lists[p] = lists[p + 1];
    ++p;
  }
  lists[p] = moved;
}

/// WAND's pivot: the first position p, in docid order, where the max_score prefix sum can beat the
/// threshold. Every document below the pivot's docid only occurs in lists before p, whose bounds
/// sum to a prunable value. Returns lists.size() when no document left can enter.
inline std::size_t find_pivot(std::span<const OrderedList> lists, const TopKBuffer& top) {
  double acc = 0.0;
  for (std::size_t p = 0; p < lists.size(); ++p) {
    if (lists[p].doc == kEndDoc) break;
    acc += lists[p].max_score;
    if (!can_prune(acc, top)) return p;
  }
  return lists.size();
}

/// Scores the lists at positions [0, end) (all on document `doc`), offers the document, advances
/// them and restores the docid order.
template <ScoredCursor C>
void score_prefix(std::span<C> cursors, std::span<OrderedList> lists, std::size_t end, DocId doc,
                  TopKBuffer& top, QueryBuffers& buf) {
  auto contributions = std::span<float>(buf.contributions);
  for (std::size_t p = 0; p < end; ++p) {
    C& c = cursors[lists[p].cursor];
    contributions[c.term_index()] = c.score();
    c.next();
  }
  buf.stats.postings_scored += end;
  ++buf.stats.documents_scored;
  top.insert(doc, take_document_score(contributions));
  for (std::size_t p = end; p-- > 0;) sift_forward(lists, p, cursors[lists[p].cursor].docid());
}

/// Moves the last list before position `pivot` that is not on `pivot_doc` to it (lists before the
/// pivot hold no document below pivot_doc that can enter). Precondition: lists[0].doc < pivot_doc.
template <ScoredCursor C>
void advance_to_pivot(std::span<C> cursors, std::span<OrderedList> lists, std::size_t pivot,
                      DocId pivot_doc) {
  std::size_t p = pivot;
  while (lists[p].doc == pivot_doc) --p;
  C& c = cursors[lists[p].cursor];
  c.next_geq(pivot_doc);
  sift_forward(lists, p, c.docid());
}

}  // namespace detail

/// Lists kept sorted by current docid; the pivot (detail::find_pivot) is the first document that
/// can enter. If the lists before the pivot are all on it, it is scored; otherwise the last list
/// before the pivot jumps to it with next_geq, skipping the documents in between.
template <ScoredCursor C>
void wand_search(std::span<C> cursors, TopK& out, QueryBuffers& buf) {
  const std::size_t m = cursors.size();
  if (m == 0 || out.capacity() == 0) return;
  buf.prepare(m);
  TopKBuffer& top = buf.best;
  top.reset(out);
  auto lists = std::span<OrderedList>(buf.ordered);
  detail::order_by_docid(cursors, lists);
  for (;;) {
    const std::size_t pivot = detail::find_pivot(lists, top);
    if (pivot == m) break;
    const DocId pivot_doc = lists[pivot].doc;
    if (lists[0].doc == pivot_doc) {
      std::size_t end = pivot + 1;  // lists after the pivot may be on the same document
      while (end < m && lists[end].doc == pivot_doc) ++end;
      detail::score_prefix(cursors, lists, end, pivot_doc, top, buf);
    } else {
      detail::advance_to_pivot(cursors, lists, pivot, pivot_doc);
    }
  }
  top.flush(out);
}

}  // namespace tandem::sparse
