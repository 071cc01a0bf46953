// An in-memory sparse segment for the sparse-layer tests: raw postings, document lengths and norms,
// encoded with the sparse encoder into one aligned postings buffer (no dependency on index/).
#pragma once

#include <cstdint>
#include <vector>

#include "tandem/core/types.hpp"
#include "tandem/sparse/bm25.hpp"
#include "tandem/sparse/posting_list.hpp"
#include "tandem/sparse/query_term.hpp"

namespace tandem::test {

struct RawPostings {
  std::vector<DocId> docs;
  std::vector<std::uint32_t> freqs;
};

class SparseTestIndex {
 public:
  std::vector<std::uint32_t> lengths;  // per document
  std::vector<std::uint8_t> norms;     // lucene_norm(lengths[d])
  std::vector<RawPostings> terms;      // per term; every list non-empty
  std::vector<std::byte> postings;     // all lists, each at an offset aligned to 16
  std::vector<std::uint64_t> offsets;  // per term
  std::vector<sparse::PostingListSummary> summaries;

  std::uint32_t num_docs() const { return static_cast<std::uint32_t>(lengths.size()); }

  /// Encodes every term's list. encode_norms = false encodes the lists without norms (all summaries
  /// use norm 0, a looser but valid bound for any lengths).
  void encode(bool encode_norms = true) {
    norms.resize(lengths.size());
    for (std::size_t d = 0; d < lengths.size(); ++d) norms[d] = sparse::lucene_norm(lengths[d]);
    postings.clear();
    offsets.clear();
    summaries.clear();
    std::vector<std::byte> scratch;
    for (const RawPostings& t : terms) {
      while (postings.size() % sparse::kPostingListAlignment != 0) postings.push_back(std::byte{0});
      scratch.clear();
      sparse::PostingListInput in{t.docs, t.freqs, {}};
      if (encode_norms) in.doc_norms = norms;
      summaries.push_back(sparse::encode_posting_list(in, scratch));
      offsets.push_back(postings.size());
      postings.insert(postings.end(), scratch.begin(), scratch.end());
    }
  }

  /// Collection statistics for BM25: documents with at least one token, and the token total.
  std::uint64_t doc_count() const {
    std::uint64_t n = 0;
    for (std::uint32_t l : lengths) n += l > 0 ? 1 : 0;
    return n;
  }
  std::uint64_t sum_total_term_freq() const {
    std::uint64_t n = 0;
    for (std::uint32_t l : lengths) n += l;
    return n;
  }

  sparse::QueryTerm query_term(const sparse::Bm25Model& model, std::size_t term,
                               float weight) const {
    sparse::QueryTerm q;
    q.postings = postings;
    q.offset = offsets[term];
    q.summary = summaries[term];
    q.scorer =
        model.term_scorer(terms[term].docs.size(), weight, sparse::DocLengths{norms, lengths});
    return q;
  }
};

}  // namespace tandem::test
