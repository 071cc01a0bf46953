// Reads documents from corpus lines: BEIR JSONL ({"_id","title","text",...}) and Anserini's
// JsonCollection ({"id","contents",...}).
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::index {

/// How a document's text becomes indexed fields.
enum class FieldLayout {
  /// One field, "contents": the "contents" value, else title + "\n" + text (Anserini's
  /// BeirFlatCollection, the default of its BEIR regressions).
  flat,
  /// Two fields, "title" and "contents" (the "contents" value, else "text"), searched separately
  /// and summed, as Anserini's BeirMultifieldCollection and `-fields` do.
  multifield,
  /// No text fields: a dense-only index (built from vectors, without a corpus).
  none,
};

std::string_view to_string(FieldLayout layout);
/// "flat", "multifield" or "none"; throws Error(invalid_argument) otherwise.
FieldLayout parse_field_layout(std::string_view name);
/// The names of the text fields of a layout, in index order.
std::vector<std::string> field_names(FieldLayout layout);

/// A document as parsed from one line. Views point into the parser (valid until its next parse).
struct ParsedDocument {
  std::string_view id;
  std::vector<std::string_view> fields;  // text per field of the layout, in field_names() order
};

/// Parses corpus lines with simdjson. One parser per thread. Accepted keys: the id in "_id", "id"
/// or "docid" (a string, or a number taken as written); text in "contents", or "title" and "text";
/// null counts as absent. Other keys are ignored (they stay in the stored document). A line
/// without text is an empty document.
class CorpusParser {
 public:
  explicit CorpusParser(FieldLayout layout);
  ~CorpusParser();
  CorpusParser(const CorpusParser&) = delete;
  CorpusParser& operator=(const CorpusParser&) = delete;

  /// Parses `line`. The bytes after the line must be readable up to line.data() + `readable`, and
  /// `readable` >= line.size() + kPadding (chunk buffers are allocated with that padding); use
  /// parse_copy() for a line without padding. Throws Error(invalid_argument) on malformed JSON, a
  /// missing or empty id, or a field of the wrong type; the caller prefixes the file and line.
  const ParsedDocument& parse(std::string_view line, std::size_t readable);
  /// Same, for a line without padding (copies it first).
  const ParsedDocument& parse_copy(std::string_view line);

  /// Bytes of readable padding parse() needs after a line.
  static constexpr std::size_t kPadding = 64;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The corpus files to read for a --corpus argument: the file itself, or every *.jsonl, *.json,
/// *.jsonl.gz and *.json.gz file of a directory in name order. Throws Error(not_found) if there is
/// nothing to read.
std::vector<std::filesystem::path> list_corpus_files(const std::filesystem::path& corpus);

}  // namespace tandem::index
