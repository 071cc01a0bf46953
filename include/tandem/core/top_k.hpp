// A bounded collector of the k best hits in the engine's result order (score desc, doc asc).
#pragma once

#include <algorithm>
#include <cstddef>
#include <limits>
#include <vector>

#include "tandem/core/types.hpp"

namespace tandem {

/// Keeps the k best hits seen so far, ordered by ranks_before (score descending, doc ascending).
///
/// Contract for pruned document-at-a-time algorithms: when documents are offered in increasing
/// DocId order, a document can enter only if its score is strictly greater than threshold(),
/// because every document already held has a smaller id and wins a tie. So an algorithm may skip
/// any document whose score upper bound is <= threshold(). threshold() is -infinity until k hits
/// are held. Offering documents out of order is allowed (the full order is always applied on
/// insert), but then the skipping rule above does not hold.
///
/// Not thread-safe; meant to live in a per-thread search context and be reset() between queries,
/// which keeps its storage (no allocation in the hot loop).
class TopK {
 public:
  explicit TopK(std::size_t k = 10) { reset(k); }

  /// Empties the collector and sets a new capacity; keeps the allocated storage.
  void reset(std::size_t k) {
    k_ = k;
    heap_.clear();
    heap_.reserve(k);
    threshold_ = -std::numeric_limits<Score>::infinity();
  }

  std::size_t capacity() const { return k_; }
  std::size_t size() const { return heap_.size(); }
  bool full() const { return heap_.size() >= k_; }

  /// The score a new document (with a larger id than all held) must exceed to enter.
  Score threshold() const { return threshold_; }

  /// True when a document with this score, offered in increasing id order, would enter.
  bool would_enter(Score score) const { return score > threshold_ || !full(); }

  /// Offers a hit; returns true if it was kept.
  bool insert(DocId doc, Score score) {
    if (k_ == 0) return false;
    const Hit hit{doc, score};
    if (!full()) {
      heap_.push_back(hit);
      std::push_heap(heap_.begin(), heap_.end(), worse_first);
      if (full()) threshold_ = heap_.front().score;
      return true;
    }
    if (!ranks_before(hit, heap_.front())) return false;
    replace_top(hit);
    threshold_ = heap_.front().score;
    return true;
  }

  /// The held hits in result order. Leaves the collector empty (capacity unchanged).
  std::vector<Hit> take_sorted() {
    std::vector<Hit> out = std::move(heap_);
    std::sort(out.begin(), out.end(), ranks_before);
    heap_ = {};
    heap_.reserve(k_);
    threshold_ = -std::numeric_limits<Score>::infinity();
    return out;
  }

  /// Writes the held hits in result order into out (cleared first), keeping this collector's
  /// storage.
  void copy_sorted(std::vector<Hit>& out) const {
    out.assign(heap_.begin(), heap_.end());
    std::sort(out.begin(), out.end(), ranks_before);
  }

 private:
  // Heap comparator: the worst hit (lowest score; largest doc among equal scores) on top.
  static bool worse_first(const Hit& a, const Hit& b) { return ranks_before(a, b); }

  // Puts `hit` in place of the worst one and sifts it down: one pass instead of pop + push, the
  // common case of a full collector in a long result list.
  void replace_top(const Hit& hit) {
    const std::size_t n = heap_.size();
    std::size_t i = 0;
    for (;;) {
      std::size_t child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && worse_first(heap_[child], heap_[child + 1])) ++child;  // the worse child
      if (!worse_first(hit, heap_[child])) break;  // hit is worse than both: it stays here
      heap_[i] = heap_[child];
      i = child;
    }
    heap_[i] = hit;
  }

  std::size_t k_ = 0;
  std::vector<Hit> heap_;
  Score threshold_ = -std::numeric_limits<Score>::infinity();
};

}  // namespace tandem
