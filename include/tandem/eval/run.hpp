// A run: the ranked documents a system returned for each query.
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

/// One retrieved document. `line` is the 1-based source line, 0 when added from memory.
struct RunHit {
  std::string_view doc;
  double score = 0;
  std::uint64_t line = 0;
};

/// Retrieved documents grouped by query, in the order queries were first seen; hits keep the order
/// they were added in. Ranks are not stored: evaluate() orders each query's hits as trec_eval
/// does (score descending, ties by document id descending in byte order), whatever the input
/// order or the rank column said. Move-only: the views point into the object's own storage.
class Run {
 public:
  /// `source` names where the run came from (a path, or "<memory>"), for error messages.
  explicit Run(std::string source = "<memory>");
  Run(Run&&) noexcept = default;
  Run& operator=(Run&&) noexcept = default;
  Run(const Run&) = delete;
  Run& operator=(const Run&) = delete;

  /// Adds one hit. A query given no hits is absent from the run (it cannot be written in a run
  /// file either). Throws Error(invalid_argument) for a NaN score (it has no rank). Amortised
  /// O(|qid| + |doc|); consecutive hits of one query skip the id lookup.
  void add(std::string_view qid, std::string_view doc, double score, std::uint64_t line = 0);

  /// The run tag trec_eval prints as "runid" (from a file: the tag on its last line).
  void set_run_id(std::string_view run_id) { run_id_ = run_id; }
  const std::string& run_id() const { return run_id_; }

  std::size_t num_queries() const { return qids_.size(); }
  std::size_t num_hits() const { return num_hits_; }
  std::string_view qid(std::size_t query) const { return qids_[query]; }
  std::span<const RunHit> hits(std::size_t query) const { return hits_[query]; }
  /// The index of a query id, or nullopt.
  std::optional<std::size_t> find(std::string_view qid) const;
  const std::string& source() const { return source_; }

 private:
  StringArena strings_;
  std::string source_;
  std::string run_id_;
  std::vector<std::string_view> qids_;
  std::vector<std::vector<RunHit>> hits_;
  std::unordered_map<std::string_view, std::size_t> index_;
  std::size_t last_query_ = 0;
  std::size_t num_hits_ = 0;
};

/// Reads a TREC run from a plain or gzipped file: "qid iter docid rank score tag" per line,
/// whitespace separated; fields after the tag are ignored, as are blank lines and lines whose
/// first non-blank character is '#'. The iter and rank fields are not used. The score must be a
/// decimal number (not NaN). The run id is the tag of the last line. Throws Error(invalid_argument)
/// naming the file and line on a malformed line, Error(not_found) / Error(io) if it cannot be read.
/// An empty file gives an empty run.
Run read_run(const std::filesystem::path& path);

/// The same, from text in memory (`source` is used in error messages).
Run parse_run(std::string_view text, std::string source = "<memory>");

}  // namespace tandem::eval
