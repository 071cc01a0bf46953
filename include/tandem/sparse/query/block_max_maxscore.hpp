// Block-Max MaxScore: MaxScore (Turtle & Flood 1995) whose essential lists skip, block by block,
// the regions that Ding & Suel's (SIGIR 2011) block maxima show cannot reach the top-k. A variant
// of the block-max MaxScore evaluated by Mallia, Siedlaczek & Suel, "An experimental study of index
// compression and DAAT query processing methods", ECIR 2019.
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

/// MaxScore (query/maxscore.hpp) plus Ding & Suel's block skip on the essential lists: from the
/// current candidate to the end of the shortest block window of the essential lists (a "region"),
/// every document is bounded by the essential lists' block maxima plus the non-essential lists'
/// maxima; when that bound can be pruned, the essential lists jump past the region without looking
/// at its postings. Candidates are otherwise evaluated exactly as in MaxScore. Much faster than
/// MaxScore when one list dominates (single-term queries: it skips the blocks that cannot beat the
/// threshold); a few percent slower when many short regions must be tested.
template <BlockMaxCursor C>
void block_max_maxscore_search(std::span<C> cursors, TopK& out, QueryBuffers& buf) {
  SearchStats stats;  // counted in registers, published once at the end
  const std::size_t m = cursors.size();
  if (m == 0 || out.capacity() == 0) return;
  buf.prepare(m);
  TopKBuffer& top = buf.best;
  top.reset(out);
  auto& order = buf.order;
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return cursors[a].max_score() < cursors[b].max_score() ||
           (cursors[a].max_score() == cursors[b].max_score() && a < b);
  });
  auto& ub = buf.bounds;
  double acc = 0.0;
  for (std::size_t i = 0; i < m; ++i) ub[i] = acc += cursors[order[i]].max_score();
  auto contributions = std::span<float>(buf.contributions);

  std::size_t essential = 0;
  auto raise_essential = [&] {
    while (essential < m && can_prune(ub[essential], top)) ++essential;
  };
  auto min_essential_docid = [&] {
    DocId d = kEndDoc;
    for (std::size_t i = essential; i < m; ++i) d = std::min(d, cursors[order[i]].docid());
    return d;
  };
  raise_essential();
  DocId current = min_essential_docid();
  DocId region_end = 0;  // the essential lists' windows cover [.., region_end]; 0: none yet
  bool have_region = false;
  while (current != kEndDoc) {
    if (!have_region || current > region_end) {
      // Essential block maxima plus non-essential list maxima bound every document up to the end
      // of the shortest essential window: if prunable, the essential lists jump past it.
      have_region = true;
      region_end = kEndDoc - 1;
      double bound = essential > 0 ? ub[essential - 1] : 0.0;
      for (std::size_t i = essential; i < m; ++i) {
        C& c = cursors[order[i]];
        c.next_geq_shallow(current);
        bound += c.block_max_score();
        region_end = std::min(region_end, c.block_max_docid());
      }
      if (can_prune(bound, top)) {
        for (std::size_t i = essential; i < m; ++i) cursors[order[i]].next_geq(region_end + 1);
        current = min_essential_docid();
        continue;
      }
    }
    double partial = 0.0;
    DocId next = kEndDoc;
    for (std::size_t i = essential; i < m; ++i) {
      C& c = cursors[order[i]];
      if (c.docid() == current) {
        const Score s = c.score();
        contributions[c.term_index()] = s;
        partial += s;
        ++stats.postings_scored;
        c.next();
      }
      next = std::min(next, c.docid());
    }
    bool alive = true;
    for (std::size_t i = essential; i-- > 0;) {
      if (can_prune(partial + ub[i], top)) {
        alive = false;
        break;
      }
      C& c = cursors[order[i]];
      c.next_geq(current);
      if (c.docid() == current) {
        const Score s = c.score();
        contributions[c.term_index()] = s;
        partial += s;
        ++stats.postings_scored;
      }
    }
    if (alive) {
      ++stats.documents_scored;
      if (top.insert(current, take_document_score(contributions))) {
        const std::size_t before = essential;
        raise_essential();
        if (essential != before) {
          next = min_essential_docid();
          have_region = false;
        }
      }
    } else {
      clear_contributions(contributions);
    }
    current = next;
  }
  top.flush(out);
  buf.stats.postings_scored += stats.postings_scored;
  buf.stats.documents_scored += stats.documents_scored;
}

}  // namespace tandem::sparse
