#include "tandem/sparse/bm25.hpp"

#include <cmath>

#include "tandem/core/error.hpp"

namespace tandem::sparse {

float bm25_idf(std::uint64_t doc_freq, std::uint64_t doc_count) {
  // Lucene: (float) Math.log(1 + (docCount - docFreq + 0.5D) / (docFreq + 0.5D)), the subtraction
  // in long arithmetic.
  const auto n = static_cast<double>(static_cast<std::int64_t>(doc_count - doc_freq));
  return static_cast<float>(std::log(1.0 + (n + 0.5) / (static_cast<double>(doc_freq) + 0.5)));
}

Bm25Model::Bm25Model(Bm25Params params, LengthMode mode, std::uint64_t doc_count,
                     std::uint64_t sum_total_term_freq)
    : params_(params), mode_(mode), doc_count_(doc_count) {
  if (!std::isfinite(params.k1) || params.k1 < 0) {
    fail(ErrorKind::invalid_argument, "BM25 k1 must be finite and >= 0, got {}", params.k1);
  }
  if (std::isnan(params.b) || params.b < 0 || params.b > 1) {
    fail(ErrorKind::invalid_argument, "BM25 b must be in [0, 1], got {}", params.b);
  }
  if (doc_count == 0) {
    fail(ErrorKind::invalid_argument, "BM25 needs at least one document with the field");
  }
  if (sum_total_term_freq < doc_count) {
    fail(ErrorKind::invalid_argument,
         "BM25 statistics are inconsistent: {} tokens in {} documents (each has at least one)",
         sum_total_term_freq, doc_count);
  }
  avgdl_ =
      static_cast<float>(static_cast<double>(sum_total_term_freq) / static_cast<double>(doc_count));
  const float k1 = params.k1;
  const float b = params.b;
  for (unsigned n = 0; n < 256; ++n) {
    const auto length = static_cast<float>(lucene_norm_length(static_cast<std::uint8_t>(n)));
    norm_inverse_[n] = 1.0f / (k1 * ((1.0f - b) + b * length / avgdl_));
  }
}

Bm25TermScorer Bm25Model::term_scorer(std::uint64_t doc_freq, float query_weight,
                                      DocLengths lengths) const {
  if (doc_freq > doc_count_) {
    fail(ErrorKind::invalid_argument, "a term's doc_freq {} exceeds the field's doc_count {}",
         doc_freq, doc_count_);
  }
  if (!std::isfinite(query_weight) || query_weight < 0) {
    fail(ErrorKind::invalid_argument, "a query term weight must be finite and >= 0, got {}",
         query_weight);
  }
  if (mode_ == LengthMode::lucene && lengths.norms.empty()) {
    fail(ErrorKind::invalid_argument, "BM25 with Lucene norms needs the segment's norm bytes");
  }
  if (mode_ == LengthMode::exact && lengths.lengths.empty()) {
    fail(ErrorKind::invalid_argument,
         "BM25 with exact lengths needs the segment's document lengths");
  }
  Bm25TermScorer s;
  s.mode = mode_;
  s.weight = query_weight * idf(doc_freq);
  s.norm_inverse = norm_inverse_.data();
  s.norms = lengths.norms.data();
  s.lengths = lengths.lengths.data();
  s.k1 = params_.k1;
  s.b = params_.b;
  s.avgdl = avgdl_;
  return s;
}

}  // namespace tandem::sparse
