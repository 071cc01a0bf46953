// The typed BM25 scorers the query loops are instantiated with, one per LengthMode.
//
// Monotonicity (why summary pairs bound the scores; Lucene 8's BM25Scorer comment makes the same
// argument): with weight >= 0 and c = cache[norm] > 0, score = weight - weight / (1f + freq * c) is
// built from float operations that are each monotone under round-to-nearest (x * c, 1 + x,
// weight / y, weight - z), so it is non-decreasing in freq and in c, and c is non-increasing in the
// document length. Hence bound(F, n) >= score(d, f) whenever f <= F and length(d) >=
// lucene_norm_length(n).
#pragma once

#include <cassert>
#include <cstdint>

#include "tandem/sparse/bm25.hpp"
#include "tandem/sparse/scorer/concepts.hpp"

namespace tandem::sparse {

/// BM25 on Lucene's one-byte norms: bit-identical to Lucene 8's BM25Scorer.score.
class Bm25LuceneScorer {
 public:
  explicit Bm25LuceneScorer(const Bm25TermScorer& s)
      : weight_(s.weight), norm_inverse_(s.norm_inverse), norms_(s.norms) {
    assert(s.mode == LengthMode::lucene && norm_inverse_ != nullptr && norms_ != nullptr);
  }

  Score score(DocId doc, std::uint32_t freq) const {
    return bound(static_cast<float>(freq), norms_[doc]);
  }

  Score bound(float freq, std::uint8_t norm) const {
    return weight_ - weight_ / (1.0f + freq * norm_inverse_[norm]);
  }

 private:
  float weight_;
  const float* norm_inverse_;
  const std::uint8_t* norms_;
};
static_assert(TermScorer<Bm25LuceneScorer>);

/// BM25 on exact lengths: Lucene's formula with the document's exact length in place of the decoded
/// norm, 1f / (k1 * ((1 - b) + b * length / avgdl)) computed per document. Bounds use the norm
/// cache: lucene_norm_length(lucene_norm(len)) <= len, so the cached value is >= the exact one.
class Bm25ExactScorer {
 public:
  explicit Bm25ExactScorer(const Bm25TermScorer& s)
      : weight_(s.weight),
        k1_(s.k1),
        one_minus_b_(1.0f - s.b),
        b_(s.b),
        avgdl_(s.avgdl),
        norm_inverse_(s.norm_inverse),
        lengths_(s.lengths) {
    assert(s.mode == LengthMode::exact && norm_inverse_ != nullptr && lengths_ != nullptr);
  }

  Score score(DocId doc, std::uint32_t freq) const {
    const auto length = static_cast<float>(lengths_[doc]);
    const float norm_inverse = 1.0f / (k1_ * (one_minus_b_ + b_ * length / avgdl_));
    return weight_ - weight_ / (1.0f + static_cast<float>(freq) * norm_inverse);
  }

  Score bound(float freq, std::uint8_t norm) const {
    return weight_ - weight_ / (1.0f + freq * norm_inverse_[norm]);
  }

 private:
  float weight_;
  float k1_;
  float one_minus_b_;
  float b_;
  float avgdl_;
  const float* norm_inverse_;
  const std::uint32_t* lengths_;
};
static_assert(TermScorer<Bm25ExactScorer>);

}  // namespace tandem::sparse
