// A posting cursor bound to a term scorer, with list and block upper bounds.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>

#include "tandem/sparse/codec/score_frontier.hpp"
#include "tandem/sparse/cursor/concepts.hpp"
#include "tandem/sparse/cursor/posting_cursor.hpp"
#include "tandem/sparse/scorer/concepts.hpp"

namespace tandem::sparse {

/// Scores the postings of one list with S. max_score() is fixed at construction: for a list of one
/// block, the largest score() of its postings (the block is decoded anyway); for longer lists, the
/// largest S::bound over the list's (freq, norm) frontier. block_max_score() scores the window
/// block's summary pairs the first time it is asked for that block. Summary pairs dominate every
/// posting they cover, so these maxima bound every score() (scorer/bm25_scorer.hpp explains the
/// monotonicity).
template <TermScorer S>
class ScoredPostingCursor {
 public:
  /// `list` and `summary` as for PostingCursor.
  ScoredPostingCursor(const std::byte* list, const PostingListSummary& summary, S scorer,
                      std::uint32_t term_index)
      : term_index_(term_index), scorer_(scorer), postings_(list, summary) {
    const codec::ListLayout& l = postings_.layout();
    Score best = 0;
    if (l.num_blocks == 1) {
      for (std::uint32_t i = 0; i < postings_.block_size(); ++i) {
        best = std::max(best, scorer_.score(postings_.doc_at(i), postings_.freq_at(i)));
      }
    } else {
      const std::byte* p = l.frontier;
      for (std::uint32_t i = 0; i < l.frontier_size; ++i) {
        const std::uint32_t freq = codec::read_varint(p);
        const auto norm = static_cast<std::uint8_t>(*p++);
        best = std::max(best, scorer_.bound(static_cast<float>(freq), norm));
      }
    }
    max_score_ = best;
  }

  DocId docid() const { return postings_.docid(); }
  void next() { postings_.next(); }
  void next_geq(DocId target) { postings_.next_geq(target); }
  std::uint32_t freq() { return postings_.freq(); }
  std::uint32_t size() const { return postings_.size(); }

  Score score() { return scorer_.score(postings_.docid(), postings_.freq()); }
  Score max_score() const { return max_score_; }
  std::uint32_t term_index() const { return term_index_; }

  void next_geq_shallow(DocId target) {
    const codec::ListLayout& l = postings_.layout();
    if (l.num_blocks == 1) return;
    // Search from the posting's block if it is ahead of the window.
    const std::uint32_t from = std::max(window_, postings_.block());
    if (l.last_doc(from) >= target) {
      window_ = from;
      return;
    }
    window_ = std::min(l.find_block(from, target), l.num_blocks - 1);
  }

  DocId block_max_docid() const {
    const codec::ListLayout& l = postings_.layout();
    return window_ + 1 < l.num_blocks ? l.last_doc(window_) : kEndDoc - 1;
  }

  Score block_max_score() {
    if (window_ != scored_window_) {
      scored_window_ = window_;
      window_max_ = score_window();
    }
    return window_max_;
  }

 private:
  Score score_window() const {
    const codec::ListLayout& l = postings_.layout();
    if (l.num_blocks == 1) return max_score_;
    const std::byte* summary = l.summary(window_);
    Score best = 0;
    for (std::uint32_t s = 0; s < codec::kBlockFrontierSlots; ++s) {
      const float freq = codec::freq_code_value(static_cast<std::uint8_t>(summary[2 * s]));
      const auto norm = static_cast<std::uint8_t>(summary[2 * s + 1]);
      best = std::max(best, scorer_.bound(freq, norm));
    }
    // The list bound holds too (its frequencies are exact, the block's are rounded up).
    return std::min(best, max_score_);
  }

  // The fields the algorithms read per step first, the posting cursor (with its buffers) last.
  Score max_score_ = 0;
  std::uint32_t window_ = 0;
  std::uint32_t scored_window_ = std::numeric_limits<std::uint32_t>::max();
  Score window_max_ = 0;
  std::uint32_t term_index_;
  S scorer_;
  PostingCursor postings_;
};

}  // namespace tandem::sparse
