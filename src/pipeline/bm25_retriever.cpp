#include "tandem/pipeline/bm25_retriever.hpp"

#include <algorithm>
#include <cmath>

#include "tandem/core/error.hpp"

namespace tandem::pipeline {

Bm25Retriever::Bm25Retriever(std::shared_ptr<const index::IndexReader> index, Bm25Options options)
    : index_(std::move(index)), options_(std::move(options)) {
  if (options_.fields.empty()) {
    for (const auto& name : index_->field_names()) options_.fields.push_back({name, 1.0f});
  }
  for (const auto& fw : options_.fields) {
    if (!(fw.weight >= 0) || !std::isfinite(fw.weight)) {
      fail(ErrorKind::invalid_argument, "field weight of '{}' must be a finite number >= 0",
           fw.field);
    }
    FieldModel m;
    m.field = index_->field_index(fw.field);
    m.weight = fw.weight;
    const index::FieldStats stats = index_->field_stats(m.field);
    if (stats.doc_count > 0) {
      m.model = std::make_unique<sparse::Bm25Model>(options_.params, options_.length_mode,
                                                    stats.doc_count, stats.sum_total_term_freq);
    }
    fields_.push_back(std::move(m));
  }
}

void Bm25Retriever::analyze(std::string_view query, SearchContext& ctx) const {
  ctx.analyzed.clear();
  index_->analyzer().analyze(query, ctx.analyzed);
  ctx.terms.clear();
  for (std::size_t i = 0; i < ctx.analyzed.size(); ++i) {
    const std::string_view t = ctx.analyzed[i];
    const auto it = std::find_if(ctx.terms.begin(), ctx.terms.end(),
                                 [&](const WeightedTerm& w) { return w.term == t; });
    if (it != ctx.terms.end()) {
      it->weight += 1.0f;
    } else {
      ctx.terms.push_back({std::string(t), 1.0f});
    }
  }
}

void Bm25Retriever::search(std::string_view query, std::size_t k, SearchContext& ctx,
                           std::vector<IndexHit>& out) const {
  analyze(query, ctx);
  search_terms(k, ctx, out);
}

void Bm25Retriever::search_terms(std::size_t k, SearchContext& ctx, std::vector<IndexHit>& out,
                                 std::span<const sparse::DeletedDocs> exclude) const {
  out.clear();
  if (k == 0 || ctx.terms.empty()) return;
  const auto& segments = index_->segments();
  // Global document frequencies: the live documents' sum over segments (deleted documents are
  // subtracted, unlike Lucene before a merge, so that scores equal a fresh build's).
  struct TermStat {
    std::uint64_t doc_freq = 0;
  };
  std::vector<TermStat> stats(fields_.size() * ctx.terms.size());
  for (std::size_t f = 0; f < fields_.size(); ++f) {
    for (std::size_t t = 0; t < ctx.terms.size(); ++t) {
      for (const auto& seg : segments) {
        if (const auto e = seg->field(fields_[f].field).terms.find(ctx.terms[t].term)) {
          stats[f * ctx.terms.size() + t].doc_freq += seg->live_doc_freq(fields_[f].field, *e);
        }
      }
    }
  }
  for (std::uint32_t s = 0; s < segments.size(); ++s) {
    const index::SegmentReader& seg = *segments[s];
    ctx.query_terms.clear();
    for (std::size_t f = 0; f < fields_.size(); ++f) {
      const FieldModel& fm = fields_[f];
      if (!fm.model) continue;
      const index::TextFieldFiles& files = seg.field(fm.field);
      for (std::size_t t = 0; t < ctx.terms.size(); ++t) {
        const auto found = files.terms.find(ctx.terms[t].term);
        // A term whose every document is deleted does not exist in a fresh build.
        if (!found || stats[f * ctx.terms.size() + t].doc_freq == 0) continue;
        const index::TermEntry& e = *found;
        // Lucene: BoostQuery(field boost) over BoostQuery(term count): boost = count * field
        // weight.
        const float boost = ctx.terms[t].weight * fm.weight;
        ctx.query_terms.push_back(
            sparse::QueryTerm{files.postings.payload(), e.postings_offset,
                              sparse::PostingListSummary{e.doc_freq, e.total_freq},
                              fm.model->term_scorer(stats[f * ctx.terms.size() + t].doc_freq, boost,
                                                    files.lengths.view())});
      }
    }
    if (ctx.query_terms.empty()) continue;
    ctx.top.reset(k);
    sparse::search(options_.algorithm, ctx.query_terms, ctx.top, ctx.scratch,
                   exclude.empty() ? seg.deleted_docs() : exclude[s]);
    ctx.top.copy_sorted(ctx.segment_hits);
    for (const Hit& h : ctx.segment_hits) out.push_back({{s, h.doc}, h.score});
  }
  if (segments.size() > 1) {
    // Within a segment DocId order is external id order; across segments compare the ids.
    std::vector<std::pair<std::string, std::size_t>> keyed(out.size());
    std::string scratch;
    for (std::size_t i = 0; i < out.size(); ++i)
      keyed[i] = {std::string(index_->external_id(out[i].at, scratch)), i};
    std::vector<std::size_t> order(out.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      if (out[a].score != out[b].score) return out[a].score > out[b].score;
      return keyed[a].first < keyed[b].first;
    });
    std::vector<IndexHit> sorted;
    sorted.reserve(std::min(k, order.size()));
    for (std::size_t i = 0; i < order.size() && i < k; ++i) sorted.push_back(out[order[i]]);
    out = std::move(sorted);
  }
}

}  // namespace tandem::pipeline
