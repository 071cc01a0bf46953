// Stable storage for many short strings (query and document ids read from runs and qrels).
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

namespace tandem::eval {

/// Copies strings into large blocks and hands back views that stay valid for the arena's lifetime,
/// also across moves of the arena (blocks are never reallocated). Move-only. Amortised O(length)
/// per store; one allocation per block, not per string.
class StringArena {
 public:
  StringArena() = default;
  /// The moved-from arena is left empty (and usable).
  StringArena(StringArena&& other) noexcept;
  StringArena& operator=(StringArena&& other) noexcept;
  StringArena(const StringArena&) = delete;
  StringArena& operator=(const StringArena&) = delete;

  /// Returns a view of a copy of `text` owned by the arena.
  std::string_view store(std::string_view text);

  /// Bytes held in blocks (capacity, not only what was stored).
  std::size_t bytes_reserved() const { return reserved_; }

 private:
  static constexpr std::size_t kBlockSize = std::size_t{1} << 20;
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* cursor_ = nullptr;
  std::size_t left_ = 0;
  std::size_t reserved_ = 0;
};

}  // namespace tandem::eval
