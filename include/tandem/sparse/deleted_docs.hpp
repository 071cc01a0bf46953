// The deleted documents of one segment, as a search sees them: a bitmap over its DocIds.
#pragma once

#include <cstdint>

#include "tandem/core/types.hpp"

namespace tandem::sparse {

/// A read-only view of a deletion bitmap: document d is deleted when bit (d % 64) of word d / 64
/// is set. A default-constructed view deletes nothing. The words must cover every DocId a search
/// can offer (the segment's num_docs). Cheap to copy.
class DeletedDocs {
 public:
  DeletedDocs() = default;
  explicit DeletedDocs(const std::uint64_t* words) : words_(words) {}

  bool any() const { return words_ != nullptr; }
  bool contains(DocId doc) const {
    return words_ != nullptr && ((words_[doc >> 6] >> (doc & 63)) & 1u) != 0;
  }

 private:
  const std::uint64_t* words_ = nullptr;
};

}  // namespace tandem::sparse
