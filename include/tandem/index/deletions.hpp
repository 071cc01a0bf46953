// The deleted documents of one segment (file "del-NNNNNN" in its folder): a bitmap plus what the
// deleted documents contributed to each text field's statistics, so that BM25 can use the
// statistics of the live documents alone (docs/live.md, "Statistics").
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "tandem/core/types.hpp"
#include "tandem/index/doc_lengths.hpp"
#include "tandem/sparse/deleted_docs.hpp"

namespace tandem::index {

struct TextFieldFiles;

/// What the deleted documents of a segment held in one text field.
struct FieldDeletions {
  FieldStats deleted;  // doc_count and sum_total_term_freq of the deleted documents
  /// (postings offset of a term's list, deleted documents in that list), by increasing offset;
  /// terms whose documents are all live are absent. The offset identifies the term within the
  /// segment's field without a TermId lookup.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> doc_freqs;

  /// Deleted documents in the list at `postings_offset` (binary search; 0 if absent).
  std::uint32_t deleted_doc_freq(std::uint64_t postings_offset) const;
};

/// A segment's deletions. Immutable once written: a new deletion writes a new file.
struct Deletions {
  std::uint32_t num_docs = 0;          // of the segment
  std::uint32_t count = 0;             // set bits
  std::vector<std::uint64_t> words;    // bit d of word d / 64: document d is deleted
  std::vector<FieldDeletions> fields;  // in the index's field order

  explicit Deletions(std::uint32_t docs = 0) : num_docs(docs), words((docs + 63) / 64, 0) {}

  bool contains(DocId d) const { return ((words[d >> 6] >> (d & 63)) & 1u) != 0; }
  /// Marks `d` deleted; returns false if it already was.
  bool insert(DocId d) {
    const std::uint64_t bit = std::uint64_t{1} << (d & 63);
    if ((words[d >> 6] & bit) != 0) return false;
    words[d >> 6] |= bit;
    ++count;
    return true;
  }
  sparse::DeletedDocs view() const { return sparse::DeletedDocs(words.data()); }

  /// Recomputes `fields` from the bitmap and the segment's field files (decodes every posting
  /// list of the fields: O(postings of the segment)).
  void count_fields(const std::vector<const TextFieldFiles*>& field_files);

  /// Writes the file atomically (docs/format.md, "del-NNNNNN").
  void write(const std::filesystem::path& path) const;
  /// Reads and checks the file against the segment's size and field count; throws
  /// Error(corruption) naming the file.
  static Deletions read(const std::filesystem::path& path, std::uint32_t num_docs,
                        std::size_t num_fields, bool verify_checksum = false);
};

}  // namespace tandem::index
