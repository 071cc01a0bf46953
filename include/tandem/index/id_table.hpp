// The external ids of a segment's documents (file "ids"): DocId -> id and id -> DocId.
#pragma once

#include <filesystem>
#include <optional>
#include <span>
#include <string_view>

#include "tandem/core/types.hpp"
#include "tandem/io/file_format.hpp"

namespace tandem::index {

/// Writes the id table. `ids` must be sorted in byte order without duplicates (DocId i has ids[i]).
void write_id_table(const std::filesystem::path& path, std::span<const std::string_view> ids);

/// A segment's id table, memory-mapped. Layout: docs/format.md, "ids".
class IdTable {
 public:
  IdTable() = default;
  explicit IdTable(const std::filesystem::path& path);

  std::uint32_t size() const { return offsets_.empty() ? 0 : static_cast<std::uint32_t>(offsets_.size() - 1); }
  std::string_view id(DocId doc) const {
    return std::string_view(blob_ + offsets_[doc], offsets_[doc + 1] - offsets_[doc]);
  }
  /// The DocId of an external id (binary search), or nullopt.
  std::optional<DocId> find(std::string_view id) const;
  /// Checksum and structure (offsets monotone, ids strictly increasing).
  void verify() const;

 private:
  io::CheckedFile file_;
  std::span<const std::uint64_t> offsets_ = {};
  const char* blob_ = nullptr;
};

}  // namespace tandem::index
