// Top-k search of one segment with one of the query algorithms.
#pragma once

#include <span>

#include "tandem/core/top_k.hpp"
#include "tandem/sparse/deleted_docs.hpp"
#include "tandem/sparse/query/pruning.hpp"
#include "tandem/sparse/query/query_algorithm.hpp"
#include "tandem/sparse/query/search_scratch.hpp"
#include "tandem/sparse/query_term.hpp"

namespace tandem::sparse {

/// Adds the top-k documents of one segment for the disjunction of `terms` to `top` (k =
/// top.capacity(); DocIds of that segment). A document's score is the double sum of its terms'
/// contributions in the order of `terms`, rounded to float; every algorithm returns the same hits,
/// scores and order. Pass `top` empty for each segment (or holding only hits that rank before every
/// equal-score document of this segment): pruning assumes held hits win ties.
/// The same QueryTerm may appear more than once (each occurrence is a term of its own).
///
/// Throws Error(invalid_argument) if the terms mix length modes or a list offset lies outside its
/// postings span, Error(limit_exceeded) for more than kMaxQueryTerms terms. Allocates nothing once
/// `scratch` is warm; scratch.stats() tells what the search did. Documents in `deleted` never
/// enter `top` (they still count in the statistics the scorers were given: the caller decides).
void search(QueryAlgorithm algorithm, std::span<const QueryTerm> terms, TopK& top,
            SearchScratch& scratch, DeletedDocs deleted = {});

}  // namespace tandem::sparse
