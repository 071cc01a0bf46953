// Posting lists: docs and frequencies in compressed blocks of 128 with per-block score summaries.
// The byte layout is specified in docs/format.md, section "Posting lists".
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "tandem/core/types.hpp"

namespace tandem::sparse {

inline constexpr std::size_t kBlockSize = 128;
/// Every encoded list starts at a payload offset that is a multiple of this. Lists need no
/// alignment (all multi-byte reads are unaligned loads), so none is imposed; the constant stays so
/// that writers keep honouring it if a later format needs one.
inline constexpr std::size_t kPostingListAlignment = 1;

/// One term's postings, as the index writer hands them over.
struct PostingListInput {
  std::span<const DocId> docs;              // strictly increasing, at least one
  std::span<const std::uint32_t> freqs;     // same size as docs, each >= 1
  std::span<const std::uint8_t> doc_norms;  // one-byte norm per DocId of the segment; empty = all 0
};

/// What the term dictionary keeps about a list besides its offset.
struct PostingListSummary {
  std::uint32_t doc_freq = 0;
  std::uint64_t total_freq = 0;  // sum of freqs
};

/// Appends the encoded list to `out` and returns its summary. `out` is a scratch buffer; the caller
/// copies it to the postings file at an offset aligned to kPostingListAlignment (the encoding is
/// position-independent). The summary is part of the encoding: the list does not store its doc_freq
/// (nor, for one posting, its frequency), so every reader needs the summary along with the bytes.
///
/// doc_norms must be lucene_norm(length) of each document (or empty for lists without norms, e.g.
/// impacts): the score summaries are built from them, and BM25 in either LengthMode relies on
/// lucene_norm_length(norm) <= length for its upper bounds.
/// Throws Error(invalid_argument) on empty input, mismatched sizes, docs not strictly increasing,
/// a zero frequency, or a doc outside doc_norms.
PostingListSummary encode_posting_list(const PostingListInput& in, std::vector<std::byte>& out);

/// What validate_posting_list checks besides the structure.
struct PostingListCheck {
  /// Every document must be < num_docs (the segment's document count).
  std::uint32_t num_docs = kEndDoc;
  /// When not empty (one norm per document, at least num_docs of them when num_docs is given):
  /// every score summary must bound the (freq, norm) of the postings it covers, so pruned search is
  /// exact.
  std::span<const std::uint8_t> doc_norms;
};

/// Checks that `bytes` begins with one well-formed posting list of summary.doc_freq postings whose
/// frequencies sum to summary.total_freq (the term dictionary's numbers, which the list does not
/// repeat), and returns its size in bytes. Throws Error(corruption) saying what is wrong. Reads
/// nothing outside `bytes` and allocates nothing proportional to the sizes the list claims, so it
/// is safe on untrusted input.
///
/// Trust model: cursors (the query hot path) do no bounds checks; they may only be opened on lists
/// this process encoded or that passed this check (with num_docs, so norms and lengths can be
/// indexed by every doc), each with the summary it was checked with. `tandem verify` and the index
/// reader's paranoid mode call it; the posting_decode fuzz target checks that every list it accepts
/// is then safe to search.
std::size_t validate_posting_list(std::span<const std::byte> bytes,
                                  const PostingListSummary& summary,
                                  const PostingListCheck& check = {});

}  // namespace tandem::sparse
