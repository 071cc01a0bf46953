// The deep check of a text field: every posting list decoded and cross-checked against the
// dictionary and the document lengths.
#include <vector>

#include "tandem/core/error.hpp"
#include "tandem/index/index_reader.hpp"
#include "tandem/sparse/cursor/posting_cursor.hpp"
#include "tandem/sparse/posting_list.hpp"

namespace tandem::index {

// `lengths_count_postings`: a document's length is its number of postings (the sparse field)
// rather than the sum of its frequencies (text fields).
void verify_field_postings(const TextFieldFiles& field, std::uint32_t num_docs,
                           const std::string& where, bool lengths_count_postings) {
  const auto payload = field.postings.payload();
  const auto norms = field.lengths.view().norms;
  std::vector<std::uint64_t> freq_sums(num_docs, 0);
  std::uint64_t end_of_previous = 0;
  field.terms.for_each([&](TermId, std::string_view term, const TermEntry& e) {
    if (e.postings_offset < end_of_previous) {
      fail(ErrorKind::corruption, "{}: posting list of term '{}' overlaps the previous one", where,
           term);
    }
    const sparse::PostingListSummary summary{e.doc_freq, e.total_freq};
    std::size_t size = 0;
    try {
      size = sparse::validate_posting_list(payload.subspan(e.postings_offset), summary,
                                           {num_docs, norms});
    } catch (const Error& err) {
      fail(ErrorKind::corruption, "{}: posting list of term '{}': {}", where, term, err.what());
    }
    end_of_previous = e.postings_offset + size;
    sparse::PostingCursor cursor(payload.data() + e.postings_offset, summary);
    std::uint64_t docs = 0, total = 0;
    for (; cursor.docid() != kEndDoc; cursor.next()) {
      const std::uint32_t f = cursor.freq();
      freq_sums[cursor.docid()] += lengths_count_postings ? 1 : f;
      total += f;
      ++docs;
    }
    if (docs != e.doc_freq || total != e.total_freq) {
      fail(ErrorKind::corruption,
           "{}: term '{}' has {} postings and {} occurrences, the dictionary says {} and {}", where,
           term, docs, total, e.doc_freq, e.total_freq);
    }
  });
  const auto lengths = field.lengths.view().lengths;
  for (DocId d = 0; d < num_docs; ++d) {
    if (freq_sums[d] != lengths[d]) {
      fail(ErrorKind::corruption,
           "{}: document {} has {} term occurrences (or postings) in the lists but length {}",
           where, d, freq_sums[d], lengths[d]);
    }
  }
}

}  // namespace tandem::index
