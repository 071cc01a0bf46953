// Block-Max WAND (Ding & Suel, "Faster top-k document retrieval using block-max indexes",
// SIGIR 2011), as in PISA's block_max_wand_query.
#pragma once

#include <algorithm>
#include <span>

#include "tandem/core/top_k.hpp"
#include "tandem/sparse/cursor/concepts.hpp"
#include "tandem/sparse/query/pruning.hpp"
#include "tandem/sparse/query/query_buffers.hpp"
#include "tandem/sparse/query/top_k_buffer.hpp"
#include "tandem/sparse/query/wand.hpp"

namespace tandem::sparse {

/// WAND's pivot, then a second test with block maxima: the windows of the lists up to the pivot
/// (and of the lists on the pivot's document) are moved shallowly to the pivot document and their
/// block maxima summed. If that bound can be pruned, no document from the pivot up to the end of
/// the shortest window (nor up to the next list's docid) can enter, and the most valuable list
/// before the pivot jumps past that range; otherwise WAND proceeds as usual.
template <BlockMaxCursor C>
void block_max_wand_search(std::span<C> cursors, TopK& out, QueryBuffers& buf) {
  const std::size_t m = cursors.size();
  if (m == 0 || out.capacity() == 0) return;
  buf.prepare(m);
  TopKBuffer& top = buf.best;
  top.reset(out);
  auto lists = std::span<OrderedList>(buf.ordered);
  detail::order_by_docid(cursors, lists);
  for (;;) {
    std::size_t pivot = detail::find_pivot(lists, top);
    if (pivot == m) break;
    const DocId pivot_doc = lists[pivot].doc;
    while (pivot + 1 < m && lists[pivot + 1].doc == pivot_doc) ++pivot;

    double block_bound = 0.0;
    for (std::size_t p = 0; p <= pivot; ++p) {
      C& c = cursors[lists[p].cursor];
      c.next_geq_shallow(pivot_doc);
      block_bound += c.block_max_score();
    }
    if (!can_prune(block_bound, top)) {
      if (lists[0].doc == pivot_doc) {
        detail::score_prefix(cursors, lists, pivot + 1, pivot_doc, top, buf);
      } else {
        detail::advance_to_pivot(cursors, lists, pivot, pivot_doc);
      }
      continue;
    }
    // Skip [pivot_doc, target): each window covers pivot_doc..block_max_docid() (>= pivot_doc), and
    // lists after the pivot are beyond target. target > pivot_doc, so the jump makes progress.
    DocId window_end = kEndDoc - 1;
    std::size_t best = 0;
    for (std::size_t p = 0; p <= pivot; ++p) {
      window_end = std::min(window_end, cursors[lists[p].cursor].block_max_docid());
      if (lists[p].max_score > lists[best].max_score) best = p;
    }
    DocId target = window_end + 1;
    if (pivot + 1 < m) target = std::min(target, lists[pivot + 1].doc);
    C& c = cursors[lists[best].cursor];
    c.next_geq(target);
    detail::sift_forward(lists, best, c.docid());
  }
  top.flush(out);
}

}  // namespace tandem::sparse
