#include "tandem/pipeline/approx_retriever.hpp"

#include <chrono>
#include <filesystem>

#include "tandem/index/segment_files.hpp"
#include "tandem/index/sparse_approx.hpp"

namespace tandem::pipeline {

ApproxRetriever::ApproxRetriever(const std::shared_ptr<const index::IndexReader>& index,
                                 const sparse::approx::SeismicBuildParams& params,
                                 ProgressSink* progress)
    : index_(index), fields_(index, ImpactOptions{}) {
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t s = 0; s < index_->segments().size(); ++s) {
    if (!fields_.field(s)) {
      segments_.push_back(nullptr);
      continue;
    }
    const index::SegmentReader& seg = *index_->segments()[s];
    const auto path = index::segment_files::sparse_approx(index_->dir() / seg.info().name);
    const auto num_terms = static_cast<std::uint32_t>(fields_.field(s)->terms.size());
    if (std::filesystem::exists(path)) {
      segments_.push_back(std::make_unique<sparse::approx::SeismicIndex>(
          sparse::approx::SeismicIndex::open(path, seg.num_docs(), num_terms)));
      ++persisted_;
    } else {
      segments_.push_back(
          std::make_unique<sparse::approx::SeismicIndex>(sparse::approx::SeismicIndex::build(
              index::read_forward_vectors(*fields_.field(s), seg.num_docs()), params, progress)));
      ++built_;
    }
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

std::optional<sparse::approx::SeismicBuildParams> ApproxRetriever::persisted_params() const {
  for (const auto& s : segments_) {
    if (s && s->mapped()) return s->build_params();
  }
  return std::nullopt;
}

std::uint64_t ApproxRetriever::num_summary_entries() const {
  std::uint64_t n = 0;
  for (const auto& s : segments_) n += s ? s->num_summary_entries() : 0;
  return n;
}

std::uint64_t ApproxRetriever::num_postings() const {
  std::uint64_t n = 0;
  for (const auto& s : segments_) n += s ? s->num_postings() : 0;
  return n;
}

}  // namespace tandem::pipeline
