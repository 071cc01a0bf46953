// BM25 exactly as Lucene 8 computes it (BM25Similarity), plus an exact-length variant.
#pragma once

#include <cstdint>
#include <span>

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

/// Lucene 8 SmallFloat.intToByte4: the one-byte norm of a document length.
std::uint8_t lucene_norm(std::uint32_t length);
/// Lucene 8 SmallFloat.byte4ToInt: the length a norm byte stands for (<= the original length).
std::uint32_t lucene_norm_length(std::uint8_t norm);

/// Per-document lengths of one field in one segment, as the scorer reads them.
struct DocLengths {
  std::span<const std::uint8_t> norms;     // lucene_norm(length) per DocId
  std::span<const std::uint32_t> lengths;  // exact length per DocId
};

}  // namespace tandem::sparse
