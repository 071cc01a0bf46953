// A field's sorted term dictionary in one segment (file "<field>.terms").
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string_view>

#include "tandem/core/types.hpp"
#include "tandem/io/file_format.hpp"

namespace tandem::index {

/// What the dictionary records per term; TermId = position in byte order of the term strings.
struct TermEntry {
  std::uint64_t postings_offset = 0;  // of the encoded list in the field's postings payload
  std::uint64_t total_freq = 0;       // sum of the term's frequencies
  std::uint32_t doc_freq = 0;         // documents containing the term
  std::uint32_t reserved = 0;
};
static_assert(sizeof(TermEntry) == 24);

/// Writes a dictionary. `term_bytes` holds the terms back to back, term i spanning
/// [starts[i], starts[i + 1]); terms must be strictly increasing in byte order.
void write_term_dictionary(const std::filesystem::path& path, std::string_view term_bytes,
                           std::span<const std::uint64_t> starts, std::span<const TermEntry> entries);

/// A memory-mapped term dictionary. Layout: docs/format.md, "<field>.terms".
class TermDictionary {
 public:
  TermDictionary() = default;
  explicit TermDictionary(const std::filesystem::path& path);

  std::uint32_t size() const { return static_cast<std::uint32_t>(entries_.size()); }
  std::string_view term(TermId id) const {
    return std::string_view(blob_ + starts_[id], starts_[id + 1] - starts_[id]);
  }
  const TermEntry& entry(TermId id) const { return entries_[id]; }
  /// The id of `term` (binary search), or nullopt.
  std::optional<TermId> find(std::string_view term) const;
  /// Checksum and structure: terms strictly increasing, every doc_freq > 0, postings offsets
  /// increasing and within `postings_size` bytes.
  void verify(std::uint64_t postings_size) const;

 private:
  io::CheckedFile file_;
  std::span<const std::uint64_t> starts_ = {};
  std::span<const TermEntry> entries_ = {};
  const char* blob_ = nullptr;
};

}  // namespace tandem::index
