// The top-k collector of the pruned algorithms: a buffer with periodic selection instead of a heap.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include "tandem/core/top_k.hpp"
#include "tandem/core/types.hpp"
#include "tandem/sparse/deleted_docs.hpp"

namespace tandem::sparse {

/// Collects the k best hits of one search, then hands them to the caller's TopK. A hit above the
/// threshold is appended to a buffer of 2k + 16; when the buffer is full, a selection
/// (std::nth_element) keeps the k best and the threshold rises to the k-th one's score (Tantivy's
/// TopNComputer works the same way). That is O(1) amortised per hit where a heap pays O(log k)
/// unpredictable comparisons, which dominates at k = 1000; the threshold lags a heap's by at most
/// 2k + 16 hits, so a little less is pruned early on.
///
/// Same contract as TopK for pruned document-at-a-time search: with documents offered in
/// increasing DocId order, a document can only matter if its score is > threshold(). Initial
/// threshold: the caller's top.threshold() (its hits are assumed to rank before ours on ties).
///
/// Deleted documents (set_deleted) never enter: they are dropped after the threshold test, so a
/// search without deletions pays one predictable branch per document that beats the threshold.
/// Skipping a document can only leave the threshold lower, so every pruning decision stays safe.
class TopKBuffer {
 public:
  /// The documents to drop from now on (kept across reset()).
  void set_deleted(DeletedDocs deleted) { deleted_ = deleted; }
  const DeletedDocs& deleted() const { return deleted_; }

  void reset(const TopK& top) {
    k_ = top.capacity();
    threshold_ = top.threshold();
    hits_.clear();
    hits_.reserve(k_ + k_ / 4 + 1);
  }

  Score threshold() const { return threshold_; }

  /// Offers a hit; returns true when this raised the threshold.
  bool insert(DocId doc, Score score) {
    if (!(score > threshold_) || deleted_.contains(doc)) return false;
    hits_.push_back(Hit{doc, score});
    if (hits_.size() < k_ + k_ / 4 + 1) return false;
    return select();
  }

  /// Adds the k best hits to `top` (any order: TopK orders them) and empties the buffer.
  void flush(TopK& top) {
    for (const Hit& h : hits_) top.insert(h.doc, h.score);
    hits_.clear();
  }

 private:
  bool select() {
    const auto kth = hits_.begin() + static_cast<std::ptrdiff_t>(k_) - 1;
    std::nth_element(hits_.begin(), kth, hits_.end(), ranks_before);
    hits_.resize(k_);
    // The k kept hits all rank before-or-at hits_[k - 1]; a later document (larger id) needs a
    // strictly larger score to beat it.
    const Score raised = hits_[k_ - 1].score;
    if (!(raised > threshold_)) return false;
    threshold_ = raised;
    return true;
  }

  std::size_t k_ = 0;
  Score threshold_ = 0;
  std::vector<Hit> hits_;
  DeletedDocs deleted_;
};

}  // namespace tandem::sparse
