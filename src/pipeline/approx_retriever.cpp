#include "tandem/pipeline/approx_retriever.hpp"

#include <chrono>

#include "tandem/sparse/cursor/posting_cursor.hpp"

namespace tandem::pipeline {

sparse::approx::ForwardVectors read_forward_vectors(const index::SparseFieldFiles& field,
                                                    std::uint32_t num_docs) {
  sparse::approx::ForwardVectors f;
  f.num_terms = static_cast<std::uint32_t>(field.terms.size());
  f.float_impacts = field.meta.quantization == index::ImpactQuantization::float32;
  f.doc_starts.assign(std::size_t{num_docs} + 1, 0);
  const std::byte* base = field.postings.payload().data();
  // Two passes over the lists: count per document, then place (terms ascending per document).
  field.terms.for_each([&](TermId, std::string_view, const index::TermEntry& e) {
    for (sparse::PostingCursor c(base + e.postings_offset, {e.doc_freq, e.total_freq});
         c.docid() != kEndDoc; c.next())
      ++f.doc_starts[c.docid() + 1];
  });
  for (std::size_t d = 0; d < num_docs; ++d) f.doc_starts[d + 1] += f.doc_starts[d];
  f.terms.resize(f.doc_starts.back());
  f.impacts.resize(f.doc_starts.back());
  std::vector<std::uint64_t> at(f.doc_starts.begin(), f.doc_starts.end() - 1);
  field.terms.for_each([&](TermId t, std::string_view, const index::TermEntry& e) {
    for (sparse::PostingCursor c(base + e.postings_offset, {e.doc_freq, e.total_freq});
         c.docid() != kEndDoc; c.next()) {
      const std::uint64_t p = at[c.docid()]++;
      f.terms[p] = t;
      f.impacts[p] = c.freq();
    }
  });
  return f;
}

ApproxRetriever::ApproxRetriever(const std::shared_ptr<const index::IndexReader>& index,
                                 const sparse::approx::SeismicBuildParams& params)
    : index_(index), fields_(index, ImpactOptions{}) {
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t s = 0; s < index_->segments().size(); ++s) {
    if (!fields_.field(s)) {
      segments_.push_back(nullptr);
      continue;
    }
    segments_.push_back(
        std::make_unique<sparse::approx::SeismicIndex>(sparse::approx::SeismicIndex::build(
            read_forward_vectors(*fields_.field(s), index_->segments()[s]->num_docs()), params)));
  }
  build_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void ApproxRetriever::search(std::span<const io::SparseQueryTerm> query, std::size_t k,
                             const sparse::approx::SeismicSearchParams& params, ApproxContext& ctx,
                             std::vector<IndexHit>& out) const {
  out.clear();
  if (k == 0 || query.empty()) return;
  for (std::uint32_t s = 0; s < segments_.size(); ++s) {
    if (!segments_[s]) continue;
    const index::SparseFieldFiles& f = *fields_.field(s);
    ctx.terms.clear();
    for (const io::SparseQueryTerm& t : query) {
      const auto id = f.terms.find_id(t.term);
      if (!id) continue;
      ctx.terms.push_back({*id, static_cast<float>(t.weight * f.meta.impact_scale)});
    }
    if (ctx.terms.empty()) continue;
    ctx.top.reset(k);
    segments_[s]->search(ctx.terms, params, ctx.top, ctx.scratch,
                         index_->segments()[s]->deleted_docs());
    ctx.top.copy_sorted(ctx.segment_hits);
    for (const Hit& h : ctx.segment_hits) out.push_back({{s, h.doc}, h.score});
  }
  merge_segment_hits(*index_, k, out);
}

std::size_t ApproxRetriever::memory_bytes() const {
  std::size_t n = 0;
  for (const auto& s : segments_) n += s ? s->memory_bytes() : 0;
  return n;
}

std::uint64_t ApproxRetriever::num_blocks() const {
  std::uint64_t n = 0;
  for (const auto& s : segments_) n += s ? s->num_blocks() : 0;
  return n;
}

std::uint64_t ApproxRetriever::num_postings() const {
  std::uint64_t n = 0;
  for (const auto& s : segments_) n += s ? s->num_postings() : 0;
  return n;
}

}  // namespace tandem::pipeline
