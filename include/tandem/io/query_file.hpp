// Reads query (topic) files: BEIR JSONL, Anserini JSONL topics, and TSV "qid<TAB>text".
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace tandem::io {

struct QueryText {
  std::string id;
  std::string text;
};

/// Reads queries, plain or gzipped. Each non-blank line is either a JSON object (id in "_id",
/// "qid", "id" or "query_id"; text in "text", "query", "title" or "contents") or "qid<TAB>text".
/// Throws Error(invalid_argument) naming the file and line of a malformed line or a repeated qid.
std::vector<QueryText> read_queries(const std::filesystem::path& path);

/// Parses one query line (the same rules); `where` prefixes error messages.
QueryText parse_query_line(std::string_view line, std::string_view where);

}  // namespace tandem::io
