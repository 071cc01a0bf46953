// A text field of a segment inverted in memory, and how it is written to disk.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/core/progress.hpp"
#include "tandem/core/types.hpp"
#include "tandem/index/manifest.hpp"

namespace tandem::index {

/// Terms in byte order with their postings in CSR form: term t has the postings
/// [list_starts[t], list_starts[t + 1]) of docs/freqs, docs strictly increasing.
struct InvertedField {
  std::string term_bytes;
  std::vector<std::uint64_t> term_starts;  // size terms + 1
  std::vector<std::uint64_t> list_starts;  // size terms + 1
  std::vector<DocId> docs;
  std::vector<std::uint32_t> freqs;
  std::vector<std::uint32_t> lengths;  // tokens per DocId of the segment

  std::size_t num_terms() const { return term_starts.empty() ? 0 : term_starts.size() - 1; }
};

/// Writes <field>.postings, <field>.terms and <field>.lengths into `segment_dir`, encoding posting
/// lists on `threads` threads. Returns the field's numbers for the manifest.
SegmentFieldInfo write_inverted_field(const std::filesystem::path& segment_dir,
                                      std::string_view field, const InvertedField& inverted,
                                      unsigned threads, ProgressSink* progress);

}  // namespace tandem::index
