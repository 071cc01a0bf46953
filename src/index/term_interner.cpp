#include "tandem/index/term_interner.hpp"

#include <xxhash.h>

#include "tandem/core/error.hpp"

namespace tandem::index {

TermInterner::TermInterner() {
  clear();
}

void TermInterner::clear() {
  pool_.clear();
  starts_.assign(1, 0);
  hashes_.clear();
  slots_.assign(1024, 0);
}

std::size_t TermInterner::memory_bytes() const {
  return pool_.capacity() + starts_.capacity() * sizeof(std::uint64_t) +
         hashes_.capacity() * sizeof(std::uint64_t) + slots_.capacity() * sizeof(std::uint32_t);
}

std::uint32_t TermInterner::intern(std::string_view term) {
  const std::uint64_t hash = XXH3_64bits(term.data(), term.size());
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    const std::uint32_t slot = slots_[i];
    if (slot == 0) {
      const auto id = size();
      if (id == UINT32_MAX - 1)
        fail(ErrorKind::limit_exceeded, "more than 4 billion distinct terms in one segment");
      pool_.append(term);
      starts_.push_back(pool_.size());
      hashes_.push_back(hash);
      slots_[i] = id + 1;
      if (static_cast<std::size_t>(size()) * 2 > slots_.size()) grow();
      return id;
    }
    if (hashes_[slot - 1] == hash && this->term(slot - 1) == term) return slot - 1;
  }
}

void TermInterner::grow() {
  std::vector<std::uint32_t> slots(slots_.size() * 2, 0);
  const std::size_t mask = slots.size() - 1;
  for (std::uint32_t id = 0; id < size(); ++id) {
    std::size_t i = hashes_[id] & mask;
    while (slots[i] != 0) i = (i + 1) & mask;
    slots[i] = id + 1;
  }
  slots_ = std::move(slots);
}

}  // namespace tandem::index
