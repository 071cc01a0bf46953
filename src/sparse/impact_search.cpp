#include "tandem/sparse/impact_search.hpp"

#include <cmath>

#include "tandem/core/error.hpp"
#include "tandem/sparse/query/dispatch.hpp"

namespace tandem::sparse {
namespace {

template <TermScorer S>
void run(QueryAlgorithm algorithm, std::vector<ScoredPostingCursor<S>>& cursors,
         std::span<const ImpactQueryTerm> terms, TopK& top, QueryBuffers& buf) {
  cursors.clear();
  cursors.reserve(terms.size());
  for (std::size_t i = 0; i < terms.size(); ++i) {
    const ImpactQueryTerm& t = terms[i];
    cursors.emplace_back(t.postings.data() + t.offset, t.summary, S(t.weight),
                         static_cast<std::uint32_t>(i));
  }
  const auto span = std::span<ScoredPostingCursor<S>>(cursors);
  dispatch(algorithm, span, top, buf);
}

}  // namespace

void impact_search(QueryAlgorithm algorithm, ImpactEncoding encoding,
                   std::span<const ImpactQueryTerm> terms, TopK& top, ImpactSearchScratch& scratch,
                   DeletedDocs deleted) {
  scratch.buffers().stats = SearchStats{};
  scratch.buffers().best.set_deleted(deleted);
  if (terms.size() > kMaxQueryTerms) {
    fail(ErrorKind::limit_exceeded, "a query has {} terms; at most {} are supported", terms.size(),
         kMaxQueryTerms);
  }
  for (const ImpactQueryTerm& t : terms) {
    if (t.offset >= t.postings.size()) {
      fail(ErrorKind::invalid_argument,
           "a query term's list offset {} is outside its postings ({} bytes)", t.offset,
           t.postings.size());
    }
    if (!(t.weight >= 0) || !std::isfinite(t.weight))
      fail(ErrorKind::invalid_argument, "a query weight must be finite and >= 0, not {}", t.weight);
  }
  if (terms.empty() || top.capacity() == 0) return;
  if (encoding == ImpactEncoding::integer) {
    run<ImpactScorer>(algorithm, scratch.integer_cursors(), terms, top, scratch.buffers());
  } else {
    run<FloatImpactScorer>(algorithm, scratch.float_cursors(), terms, top, scratch.buffers());
  }
}

}  // namespace tandem::sparse
