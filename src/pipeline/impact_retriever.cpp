#include "tandem/pipeline/impact_retriever.hpp"

#include <algorithm>
#include <numeric>

#include "tandem/core/error.hpp"

namespace tandem::pipeline {

void prune_query_terms(std::span<const io::SparseQueryTerm> query, std::size_t n,
                       std::vector<io::SparseQueryTerm>& out, std::vector<std::uint32_t>& order) {
  out.assign(query.begin(), query.end());
  if (n == 0 || n >= query.size()) return;
  order.resize(query.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return query[a].weight > query[b].weight;
  });
  order.resize(n);
  std::sort(order.begin(), order.end());
  out.clear();
  for (const std::uint32_t i : order) out.push_back(query[i]);
}

void merge_segment_hits(const index::IndexReader& index, std::size_t k,
                        std::vector<IndexHit>& hits) {
  if (index.segments().size() <= 1) {
    if (hits.size() > k) hits.resize(k);
    return;
  }
  std::vector<std::string> keys(hits.size());
  std::string scratch;
  for (std::size_t i = 0; i < hits.size(); ++i)
    keys[i] = std::string(index.external_id(hits[i].at, scratch));
  std::vector<std::size_t> order(hits.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (hits[a].score != hits[b].score) return hits[a].score > hits[b].score;
    return keys[a] < keys[b];
  });
  std::vector<IndexHit> sorted;
  for (std::size_t i = 0; i < order.size() && i < k; ++i) sorted.push_back(hits[order[i]]);
  hits = std::move(sorted);
}

ImpactRetriever::ImpactRetriever(std::shared_ptr<const index::IndexReader> index,
                                 ImpactOptions options)
    : index_(std::move(index)), options_(options) {
  bool any = false;
  for (const auto& seg : index_->segments()) {
    fields_.push_back(index::SparseFieldFiles::open(index_->dir() / seg->info().name));
    any = any || fields_.back().has_value();
  }
  if (!any) {
    fail(ErrorKind::not_found,
         "{}: the index has no sparse vector field (build it with tandem index --sparse FILE)",
         index_->dir().string());
  }
}

void ImpactRetriever::search(std::span<const io::SparseQueryTerm> query, std::size_t k,
                             ImpactContext& ctx, std::vector<IndexHit>& out,
                             std::span<const sparse::DeletedDocs> exclude) const {
  out.clear();
  if (k == 0 || query.empty()) return;
  prune_query_terms(query, options_.max_query_terms, ctx.kept, ctx.order);
  for (std::uint32_t s = 0; s < fields_.size(); ++s) {
    if (!fields_[s]) continue;
    const index::SparseFieldFiles& f = *fields_[s];
    ctx.terms.clear();
    for (const io::SparseQueryTerm& t : ctx.kept) {
      const auto e = f.terms.find(t.term);
      if (!e) continue;
      const auto weight = static_cast<float>(t.weight * f.meta.impact_scale);
      ctx.terms.push_back(sparse::ImpactQueryTerm{
          f.postings.payload(), e->postings_offset, {e->doc_freq, e->total_freq}, weight});
    }
    if (ctx.terms.empty()) continue;
    ctx.top.reset(k);
    const auto encoding = f.meta.quantization == index::ImpactQuantization::float32
                              ? sparse::ImpactEncoding::float32
                              : sparse::ImpactEncoding::integer;
    sparse::impact_search(options_.algorithm, encoding, ctx.terms, ctx.top, ctx.scratch,
                          exclude.empty() ? index_->segments()[s]->deleted_docs() : exclude[s]);
    ctx.top.copy_sorted(ctx.segment_hits);
    for (const Hit& h : ctx.segment_hits) out.push_back({{s, h.doc}, h.score});
  }
  merge_segment_hits(*index_, k, out);
}

}  // namespace tandem::pipeline
