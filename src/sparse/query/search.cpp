// search(): checks the query once, builds the typed cursors, runs one algorithm instantiation.
#include "tandem/sparse/search.hpp"

#include "tandem/core/error.hpp"
#include "tandem/sparse/query/dispatch.hpp"

namespace tandem::sparse {
namespace {

template <TermScorer S>
void run(QueryAlgorithm algorithm, std::span<const QueryTerm> terms, TopK& top,
         SearchScratch& scratch) {
  auto& cursors = scratch.cursors<S>();
  cursors.reserve(terms.size());
  for (std::size_t i = 0; i < terms.size(); ++i) {
    const QueryTerm& t = terms[i];
    cursors.emplace_back(t.postings.data() + t.offset, t.summary, S(t.scorer),
                         static_cast<std::uint32_t>(i));
  }
  const auto span = std::span<ScoredPostingCursor<S>>(cursors);
  dispatch(algorithm, span, top, scratch.buffers());
}

}  // namespace

void search(QueryAlgorithm algorithm, std::span<const QueryTerm> terms, TopK& top,
            SearchScratch& scratch, DeletedDocs deleted) {
  scratch.buffers().stats = SearchStats{};
  scratch.buffers().best.set_deleted(deleted);
  if (terms.size() > kMaxQueryTerms) {
    fail(ErrorKind::limit_exceeded, "a query has {} terms; at most {} are supported", terms.size(),
         kMaxQueryTerms);
  }
  for (const QueryTerm& t : terms) {
    if (t.offset >= t.postings.size()) {
      fail(ErrorKind::invalid_argument,
           "a query term's list offset {} is outside its postings ({} bytes)", t.offset,
           t.postings.size());
    }
    if (t.summary.doc_freq == 0) {
      fail(ErrorKind::invalid_argument, "a query term's list has no postings (doc_freq 0)");
    }
    if (t.scorer.mode != terms.front().scorer.mode) {
      fail(ErrorKind::invalid_argument, "a query mixes BM25 length modes");
    }
    if (t.scorer.norm_inverse == nullptr) {
      fail(ErrorKind::invalid_argument, "a query term has no scorer (use Bm25Model::term_scorer)");
    }
  }
  if (terms.empty() || top.capacity() == 0) return;
  if (terms.front().scorer.mode == LengthMode::lucene) {
    run<Bm25LuceneScorer>(algorithm, terms, top, scratch);
  } else {
    run<Bm25ExactScorer>(algorithm, terms, top, scratch);
  }
}

}  // namespace tandem::sparse
