// Posting lists: docs and frequencies in compressed blocks of 128 with per-block score summaries.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "tandem/core/types.hpp"

namespace tandem::sparse {

inline constexpr std::size_t kBlockSize = 128;
/// Every encoded list starts at a payload offset that is a multiple of this.
inline constexpr std::size_t kPostingListAlignment = 16;

/// One term's postings, as the index writer hands them over.
struct PostingListInput {
  std::span<const DocId> docs;            // strictly increasing
  std::span<const std::uint32_t> freqs;   // same size as docs, each >= 1
  std::span<const std::uint8_t> doc_norms;  // one-byte norm per DocId of the segment; empty = all 0
};

/// What the term dictionary keeps about a list besides its offset.
struct PostingListSummary {
  std::uint32_t doc_freq = 0;
  std::uint64_t total_freq = 0;  // sum of freqs
};

/// Appends the encoded list to `out` and returns its summary. `out` is a scratch buffer; the caller
/// copies it to the postings file at an offset aligned to kPostingListAlignment.
PostingListSummary encode_posting_list(const PostingListInput& in, std::vector<std::byte>& out);

}  // namespace tandem::sparse
