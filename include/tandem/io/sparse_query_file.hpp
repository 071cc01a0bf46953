// Reads learned-sparse query files: Anserini's pre-tokenised impact topics (qid<TAB>tokens, a token
// repeated w times has weight w) and JSONL query vectors ({"qid"|"id", "vector": {term: weight}}
// or {"id", "indices", "values"}); a JSONL line with text instead of a vector is a text query for
// a query encoder.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::io {

/// One weighted query dimension.
struct SparseQueryTerm {
  std::string term;
  float weight = 0;
};

/// A sparse query as read: either a vector (JSONL "vector"/"indices") or text (a TSV line, or
/// JSONL "text"/"query"), which becomes a vector by counting its whitespace tokens
/// (pretokenized_terms) or through a query encoder.
struct SparseQuery {
  std::string id;
  std::string text;
  bool has_vector = false;
  std::vector<SparseQueryTerm> terms;  // distinct terms in order of first appearance, weight > 0
};

/// Anserini's pre-tokenised impact query: whitespace-separated tokens, distinct tokens in order of
/// first appearance, each weighted by its count (SPLADE topics repeat a token w times for weight
/// w).
std::vector<SparseQueryTerm> pretokenized_terms(std::string_view text);

/// Parses one line (TSV or JSON); `where` prefixes error messages. Throws Error(invalid_argument).
SparseQuery parse_sparse_query_line(std::string_view line, std::string_view where);

/// Reads a query file, plain or gzipped; blank lines are skipped. Throws Error(invalid_argument)
/// naming the file and line of a malformed line or a repeated qid.
std::vector<SparseQuery> read_sparse_queries(const std::filesystem::path& path);

}  // namespace tandem::io
