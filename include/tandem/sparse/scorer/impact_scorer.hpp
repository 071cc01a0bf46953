// Learned-sparse impact scorers: a posting's contribution is the query weight times the document's
// stored impact (a dot product, Anserini's and the Lucene peer's ImpactSimilarity: boost * freq).
//
// Monotonicity (why the codec's score summaries bound the scores): for a weight w >= 0, the float
// product w * x is non-decreasing in x under round-to-nearest, and the norm byte plays no part, so
// bound(F, n) >= score(d, f) whenever the impact f <= F.
#pragma once

#include <bit>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <limits>

#include "tandem/sparse/scorer/concepts.hpp"

namespace tandem::sparse {

/// Integer impacts (integer, u8 and u16 quantisation): score = weight * float(impact), where
/// weight already includes the field's impact scale. With integer query weights and impacts below
/// 2^24 the product is exact, so scores equal Lucene's bit for bit.
class ImpactScorer {
 public:
  explicit ImpactScorer(float weight) : weight_(weight) { assert(weight >= 0); }

  Score score(DocId, std::uint32_t impact) const { return weight_ * static_cast<float>(impact); }
  Score bound(float impact, std::uint8_t) const { return weight_ * impact; }

 private:
  float weight_;
};
static_assert(TermScorer<ImpactScorer>);

/// Float impacts stored as their IEEE bit patterns (positive floats order like their patterns):
/// score = weight * bit_cast<float>(impact). A summary's frequency F is an upper bound of the
/// patterns it covers; it is an integer-valued float (the codec rounds up to a value with few
/// significant bits, exactly representable), so converting it back to a pattern is exact, or +inf.
class FloatImpactScorer {
 public:
  explicit FloatImpactScorer(float weight) : weight_(weight) { assert(weight >= 0); }

  Score score(DocId, std::uint32_t impact) const { return weight_ * std::bit_cast<float>(impact); }
  Score bound(float impact_bits, std::uint8_t) const {
    if (!(impact_bits < 2139095040.0f)) return std::numeric_limits<Score>::infinity();  // >= +inf
    return weight_ * std::bit_cast<float>(static_cast<std::uint32_t>(impact_bits));
  }

 private:
  float weight_;
};
static_assert(TermScorer<FloatImpactScorer>);

}  // namespace tandem::sparse
