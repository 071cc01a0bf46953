// Block-Max MaxScore: MaxScore (Turtle & Flood 1995) whose candidates are first tested against the
// block maxima of the non-essential lists (Ding & Suel 2011's block-max bounds; the variant
// evaluated by Mallia, Siedlaczek & Suel, "An experimental study of index compression and DAAT
// query processing methods", ECIR 2019).
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

/// As maxscore_search, but before probing the non-essential lists for a candidate, their windows
/// are moved shallowly to it and the probing stops as soon as the partial score plus the block
/// maxima of the lists not yet probed can be pruned. Block maxima are computed once per block.
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
  auto& bb = buf.block_bounds;  // bb[i] = sum of block maxima over order[0..i] at the candidate
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
  while (current != kEndDoc) {
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
    double block_acc = 0.0;
    for (std::size_t i = 0; i < essential; ++i) {
      C& c = cursors[order[i]];
      c.next_geq_shallow(current);
      bb[i] = block_acc += c.block_max_score();
    }
    bool alive = true;
    for (std::size_t i = essential; i-- > 0;) {
      if (can_prune(partial + bb[i], top)) {
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
        if (essential != before) next = min_essential_docid();
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
