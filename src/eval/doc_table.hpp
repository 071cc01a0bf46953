// A hash table from document id to a number, rebuilt for every query of an evaluation.
// Private to the eval layer.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace tandem::eval::detail {

/// Open addressing with linear probing over a power-of-two table at most half full; ids are
/// compared by bytes after a 32-bit hash check. clear() is O(1) (slots carry the generation that
/// wrote them), so one table serves every query without re-zeroing. Keys are views: the caller
/// keeps the strings alive until the next clear(). find and insert are O(1) expected.
class DocTable {
 public:
  /// A strong-enough 64-bit hash of an id (FNV-1a, then a murmur3 finalizer).
  static std::uint64_t hash(std::string_view doc) {
    std::uint64_t h = 14695981039346656037ull;
    for (const char c : doc) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
  }

  /// Empties the table and makes room for `max_entries` inserts.
  void clear(std::size_t max_entries) {
    const std::size_t wanted = std::bit_ceil(std::max<std::size_t>(2 * max_entries, 16));
    if (wanted > slots_.size()) {
      slots_.assign(wanted, Slot{});
      generation_ = 0;
    }
    mask_ = slots_.size() - 1;
    if (++generation_ == 0) {  // wrapped: slots of generation 0 would look full
      slots_.assign(slots_.size(), Slot{});
      generation_ = 1;
    }
  }

  /// The value stored for `doc`, or nullptr. `h` is hash(doc).
  const std::uint64_t* find(std::string_view doc, std::uint64_t h) const {
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.generation != generation_) return nullptr;
      if (s.hash == static_cast<std::uint32_t>(h) && s.doc == doc) return &s.value;
    }
  }

  /// Inserts (doc, value) and returns nullptr, or returns the value already stored for `doc`
  /// (and changes nothing). At most max_entries inserts between clears.
  const std::uint64_t* insert(std::string_view doc, std::uint64_t h, std::uint64_t value) {
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.generation != generation_) {
        s = Slot{doc, value, static_cast<std::uint32_t>(h), generation_};
        return nullptr;
      }
      if (s.hash == static_cast<std::uint32_t>(h) && s.doc == doc) return &s.value;
    }
  }

 private:
  struct Slot {
    std::string_view doc;
    std::uint64_t value = 0;
    std::uint32_t hash = 0;
    std::uint32_t generation = 0;
  };
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::uint32_t generation_ = 0;
};

}  // namespace tandem::eval::detail
