// Block-Max WAND (Ding & Suel, "Faster top-k document retrieval using block-max indexes",
// SIGIR 2011), as in PISA's block_max_wand_query.
#pragma once

#include <algorithm>
#include <span>

#include "tandem/core/top_k.hpp"
#include "tandem/sparse/cursor/concepts.hpp"
#include "tandem/sparse/query/pruning.hpp"
#include "tandem/sparse/query/query_buffers.hpp"
#include "tandem/sparse/query/wand.hpp"

namespace tandem::sparse {

/// WAND's pivot, then a second test with block maxima: the windows of the lists up to the pivot
/// (and of the lists on the pivot's document) are moved shallowly to the pivot document and their
/// block maxima summed. If that bound can be pruned, no document from the pivot up to the end of
/// the shortest window (nor up to the next list's docid) can enter, and the most valuable list
/// before the pivot jumps past that range; otherwise WAND proceeds as usual.
template <BlockMaxCursor C>
void block_max_wand_search(std::span<C> cursors, TopK& top, QueryBuffers& buf) {
  const std::size_t m = cursors.size();
  if (m == 0 || top.capacity() == 0) return;
  buf.prepare(m);
  auto order = std::span<std::uint32_t>(buf.order);
  detail::sort_by_docid(cursors, order);
  for (;;) {
    std::size_t pivot = detail::find_pivot(cursors, std::span<const std::uint32_t>(order), top);
    if (pivot == m) break;
    const DocId pivot_doc = cursors[order[pivot]].docid();
    while (pivot + 1 < m && cursors[order[pivot + 1]].docid() == pivot_doc) ++pivot;

    double block_bound = 0.0;
    for (std::size_t p = 0; p <= pivot; ++p) {
      C& c = cursors[order[p]];
      c.next_geq_shallow(pivot_doc);
      block_bound += c.block_max_score();
    }
    if (!can_prune(block_bound, top)) {
      if (cursors[order[0]].docid() == pivot_doc) {
        detail::score_prefix(cursors, order, pivot + 1, pivot_doc, top, buf);
      } else {
        std::size_t p = pivot;
        while (cursors[order[p]].docid() == pivot_doc) --p;
        cursors[order[p]].next_geq(pivot_doc);
        detail::sift_forward(cursors, order, p);
      }
      continue;
    }
    // Skip [pivot_doc, target): each window covers pivot_doc..block_max_docid() (>= pivot_doc), and
    // lists after the pivot are beyond target. target > pivot_doc, so the jump makes progress.
    DocId window_end = kEndDoc - 1;
    std::size_t best = 0;
    for (std::size_t p = 0; p <= pivot; ++p) {
      const C& c = cursors[order[p]];
      window_end = std::min(window_end, c.block_max_docid());
      if (c.max_score() > cursors[order[best]].max_score()) best = p;
    }
    DocId target = window_end + 1;
    if (pivot + 1 < m) target = std::min(target, cursors[order[pivot + 1]].docid());
    cursors[order[best]].next_geq(target);
    detail::sift_forward(cursors, order, best);
  }
}

}  // namespace tandem::sparse
