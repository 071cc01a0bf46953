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

namespace tandem::sparse {

/// MaxScore's essential / non-essential split on list maxima, plus three block-max tests:
///  1. regions: from a candidate to the end of the shortest block window of the essential lists,
///     every document is bounded by the essential block maxima plus the non-essential list maxima;
///     a prunable region is skipped whole (Ding & Suel's skip, on MaxScore's essential lists);
///  2. a candidate is bounded by the region block maxima of the essential lists holding it plus the
///     non-essential list maxima; if prunable it is stepped over without scoring anything;
///  3. otherwise it is scored as in MaxScore, the non-essential lists' windows moved to it and
///  probed
///     while the partial score plus the block maxima of the lists not yet probed can beat the
///     threshold.
/// Block maxima are computed once per block and cached by the cursors.
template <BlockMaxCursor C>
void block_max_maxscore_search(std::span<C> cursors, TopK& top, QueryBuffers& buf) {
  const std::size_t m = cursors.size();
  if (m == 0 || top.capacity() == 0) return;
  buf.prepare(m);
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
  auto& region_max = buf.list_bounds;  // per cursor: its block maximum over the current region
  bool have_region = false;
  DocId region_end = 0;
  DocId current = min_essential_docid();
  while (current != kEndDoc) {
    const double non_essential_max = essential > 0 ? ub[essential - 1] : 0.0;
    if (!have_region || current > region_end) {
      // A region starts at `current` and ends with the shortest block window of the essential
      // lists; their block maxima bound every document in it.
      have_region = true;
      region_end = kEndDoc - 1;
      double essential_sum = 0.0;
      for (std::size_t i = essential; i < m; ++i) {
        C& c = cursors[order[i]];
        c.next_geq_shallow(current);
        essential_sum += region_max[order[i]] = c.block_max_score();
        region_end = std::min(region_end, c.block_max_docid());
      }
      if (can_prune(non_essential_max + essential_sum, top)) {
        for (std::size_t i = essential; i < m; ++i) cursors[order[i]].next_geq(region_end + 1);
        current = min_essential_docid();
        continue;
      }
    }
    double on_current = 0.0;
    for (std::size_t i = essential; i < m; ++i) {
      if (cursors[order[i]].docid() == current) on_current += region_max[order[i]];
    }
    if (can_prune(non_essential_max + on_current, top)) {
      DocId next = kEndDoc;  // `current` cannot enter: step over it without scoring
      for (std::size_t i = essential; i < m; ++i) {
        C& c = cursors[order[i]];
        if (c.docid() == current) c.next();
        next = std::min(next, c.docid());
      }
      current = next;
      continue;
    }
    double partial = 0.0;
    DocId next = kEndDoc;
    for (std::size_t i = essential; i < m; ++i) {
      C& c = cursors[order[i]];
      if (c.docid() == current) {
        const Score s = c.score();
        contributions[c.term_index()] = s;
        partial += s;
        ++buf.stats.postings_scored;
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
        ++buf.stats.postings_scored;
      }
    }
    if (alive) {
      ++buf.stats.documents_scored;
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
}

}  // namespace tandem::sparse
