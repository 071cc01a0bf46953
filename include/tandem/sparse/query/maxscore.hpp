// MaxScore (Turtle & Flood, "Query evaluation: strategies and optimizations", IP&M 31(6), 1995),
// document-at-a-time as in PISA's maxscore_query.
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

/// Lists sorted by max_score ascending; the shortest prefix whose bounds sum to <= threshold is
/// "non-essential": a document found only there cannot enter the top-k, so candidates come from the
/// essential lists alone, and non-essential lists are probed with next_geq only while the candidate
/// can still beat the threshold (partial score + bounds of the lists not yet probed > threshold).
/// Every pruning test is can_prune (query/pruning.hpp explains why it never loses a document).
template <ScoredCursor C>
void maxscore_search(std::span<C> cursors, TopK& out, QueryBuffers& buf) {
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
  auto& ub = buf.bounds;  // ub[i] = sum of max_score over order[0..i]
  double acc = 0.0;
  for (std::size_t i = 0; i < m; ++i) ub[i] = acc += cursors[order[i]].max_score();
  auto contributions = std::span<float>(buf.contributions);

  std::size_t essential = 0;  // order[essential..m) are the essential lists
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
    bool alive = true;
    for (std::size_t i = essential; i-- > 0;) {  // most valuable non-essential list first
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
