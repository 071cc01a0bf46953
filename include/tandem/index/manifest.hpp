// The manifest: the one file that says what an index is (settings, segments, statistics). It is
// replaced atomically, so a reader sees the old index or the new one, never half of one.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tandem/dense/dense_field.hpp"
#include "tandem/index/corpus_parser.hpp"
#include "tandem/index/doc_lengths.hpp"
#include "tandem/multi/multi_vector_store.hpp"
#include "tandem/text/analyzer.hpp"

namespace tandem::index {

/// Settings fixed when an index is built; queries are analysed with the same analyzer.
struct IndexSettings {
  FieldLayout layout = FieldLayout::flat;
  text::AnalyzerConfig analyzer;              // default: Anserini's English analyzer
  bool store = true;                          // keep each document's source for display
  std::optional<dense::DenseSettings> dense;  // the dense vector field, if the index has one
  /// The multi-vector (token vectors) field, if the index has one.
  std::optional<multi::MultiVectorSettings> multivec;

  std::vector<std::string> fields() const { return field_names(layout); }
};

/// Per-field numbers of one segment.
struct SegmentFieldInfo {
  FieldStats stats;
  std::uint64_t num_terms = 0;
  std::uint64_t num_postings = 0;
  std::uint64_t postings_bytes = 0;
};

struct SegmentInfo {
  std::string name;            // folder under the index directory
  std::uint32_t num_docs = 0;  // documents in the segment's files, deleted ones included
  std::map<std::string, SegmentFieldInfo> fields;  // statistics of all num_docs documents
  /// The segment's deletion file (a file in its folder, named after the generation that wrote it;
  /// docs/format.md, "del-NNNNNN"), or empty when no document of the segment is deleted.
  std::string deletes;
  std::uint32_t num_deleted = 0;
  std::uint64_t dense_rows = 0;     // documents with a dense vector
  std::uint64_t multivec_rows = 0;  // documents with token vectors

  std::uint32_t num_live_docs() const { return num_docs - num_deleted; }
};

struct Manifest {
  static constexpr const char* kFileName = "manifest.json";
  /// 3: segments may carry deletions ("deletes"); 2: no deletions. Both are read.
  static constexpr std::uint32_t kVersion = 3;
  static constexpr std::uint32_t kOldestVersion = 2;  // version 1 was a pre-release layout

  std::uint32_t format_version = kVersion;
  std::uint64_t generation = 0;  // increases with every publish
  std::string created_by;
  IndexSettings settings;
  std::vector<SegmentInfo> segments;

  /// Live documents: the segments' documents minus their deletions.
  std::uint64_t num_docs() const;
  /// The segment named `name`, or nullptr.
  const SegmentInfo* find_segment(std::string_view name) const;

  std::string to_json() const;
  /// Parses a manifest; throws Error(corruption) naming `source` if it is malformed, and
  /// Error(unsupported) for a newer format version.
  static Manifest from_json(std::string_view json, const std::string& source);

  /// Reads `dir`/manifest.json; throws Error(not_found) if `dir` holds no index.
  static Manifest read(const std::filesystem::path& dir);
  /// Publishes this manifest as `dir`/manifest.json atomically (temp, fsync, rename, fsync dir).
  void publish(const std::filesystem::path& dir) const;
};

}  // namespace tandem::index
