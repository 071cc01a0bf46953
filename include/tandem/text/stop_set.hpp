// A set of stop words, for Lucene's StopFilter.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::text {

/// Exact, case-sensitive membership (StopFilter with a CharArraySet built with ignoreCase=false, as
/// EnglishAnalyzer's ENGLISH_STOP_WORDS_SET is; the chain lower-cases first). An open-addressing
/// hash table over the words' bytes, with a length filter in front: most terms are rejected by
/// their length alone. contains() never allocates.
class StopSet {
 public:
  StopSet() = default;
  explicit StopSet(const std::vector<std::string>& words);

  bool contains(std::string_view term) const noexcept {
    if (slots_.empty()) return false;
    if (term.size() < 64 ? ((lengths_ >> term.size()) & 1) == 0 : !long_words_) return false;
    for (std::size_t i = hash(term) & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.length == kEmpty) return false;
      if (s.length == term.size() && std::string_view(chars_).substr(s.offset, s.length) == term)
        return true;
    }
  }
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }

 private:
  static constexpr std::uint32_t kEmpty = 0xFFFFFFFF;
  struct Slot {
    std::uint32_t offset = 0;
    std::uint32_t length = kEmpty;
  };
  // Terms of up to 8 bytes (all of Lucene's stop words) hash with one multiplication.
  static std::size_t hash(std::string_view s) noexcept {
    std::uint64_t h;
    if (s.size() <= 8) {
      std::uint64_t x = 0;
      std::memcpy(&x, s.data(), s.size());
      h = (x ^ s.size()) * 0x9E3779B97F4A7C15ull;
    } else {
      h = 14695981039346656037ull;  // FNV-1a
      for (const char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    }
    return static_cast<std::size_t>(h >> 29);
  }

  std::string chars_;
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
  std::uint64_t lengths_ = 0;  // bit n set: a word of n bytes exists (n < 64)
  bool long_words_ = false;    // a word of 64 bytes or more exists
};

}  // namespace tandem::text
