// The approximate learned-sparse leg: a Seismic-style index (sparse/approx/seismic_index.hpp) per
// segment: the segment's persisted one (vector.seismic, written by `tandem index --sparse-approx`)
// memory-mapped when present, else built in memory from the sparse field when the retriever opens.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "tandem/index/index_reader.hpp"
#include "tandem/pipeline/impact_retriever.hpp"
#include "tandem/sparse/approx/seismic_index.hpp"

namespace tandem::pipeline {

/// Per-thread reusable buffers of an approximate search.
class ApproxContext {
 public:
  std::vector<sparse::approx::SeismicQueryTerm> terms;
  sparse::approx::SeismicScratch scratch;
  TopK top;
  std::vector<Hit> segment_hits;
};

class ApproxRetriever {
 public:
  /// Opens the persisted approximate index of every segment that has one and builds the others
  /// in memory with `params` (params.threads threads; progress may be null). Throws
  /// Error(not_found) if the index has no sparse field.
  ApproxRetriever(const std::shared_ptr<const index::IndexReader>& index,
                  const sparse::approx::SeismicBuildParams& params,
                  ProgressSink* progress = nullptr);

  /// The approximate top `k` for a weighted query, in result order.
  void search(std::span<const io::SparseQueryTerm> query, std::size_t k,
              const sparse::approx::SeismicSearchParams& params, ApproxContext& ctx,
              std::vector<IndexHit>& out) const;

  double build_seconds() const { return build_seconds_; }
  std::size_t memory_bytes() const;
  std::uint64_t num_blocks() const;
  std::uint64_t num_postings() const;
  std::uint64_t num_summary_entries() const;
  /// Segments whose index was mapped from its file / built in memory at open.
  std::size_t persisted_segments() const { return persisted_; }
  std::size_t built_segments() const { return built_; }
  /// The build parameters of the (first) persisted index, if any segment has one.
  std::optional<sparse::approx::SeismicBuildParams> persisted_params() const;

 private:
  std::shared_ptr<const index::IndexReader> index_;
  ImpactRetriever fields_;  // the segments' sparse fields (dictionaries, scales)
  std::vector<std::unique_ptr<sparse::approx::SeismicIndex>> segments_;
  double build_seconds_ = 0;
  std::size_t persisted_ = 0;
  std::size_t built_ = 0;
};

}  // namespace tandem::pipeline
