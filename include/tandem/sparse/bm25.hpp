// BM25 exactly as Lucene 8 computes it (BM25Similarity), plus an exact-length variant.
//
// Lucene 8.8 BM25Similarity, verified against its bytecode:
//   idf       = (float) Math.log(1 + (docCount - docFreq + 0.5D) / (docFreq + 0.5D))
//   avgdl     = (float) (sumTotalTermFreq / (double) docCount)
//   cache[n]  = 1f / (k1 * ((1 - b) + b * LENGTH_TABLE[n] / avgdl)), LENGTH_TABLE[n] =
//   byte4ToInt(n) weight    = boost * idf score     = weight - weight / (1f + freq * cache[norm])
// all in float arithmetic in that order ((b * L) / avgdl, not b * (L / avgdl)). Anserini's bag of
// words query gives each distinct term boost = its count in the query. The sum over a document's
// terms is taken in double and rounded to float once (see tandem/core/types.hpp).
//
// Floating-point contraction (FMA) would change these results; src/sparse/CMakeLists.txt builds
// everything that uses this header with -ffp-contract=off.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <span>

#include "tandem/core/types.hpp"

namespace tandem::sparse {

struct Bm25Params {
  float k1 = 0.9f;  // Anserini's defaults
  float b = 0.4f;
};

/// How document lengths enter BM25.
enum class LengthMode {
  lucene,  // Lucene's one-byte lossy norms (SmallFloat.intToByte4): Anserini-identical scores
  exact,   // exact token counts
};

namespace detail {
// SmallFloat's "int4" float: 3 mantissa bits, implicit leading one, exponent = shift + 1.
constexpr std::uint32_t long_to_int4(std::uint64_t i) {
  const unsigned bits = static_cast<unsigned>(std::bit_width(i));
  if (bits < 4) return static_cast<std::uint32_t>(i);  // subnormal
  const unsigned shift = bits - 4;
  return static_cast<std::uint32_t>(((i >> shift) & 0x07) | ((shift + 1) << 3));
}
constexpr std::uint64_t int4_to_long(std::uint32_t i) {
  const std::uint64_t bits = i & 0x07;
  const unsigned exponent = i >> 3;
  return exponent == 0 ? bits : (bits | 0x08) << (exponent - 1);
}
// NUM_FREE_VALUES = 255 - longToInt4(Integer.MAX_VALUE) = 255 - 231: lengths below it are exact.
inline constexpr std::uint32_t kNormFreeValues = 255 - long_to_int4(0x7FFFFFFF);
static_assert(kNormFreeValues == 24);
}  // namespace detail

/// Lucene 8 SmallFloat.intToByte4: the one-byte norm of a document length (rounds down). Lengths
/// Lucene cannot hold (>= 2^31) get 255, whose length is still below them.
constexpr std::uint8_t lucene_norm(std::uint32_t length) {
  if (length < detail::kNormFreeValues) return static_cast<std::uint8_t>(length);
  const std::uint32_t code =
      detail::kNormFreeValues + detail::long_to_int4(length - detail::kNormFreeValues);
  return static_cast<std::uint8_t>(code > 255 ? 255 : code);
}

/// Lucene 8 SmallFloat.byte4ToInt: the length a norm byte stands for (<= the original length).
constexpr std::uint32_t lucene_norm_length(std::uint8_t norm) {
  if (norm < detail::kNormFreeValues) return norm;
  return static_cast<std::uint32_t>(detail::kNormFreeValues +
                                    detail::int4_to_long(norm - detail::kNormFreeValues));
}

/// Lucene 8 BM25Similarity.idf in its exact arithmetic: log in double, rounded to float.
float bm25_idf(std::uint64_t doc_freq, std::uint64_t doc_count);

/// Per-document lengths of one field in one segment, as the scorer reads them. Both are indexed by
/// DocId and cover every document of the segment.
struct DocLengths {
  std::span<const std::uint8_t> norms;     // lucene_norm(length) per DocId (LengthMode::lucene)
  std::span<const std::uint32_t> lengths;  // exact length per DocId (LengthMode::exact)
};

/// One query term's BM25 scorer bound to one segment: a small value type kept in a QueryTerm.
/// Made by Bm25Model::term_scorer; refers to the model (its norm cache) and to the DocLengths'
/// storage, which must both outlive it. The hot loops use the typed views in
/// scorer/bm25_scorer.hpp.
struct Bm25TermScorer {
  LengthMode mode = LengthMode::lucene;
  float weight = 0;                     // query weight (boost) * idf, as Lucene's BM25Scorer.weight
  const float* norm_inverse = nullptr;  // the model's cache[256]
  const std::uint8_t* norms = nullptr;  // lucene mode
  const std::uint32_t* lengths = nullptr;  // exact mode
  float k1 = 0;
  float b = 0;
  float avgdl = 0;
};

/// BM25 for one field and one set of query settings, built from collection statistics summed over
/// all segments (so every segment scores alike). Immutable; share it between threads.
class Bm25Model {
 public:
  /// doc_count: documents with at least one token in the field; sum_total_term_freq: the sum of
  /// their lengths. Throws Error(invalid_argument) unless k1 is finite and >= 0, 0 <= b <= 1
  /// (Lucene's checks), doc_count >= 1 and sum_total_term_freq >= doc_count.
  Bm25Model(Bm25Params params, LengthMode mode, std::uint64_t doc_count,
            std::uint64_t sum_total_term_freq);

  const Bm25Params& params() const { return params_; }
  LengthMode mode() const { return mode_; }
  std::uint64_t doc_count() const { return doc_count_; }
  /// (float) (sum_total_term_freq / (double) doc_count), as Lucene's avgFieldLength.
  float avgdl() const { return avgdl_; }
  /// bm25_idf(doc_freq, doc_count()).
  float idf(std::uint64_t doc_freq) const { return bm25_idf(doc_freq, doc_count_); }
  /// Lucene's cache: 1f / (k1 * ((1 - b) + b * lucene_norm_length(n) / avgdl)) for each norm byte
  /// n.
  const std::array<float, 256>& norm_inverse() const { return norm_inverse_; }

  /// The scorer of a term with the given global doc_freq and query weight (Anserini: the term's
  /// count in the query) on one segment's lengths. weight = query_weight * idf, in float. Throws
  /// Error(invalid_argument) if doc_freq > doc_count(), query_weight is negative or not finite, or
  /// the lengths this mode reads are empty.
  Bm25TermScorer term_scorer(std::uint64_t doc_freq, float query_weight, DocLengths lengths) const;

 private:
  Bm25Params params_;
  LengthMode mode_;
  std::uint64_t doc_count_;
  float avgdl_;
  std::array<float, 256> norm_inverse_;
};

}  // namespace tandem::sparse
