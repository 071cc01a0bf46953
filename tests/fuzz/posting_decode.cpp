// Fuzz target: arbitrary bytes as a posting list. validate_posting_list must either reject them
// with tandem::Error or accept a list that is then safe and consistent to search: the cursor walks
// strictly increasing documents below num_docs, next_geq agrees with the walk, and every query
// algorithm returns the exhaustive oracle's top-k. Any violation aborts.
//
// Input: varint doc_freq, varint total_freq (LEB128, as the term dictionary would give them), then
// the list's bytes.
//
// The segment the bytes are checked against is fixed: kNumDocs documents whose norms and lengths
// come from fuzz_norm() (the seed corpus was encoded with the same function).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "tandem/core/error.hpp"
#include "tandem/core/top_k.hpp"
#include "tandem/sparse/bm25.hpp"
#include "tandem/sparse/cursor/posting_cursor.hpp"
#include "tandem/sparse/posting_list.hpp"
#include "tandem/sparse/search.hpp"

namespace {

using namespace tandem;
using namespace tandem::sparse;

constexpr std::uint32_t kNumDocs = 1 << 16;

std::uint32_t fuzz_length(DocId d) {
  return 1 + (d * 2654435761u >> 7) % 300;
}

void require(bool ok) {
  if (!ok) std::abort();
}

struct Segment {
  std::vector<std::uint32_t> lengths;
  std::vector<std::uint8_t> norms;
  Segment() : lengths(kNumDocs), norms(kNumDocs) {
    for (DocId d = 0; d < kNumDocs; ++d) {
      lengths[d] = fuzz_length(d);
      norms[d] = lucene_norm(lengths[d]);
    }
  }
};

// LEB128 of at most 64 bits from data[at..size); false if it does not end there.
bool read_varint(const std::uint8_t* data, std::size_t size, std::size_t& at, std::uint64_t& v) {
  v = 0;
  for (unsigned shift = 0; shift < 64 && at < size; shift += 7) {
    const std::uint8_t b = data[at++];
    v |= std::uint64_t{b & 0x7Fu} << shift;
    if ((b & 0x80) == 0) return true;
  }
  return false;
}

void search_accepted(const std::vector<std::byte>& list, const PostingListSummary& summary,
                     const Segment& seg) {
  // Walk: strictly increasing, in range, doc_freq postings summing to total_freq.
  PostingCursor walk(list.data(), summary);
  std::uint64_t total = 0;
  std::vector<DocId> docs;
  for (; walk.docid() != kEndDoc; walk.next()) {
    require(walk.docid() < kNumDocs && (docs.empty() || walk.docid() > docs.back()));
    require(walk.freq() >= 1);
    total += walk.freq();
    docs.push_back(walk.docid());
  }
  require(docs.size() == walk.size() && docs.size() == summary.doc_freq);
  require(total == summary.total_freq);
  // Skips agree with the walk.
  PostingCursor skip(list.data(), summary);
  for (std::size_t i = 0; i < docs.size(); i += 1 + i / 3) {
    skip.next_geq(docs[i]);
    require(skip.docid() == docs[i]);
  }
  // Every algorithm equals the oracle, in both length modes, with the term repeated.
  for (LengthMode mode : {LengthMode::lucene, LengthMode::exact}) {
    const Bm25Model model({0.9f, 0.4f}, mode, kNumDocs, std::uint64_t{kNumDocs} * 150);
    QueryTerm t;
    t.postings = list;
    t.summary = summary;
    t.scorer = model.term_scorer(docs.size(), 1.0f, DocLengths{seg.norms, seg.lengths});
    const QueryTerm terms[2] = {t, t};
    SearchScratch scratch;
    TopK top(10);
    search(QueryAlgorithm::exhaustive, terms, top, scratch);
    const std::vector<Hit> oracle = top.take_sorted();
    for (QueryAlgorithm alg : kQueryAlgorithms) {
      top.reset(10);
      search(alg, terms, top, scratch);
      require(top.take_sorted() == oracle);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Segment seg;
  std::size_t at = 0;
  std::uint64_t doc_freq = 0;
  PostingListSummary summary;
  if (!read_varint(data, size, at, doc_freq) || doc_freq > 0xFFFFFFFFu ||
      !read_varint(data, size, at, summary.total_freq)) {
    return 0;
  }
  summary.doc_freq = static_cast<std::uint32_t>(doc_freq);
  std::vector<std::byte> bytes(size - at);
  if (size > at) std::memcpy(bytes.data(), data + at, size - at);
  std::size_t n = 0;
  try {
    n = validate_posting_list(bytes, summary, PostingListCheck{kNumDocs, seg.norms});
  } catch (const tandem::Error&) {
    return 0;
  }
  require(n <= bytes.size());
  bytes.resize(n);  // exactly the accepted list: ASan reports any read past it
  bytes.shrink_to_fit();
  search_accepted(bytes, summary, seg);
  return 0;
}
