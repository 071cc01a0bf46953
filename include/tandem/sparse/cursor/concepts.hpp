// The cursor vocabulary every query algorithm is written against (architecture.md, "The query
// side"). A cursor walks one posting list in increasing DocId order and never moves backwards.
//
// States: after construction a cursor is on its first posting. docid() is the current document, or
// kEndDoc once the list is exhausted; at kEndDoc, next() and next_geq() leave it there. Scores and
// frequencies are only defined while docid() != kEndDoc.
#pragma once

#include <concepts>
#include <cstdint>

#include "tandem/core/types.hpp"

namespace tandem::sparse {

/// A cursor over (doc, freq) postings. Requirements:
template <typename C>
concept FreqCursor = std::movable<C> && requires(C c, const C cc, DocId target) {
  // The current document, kEndDoc when exhausted. O(1).
  { cc.docid() } -> std::same_as<DocId>;
  // Moves to the next posting (or to kEndDoc). Amortised O(1).
  { c.next() } -> std::same_as<void>;
  // Moves to the first posting with docid >= target; does nothing if docid() >= target already.
  // Skips whole blocks through the block directory without decoding them.
  { c.next_geq(target) } -> std::same_as<void>;
  // The current posting's frequency (>= 1). Precondition: docid() != kEndDoc.
  { c.freq() } -> std::same_as<std::uint32_t>;
  // The list's document frequency (number of postings).
  { cc.size() } -> std::same_as<std::uint32_t>;
};

/// A posting cursor bound to a term scorer. Requirements, in addition:
template <typename C>
concept ScoredCursor = FreqCursor<C> && requires(C c, const C cc) {
  // The current posting's contribution. Precondition: docid() != kEndDoc.
  { c.score() } -> std::same_as<Score>;
  // An upper bound of score() over the whole list, fixed for the cursor's life. O(1).
  { cc.max_score() } -> std::same_as<Score>;
  // The query term this cursor scores: its position in the query (the summation order).
  { cc.term_index() } -> std::same_as<std::uint32_t>;
};

/// A scored cursor with per-block upper bounds (Ding & Suel 2011). Besides the posting, it keeps a
/// block window that the shallow move advances without decoding anything. Requirements, in
/// addition:
template <typename C>
concept BlockMaxCursor = ScoredCursor<C> && requires(C c, const C cc, DocId target) {
  // Moves the block window forward to the block that would hold target (the first block whose last
  // document is >= target; the last block if none). Never moves it backwards; the posting stays.
  { c.next_geq_shallow(target) } -> std::same_as<void>;
  // The last document the window covers: no posting in (previous window end, block_max_docid()]
  // scores more than block_max_score(). The last block reports kEndDoc - 1 (it covers the rest).
  { cc.block_max_docid() } -> std::same_as<DocId>;
  // An upper bound of score() over the window's postings (computed once per block, then cached).
  { c.block_max_score() } -> std::same_as<Score>;
};

}  // namespace tandem::sparse
