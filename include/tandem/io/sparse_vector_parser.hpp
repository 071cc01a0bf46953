// Parses learned-sparse vectors from JSONL lines: Anserini's JsonVectorCollection
// ({"id": ..., "vector": {"term": weight, ...}}, optionally with "contents") and the numeric form
// ({"id": ..., "indices": [i, ...], "values": [w, ...]}) for non-lexical dimensions.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::io {

/// One dimension of a sparse vector. A numeric dimension (the "indices" form) is spelled as its
/// decimal number ("2051"), so lexical and numeric vocabularies share one string dictionary.
struct SparseEntry {
  std::string_view term;
  double weight = 0;
};

/// A parsed line. Views point into the parser (valid until its next parse).
struct ParsedSparseVector {
  std::string_view id;
  /// In the order written; a term written twice appears twice (callers sum them, as Anserini
  /// does). Weights are finite and >= 0; zero weights are kept (callers drop them).
  std::vector<SparseEntry> entries;
  bool has_vector = false;  // false: neither "vector" nor "indices"/"values" (an empty document)
};

/// Parses sparse-vector lines with simdjson. One parser per thread. The id is read from "_id",
/// "id", "docid", "qid" or "query_id" (first one present in that order of preference; a string,
/// or a number taken as written). Other keys ("contents", "text", ...) are ignored. "vector" must
/// be an object of numbers; "indices" (integers in [0, 2^32)) and "values" (numbers) must be
/// arrays of equal length. Throws Error(invalid_argument) saying what is wrong (a negative,
/// non-finite or non-numeric weight names its term); the caller prefixes the file and line.
class SparseVectorParser {
 public:
  SparseVectorParser();
  ~SparseVectorParser();
  SparseVectorParser(const SparseVectorParser&) = delete;
  SparseVectorParser& operator=(const SparseVectorParser&) = delete;

  /// Parses `line`; `readable` >= line.size() + kPadding bytes must be readable from line.data().
  const ParsedSparseVector& parse(std::string_view line, std::size_t readable);
  /// Same, for a line without padding (copies it first).
  const ParsedSparseVector& parse_copy(std::string_view line);

  static constexpr std::size_t kPadding = 64;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tandem::io
