// Per-document lengths of one text field in one segment (file "<field>.lengths"): exact token
// counts and Lucene's one-byte norms, plus the field's collection statistics.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "tandem/io/file_format.hpp"
#include "tandem/sparse/bm25.hpp"

namespace tandem::index {

/// The field statistics BM25 needs, summable over segments (architecture.md, "Scale-out").
struct FieldStats {
  std::uint64_t doc_count = 0;            // documents with at least one term in the field
  std::uint64_t sum_total_term_freq = 0;  // tokens in the field over all documents
  FieldStats& operator+=(const FieldStats& o) {
    doc_count += o.doc_count;
    sum_total_term_freq += o.sum_total_term_freq;
    return *this;
  }
  friend bool operator==(const FieldStats&, const FieldStats&) = default;
};

/// Lengths from this one up are stored in the file's long document table (u32); shorter ones in
/// two bytes.
inline constexpr std::uint32_t kLongLength = 0xFFFF;

/// Writes exact lengths (token counts, one per DocId) with their norms; returns the statistics.
FieldStats write_doc_lengths(const std::filesystem::path& path,
                             std::span<const std::uint32_t> lengths);

/// A memory-mapped lengths file. Layout: docs/format.md, "<field>.lengths".
class DocLengthsFile {
 public:
  DocLengthsFile() = default;
  explicit DocLengthsFile(const std::filesystem::path& path);

  std::uint32_t size() const { return static_cast<std::uint32_t>(lengths_.size()); }
  sparse::DocLengths view() const { return {norms_, lengths_}; }
  const FieldStats& stats() const { return stats_; }
  /// Checksum, norms equal to lucene_norm(length), and statistics equal to the lengths' sums.
  void verify() const;

 private:
  io::CheckedFile file_;
  std::vector<std::uint32_t> lengths_;  // decoded at open (the file holds u16 + a long table)
  std::span<const std::uint8_t> norms_ = {};
  FieldStats stats_;
};

}  // namespace tandem::index
