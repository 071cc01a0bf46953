// Relevance judgments ("qrels"): which documents were judged for which query, and how relevant.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tandem/eval/string_arena.hpp"

namespace tandem::eval {

/// One judgment of one document for one query. `rel` >= 0 is a grade (0 = judged not relevant,
/// higher = more relevant); a negative `rel` means "in the pool but not judged" (trec_eval's
/// convention, used by infAP). `line` is the 1-based source line, 0 when added from memory.
struct Judgment {
  std::string_view doc;
  std::int32_t rel = 0;
  std::uint64_t line = 0;
};

/// All judgments of a collection, grouped by query in the order queries were first seen. Ids are
/// kept as given (byte strings, compared bytewise like strcmp). Move-only: the views point into
/// the object's own storage. A (query, document) pair judged twice is accepted here and refused by
/// evaluate(), as trec_eval does.
class Qrels {
 public:
  /// `source` names where the judgments came from (a path, or "<memory>"), for error messages.
  explicit Qrels(std::string source = "<memory>");
  Qrels(Qrels&&) noexcept = default;
  Qrels& operator=(Qrels&&) noexcept = default;
  Qrels(const Qrels&) = delete;
  Qrels& operator=(const Qrels&) = delete;

  /// Adds one judgment. Amortised O(|qid| + |doc|).
  void add(std::string_view qid, std::string_view doc, std::int32_t rel, std::uint64_t line = 0);

  std::size_t num_queries() const { return qids_.size(); }
  std::size_t num_judgments() const { return num_judgments_; }
  /// Query ids and judgments by query index, 0 <= query < num_queries().
  std::string_view qid(std::size_t query) const { return qids_[query]; }
  std::span<const Judgment> judgments(std::size_t query) const { return judgments_[query]; }
  /// The index of a query id, or nullopt.
  std::optional<std::size_t> find(std::string_view qid) const;
  const std::string& source() const { return source_; }

 private:
  StringArena strings_;
  std::string source_;
  std::vector<std::string_view> qids_;
  std::vector<std::vector<Judgment>> judgments_;
  std::unordered_map<std::string_view, std::size_t> index_;
  std::size_t num_judgments_ = 0;
};

/// Reads qrels from a plain or gzipped file. The format is detected from the first line that is
/// not blank and not a '#' comment:
///  - TREC (trec_eval's): "qid iter docid rel", exactly four fields separated by whitespace;
///  - BEIR TSV: "query-id<TAB>corpus-id<TAB>score", three tab-separated fields, with or without
///    that header line (a first line whose third field is not an integer is taken as a header).
/// Grades must be integers ("2" or "2.0"; trec_eval would silently truncate "2.5", we refuse).
/// Lines starting with '#' and blank lines are skipped. Throws Error(invalid_argument) naming the
/// file and line on anything else, Error(not_found) / Error(io) if the file cannot be read.
Qrels read_qrels(const std::filesystem::path& path);

/// The same, from text in memory (`source` is used in error messages).
Qrels parse_qrels(std::string_view text, std::string source = "<memory>");

}  // namespace tandem::eval
