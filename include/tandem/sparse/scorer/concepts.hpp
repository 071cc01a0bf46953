// What a query algorithm needs from a per-term scorer.
#pragma once

#include <concepts>
#include <cstdint>

#include "tandem/core/types.hpp"

namespace tandem::sparse {

/// A term's scoring function on one segment, copied into each scored cursor. Requirements:
template <typename S>
concept TermScorer = std::copyable<S> &&
    requires(const S s, DocId doc, std::uint32_t freq, float bound_freq, std::uint8_t norm) {
  // The contribution of posting (doc, freq): a deterministic float, >= 0.
  { s.score(doc, freq) } -> std::same_as<Score>;
  // An upper bound of score(d, f) over every posting with f <= bound_freq whose norm byte is >=
  // norm (the bound of one (freq, norm) summary pair); non-decreasing in bound_freq, non-increasing
  // in norm.
  { s.bound(bound_freq, norm) } -> std::same_as<Score>;
};

}  // namespace tandem::sparse
