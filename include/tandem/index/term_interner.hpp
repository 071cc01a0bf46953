// Assigns dense ids to term strings while a segment is built in memory.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::index {

/// A string -> id map for building: ids are 0, 1, 2, ... in order of first appearance. Open
/// addressing with linear probing over an arena of term bytes; no allocation per term beyond the
/// amortised growth of its arrays. Not thread-safe: one per worker thread.
class TermInterner {
 public:
  TermInterner();

  /// The id of `term`, adding it if new.
  std::uint32_t intern(std::string_view term);
  std::string_view term(std::uint32_t id) const {
    return std::string_view(pool_).substr(starts_[id], starts_[id + 1] - starts_[id]);
  }
  std::uint32_t size() const { return static_cast<std::uint32_t>(starts_.size() - 1); }
  std::size_t memory_bytes() const;
  void clear();

 private:
  void grow();
  std::string pool_;
  std::vector<std::uint64_t> starts_;  // starts_[id] .. starts_[id + 1] in pool_
  std::vector<std::uint64_t> hashes_;  // per id
  std::vector<std::uint32_t> slots_;   // id + 1, 0 = empty; size is a power of two
};

}  // namespace tandem::index
