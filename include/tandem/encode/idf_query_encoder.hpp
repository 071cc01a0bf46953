// Inference-free learned-sparse query encoding (OpenSearch neural-sparse "doc-only" mode, e.g.
// opensearch-neural-sparse-encoding-doc-v2/v3; Geng et al., "Towards competitive search relevance
// for inference-free learned sparse retrievers", 2024): a query is WordPiece-tokenised and each
// distinct token weighted by a fixed per-token table (idf.json), so no model runs at query time.
#pragma once

#include <filesystem>
#include <memory>
#include <string_view>
#include <vector>

#include "tandem/io/sparse_query_file.hpp"
#include "tandem/text/wordpiece.hpp"

namespace tandem::encode {

class IdfQueryEncoder {
 public:
  /// `idf_json` maps tokens to weights (an object of numbers). Its keys, in file order, are the
  /// vocabulary unless `vocab_txt` is given. Throws Error(not_found) for a missing file,
  /// Error(invalid_argument) naming the file for a malformed one or a negative/non-finite weight.
  static IdfQueryEncoder open(const std::filesystem::path& idf_json,
                              const std::filesystem::path& vocab_txt = {});
  /// "idf:PATH" where PATH is an idf.json or a directory holding one, optionally followed by
  /// ",vocab=VOCAB_TXT". Throws Error(invalid_argument) for another spec.
  static IdfQueryEncoder from_spec(std::string_view spec);

  /// The query's distinct WordPiece tokens in order of first appearance, each weighted by its
  /// table entry (tokens without an entry, or with weight 0, are left out).
  std::vector<io::SparseQueryTerm> encode(std::string_view text) const;

  const text::WordPieceTokenizer& tokenizer() const { return *tokenizer_; }

 private:
  std::shared_ptr<const text::WordPieceTokenizer> tokenizer_;
  std::vector<float> weights_;  // per token id; 0 = none
};

/// Parses an idf.json text into (token, weight) pairs in file order; `source` prefixes errors.
std::vector<std::pair<std::string, float>> parse_idf_json(std::string_view json,
                                                          const std::string& source);

}  // namespace tandem::encode
