// One query term on one segment, as index/ hands it to search().
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "tandem/sparse/bm25.hpp"
#include "tandem/sparse/posting_list.hpp"

namespace tandem::sparse {

/// A term's posting list in one segment and how to score it. The list starts at
/// postings.data() + offset and must be trusted (written by this process or validated).
struct QueryTerm {
  std::span<const std::byte> postings;  // the segment's postings payload
  std::uint64_t offset = 0;             // where this term's list starts in it
  PostingListSummary summary;           // from the term dictionary
  Bm25TermScorer scorer;  // Bm25Model::term_scorer(global df, weight, segment lengths)
};

}  // namespace tandem::sparse
