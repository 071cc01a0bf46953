// Which text of a corpus or topics record gets analysed, as Anserini and the Lucene peer read it.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace tandem::text {

/// One record: its id and the text to analyse.
struct TextRecord {
  std::string id;
  std::string text;
};

/// True if `line` holds only Java whitespace (String.isBlank()); such lines are skipped as records.
bool is_blank_line(std::string_view line);

/// Reads record lines the way the Lucene peer (peers/lucene/Common.java) and Anserini's
/// JsonCollection do, so that our terms can be compared with theirs record by record:
///   - JSON: the id is the first non-null of "id", "_id", "docid", "doc_id", "qid", "query_id";
///     the text is "contents" if present, else "title" + " " + "text" when the title is non-empty,
///     else "text", else "query", else "title" (a field given twice counts with its last value;
///     numbers and booleans count with their JSON spelling; null counts as absent).
///   - Topics (TSV): a line whose first non-blank character is '{' is JSON as above; otherwise the
///     id is the part before the first tab, trimmed, and the text everything after that tab.
/// Malformed UTF-8 is read as U+FFFD first, as Java's decoder reads the file. Errors throw
/// Error(invalid_argument) with a message that says what is wrong (the caller adds file and line).
/// Not thread-safe (it reuses a JSON parser and buffers); use one per thread.
class RecordParser {
 public:
  RecordParser();
  ~RecordParser();
  RecordParser(const RecordParser&) = delete;
  RecordParser& operator=(const RecordParser&) = delete;

  /// Parses a JSON object line into `out`.
  void parse_json(std::string_view line, TextRecord& out);
  /// Parses a topics line (TSV `id<TAB>text`, or JSON) into `out`.
  void parse_topic(std::string_view line, TextRecord& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tandem::text
