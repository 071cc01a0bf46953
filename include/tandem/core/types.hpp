// The vocabulary every layer shares: document and term ids, scores, hits.
#pragma once

#include <cstdint>
#include <limits>

namespace tandem {

/// Internal document id: dense per segment, 0..num_docs-1. Within a segment, documents are numbered
/// in ascending byte order of their external ids, so "ties by external id" is "ties by DocId".
using DocId = std::uint32_t;

/// Term id in a segment's dictionary (lexical terms and learned-sparse dimensions alike).
using TermId = std::uint32_t;

/// A retrieval score. Scorers compute per-term contributions in float, as Lucene does; sums of
/// contributions are accumulated in double and rounded to float once per document.
using Score = float;

/// The single end sentinel of every posting cursor: docid() returns it once the cursor is
/// exhausted.
inline constexpr DocId kEndDoc = std::numeric_limits<DocId>::max();

/// One result: a document and its score.
struct Hit {
  DocId doc = kEndDoc;
  Score score = 0;
  friend bool operator==(const Hit&, const Hit&) = default;
};

/// The one result order used everywhere: score descending, then document id ascending.
inline constexpr bool ranks_before(const Hit& a, const Hit& b) {
  return a.score > b.score || (a.score == b.score && a.doc < b.doc);
}

}  // namespace tandem
