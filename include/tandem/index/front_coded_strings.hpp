// Sorted strings stored compactly: blocks of 16 front-coded strings, each with a few varint
// values. The term dictionary and the id table are both this structure.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/io/byte_view.hpp"
#include "tandem/io/file_format.hpp"

namespace tandem::index {

/// Strings per block: a lookup decodes at most this many entries after a binary search over the
/// blocks' first strings.
inline constexpr std::uint32_t kFrontCodingBlock = 16;

/// Builds the table in memory. Strings must come strictly increasing in byte order; each carries
/// exactly `values_per_entry` unsigned values, varint-coded. Value column `delta_column` (if not
/// kNoDeltaColumn) must be non-decreasing and is stored as the difference from the previous entry
/// of the same block (the block's first entry holds it whole).
///
/// Layout (docs/format.md, "Front-coded strings"): u64 count, u64 num_blocks, u32 values per entry,
/// u32 delta column + 1 (0 = none), u64 data bytes, u64 block_offsets[num_blocks] (into data),
/// data. In a block, each entry is varint shared-prefix length (0 for the first entry), varint
/// suffix length, suffix bytes, values.
inline constexpr std::uint32_t kNoDeltaColumn = UINT32_MAX;

class FrontCodedWriter {
 public:
  explicit FrontCodedWriter(std::uint32_t values_per_entry,
                            std::uint32_t delta_column = kNoDeltaColumn)
      : values_per_entry_(values_per_entry), delta_column_(delta_column) {}
  /// Throws Error(invalid_argument) if `s` does not sort after the previous string.
  void add(std::string_view s, std::span<const std::uint64_t> values = {});
  std::uint64_t size() const { return count_; }
  /// Appends the table to a file payload (8-byte aligned first).
  void write_to(io::FileWriter& out) const;

 private:
  std::uint32_t values_per_entry_;
  std::uint32_t delta_column_;
  std::uint64_t count_ = 0;
  std::uint64_t previous_delta_value_ = 0;
  std::string previous_;
  std::vector<std::uint64_t> block_offsets_;
  std::string data_;
};

/// Reads a table from a mapped file. Thread-safe; decoding writes into caller-owned scratch.
class FrontCodedStrings {
 public:
  FrontCodedStrings() = default;
  /// Reads the table at `offset` of the payload; checks its header and block offsets.
  FrontCodedStrings(const io::ByteView& view, std::uint64_t offset);

  std::uint64_t size() const { return count_; }
  std::uint32_t values_per_entry() const { return values_per_entry_; }
  /// Bytes the table occupies in the payload (header included).
  std::uint64_t byte_size() const { return byte_size_; }

  /// The string at `index` (decoded into `scratch`) and its values (`values` must have room for
  /// values_per_entry() of them, at most kMaxValues).
  std::string_view get(std::uint64_t index, std::string& scratch,
                       std::uint64_t* values = nullptr) const;
  /// The index of `key` and its values, or nullopt.
  std::optional<std::uint64_t> find(std::string_view key, std::string& scratch,
                                    std::uint64_t* values = nullptr) const;

  static constexpr std::uint32_t kMaxValues = 8;

  /// Calls visit(index, string, values) for every entry in order (for verify and merges).
  template <typename Visit>
  void for_each(Visit&& visit) const {
    std::string s;
    std::vector<std::uint64_t> values(values_per_entry_);
    for (std::uint64_t b = 0; b < num_blocks(); ++b) {
      const char* p = block_begin(b);
      const std::uint64_t n = block_size(b);
      for (std::uint64_t i = 0; i < n; ++i) {
        p = decode_entry(p, s, values.data(), i == 0);
        visit(b * kFrontCodingBlock + i, std::string_view(s),
              std::span<const std::uint64_t>(values));
      }
    }
  }

  /// Decodes every entry with bounds checks: sizes, varints and strictly increasing strings.
  /// Throws Error(corruption) naming `file`.
  void verify(const std::string& file) const;

 private:
  std::uint64_t num_blocks() const { return block_offsets_.size(); }
  std::uint64_t block_size(std::uint64_t b) const {
    return b + 1 < num_blocks() ? kFrontCodingBlock : count_ - b * kFrontCodingBlock;
  }
  const char* block_begin(std::uint64_t b) const { return data_ + block_offsets_[b]; }
  // Decodes one entry after `p` into s (which holds the previous entry of the block) and values
  // (which hold the previous entry's values, for the delta column).
  const char* decode_entry(const char* p, std::string& s, std::uint64_t* values,
                           bool first_in_block) const;
  std::string_view first_string(std::uint64_t block) const;

  std::uint64_t count_ = 0;
  std::uint32_t values_per_entry_ = 0;
  std::uint32_t delta_column_ = kNoDeltaColumn;
  std::span<const std::uint64_t> block_offsets_ = {};
  const char* data_ = nullptr;
  std::uint64_t data_size_ = 0;
  std::uint64_t byte_size_ = 0;
};

}  // namespace tandem::index
