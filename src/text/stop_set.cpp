#include "tandem/text/stop_set.hpp"

namespace tandem::text {

StopSet::StopSet(const std::vector<std::string>& words) {
  if (words.empty()) return;  // contains() answers false without a table
  std::size_t capacity = 4;
  while (capacity < 2 * words.size()) capacity *= 2;  // load factor <= 1/2
  slots_.resize(capacity);
  mask_ = capacity - 1;
  for (const std::string& w : words) {
    std::size_t i = hash(w) & mask_;
    bool duplicate = false;
    for (; slots_[i].length != kEmpty; i = (i + 1) & mask_) {
      if (std::string_view(chars_).substr(slots_[i].offset, slots_[i].length) == w)
        duplicate = true;
    }
    if (duplicate) continue;
    slots_[i] =
        Slot{static_cast<std::uint32_t>(chars_.size()), static_cast<std::uint32_t>(w.size())};
    chars_ += w;
    ++size_;
    if (w.size() < 64) {
      lengths_ |= std::uint64_t{1} << w.size();
    } else {
      long_words_ = true;
    }
  }
}

}  // namespace tandem::text
