// A field's sorted term dictionary in one segment (file "<field>.terms").
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "tandem/core/types.hpp"
#include "tandem/index/front_coded_strings.hpp"
#include "tandem/io/file_format.hpp"

namespace tandem::index {

/// What the dictionary records per term; TermId = position in byte order of the term strings.
struct TermEntry {
  std::uint64_t postings_offset = 0;  // of the encoded list in the field's postings payload
  std::uint64_t total_freq = 0;       // sum of the term's frequencies
  std::uint32_t doc_freq = 0;         // documents containing the term
};

/// Writes a dictionary. `term_bytes` holds the terms back to back, term i spanning
/// [starts[i], starts[i + 1]); terms must be strictly increasing in byte order, postings offsets
/// increasing.
void write_term_dictionary(const std::filesystem::path& path, std::string_view term_bytes,
                           std::span<const std::uint64_t> starts,
                           std::span<const TermEntry> entries);

/// A memory-mapped term dictionary: front-coded terms with (doc_freq, total_freq, postings offset).
/// Layout: docs/format.md, "<field>.terms". Thread-safe.
class TermDictionary {
 public:
  TermDictionary() = default;
  explicit TermDictionary(const std::filesystem::path& path);

  std::uint64_t size() const { return strings_.size(); }
  /// The entry of `term` (binary search over blocks of 16 terms), or nullopt.
  std::optional<TermEntry> find(std::string_view term) const;
  /// The TermId of `term` (and its entry, if `entry` is given), or nullopt.
  std::optional<TermId> find_id(std::string_view term, TermEntry* entry = nullptr) const;
  /// The term with this id and its entry.
  std::string_view term(TermId id, std::string& scratch, TermEntry* entry = nullptr) const;
  /// Calls visit(TermId, term, const TermEntry&) for every term in order.
  template <typename Visit>
  void for_each(Visit&& visit) const {
    strings_.for_each([&](std::uint64_t id, std::string_view s, std::span<const std::uint64_t> v) {
      visit(static_cast<TermId>(id), s, to_entry(v.data()));
    });
  }
  /// Checksum and structure: terms strictly increasing, every doc_freq > 0, total_freq >=
  /// doc_freq, postings offsets strictly increasing and below `postings_size`.
  void verify(std::uint64_t postings_size) const;

 private:
  static TermEntry to_entry(const std::uint64_t* v) {
    return TermEntry{v[2], v[0] + v[1], static_cast<std::uint32_t>(v[0])};
  }
  io::CheckedFile file_;
  FrontCodedStrings strings_;
};

}  // namespace tandem::index
