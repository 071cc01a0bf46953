// The external ids of a segment's documents (file "ids"): DocId -> id and id -> DocId.
#pragma once

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "tandem/core/types.hpp"
#include "tandem/index/front_coded_strings.hpp"
#include "tandem/io/file_format.hpp"

namespace tandem::index {

/// Writes the id table. `ids` must be sorted in byte order without duplicates (DocId i has ids[i]).
void write_id_table(const std::filesystem::path& path, std::span<const std::string_view> ids);

/// A segment's id table, memory-mapped and front-coded. Layout: docs/format.md, "ids". Thread-safe.
class IdTable {
 public:
  IdTable() = default;
  explicit IdTable(const std::filesystem::path& path);

  std::uint32_t size() const { return static_cast<std::uint32_t>(strings_.size()); }
  /// The id of a document, decoded into `scratch`.
  std::string_view id(DocId doc, std::string& scratch) const { return strings_.get(doc, scratch); }
  std::string id(DocId doc) const {
    std::string s;
    strings_.get(doc, s);
    return s;
  }
  /// The DocId of an external id (binary search), or nullopt.
  std::optional<DocId> find(std::string_view id) const;
  /// Checksum and structure (ids strictly increasing).
  void verify() const;
  /// True when both tables hold the same ids in the same order (so the same DocIds): their
  /// encoded payloads are compared byte for byte (the encoding is deterministic).
  bool same_ids(const IdTable& other) const;

 private:
  io::CheckedFile file_;
  FrontCodedStrings strings_;
};

}  // namespace tandem::index
