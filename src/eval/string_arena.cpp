#include "tandem/eval/string_arena.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

namespace tandem::eval {

StringArena::StringArena(StringArena&& other) noexcept
    : blocks_(std::move(other.blocks_)),
      cursor_(std::exchange(other.cursor_, nullptr)),
      left_(std::exchange(other.left_, 0)),
      reserved_(std::exchange(other.reserved_, 0)) {}

StringArena& StringArena::operator=(StringArena&& other) noexcept {
  if (this != &other) {
    blocks_ = std::move(other.blocks_);
    cursor_ = std::exchange(other.cursor_, nullptr);
    left_ = std::exchange(other.left_, 0);
    reserved_ = std::exchange(other.reserved_, 0);
  }
  return *this;
}

std::string_view StringArena::store(std::string_view text) {
  if (text.empty()) return {};
  if (text.size() > left_) {
    const std::size_t size = std::max(kBlockSize, text.size());
    blocks_.push_back(std::make_unique<char[]>(size));
    cursor_ = blocks_.back().get();
    left_ = size;
    reserved_ += size;
  }
  std::memcpy(cursor_, text.data(), text.size());
  const std::string_view stored(cursor_, text.size());
  cursor_ += text.size();
  left_ -= text.size();
  return stored;
}

}  // namespace tandem::eval
