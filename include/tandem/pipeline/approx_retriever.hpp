// The approximate learned-sparse leg: a Seismic-style index (sparse/approx/seismic_index.hpp) built
// in memory from each segment's sparse field when the retriever opens.
#pragma once

#include <memory>
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

/// The forward vectors of a segment's sparse field, decoded from its posting lists.
sparse::approx::ForwardVectors read_forward_vectors(const index::SparseFieldFiles& field,
                                                    std::uint32_t num_docs);

class ApproxRetriever {
 public:
  /// Builds the approximate index of every segment (params.threads threads). Throws
  /// Error(not_found) if the index has no sparse field.
  ApproxRetriever(const std::shared_ptr<const index::IndexReader>& index,
                  const sparse::approx::SeismicBuildParams& params);

  /// The approximate top `k` for a weighted query, in result order.
  void search(std::span<const io::SparseQueryTerm> query, std::size_t k,
              const sparse::approx::SeismicSearchParams& params, ApproxContext& ctx,
              std::vector<IndexHit>& out) const;

  double build_seconds() const { return build_seconds_; }
  std::size_t memory_bytes() const;
  std::uint64_t num_blocks() const;
  std::uint64_t num_postings() const;

 private:
  std::shared_ptr<const index::IndexReader> index_;
  ImpactRetriever fields_;  // the segments' sparse fields (dictionaries, scales)
  std::vector<std::unique_ptr<sparse::approx::SeismicIndex>> segments_;
  double build_seconds_ = 0;
};

}  // namespace tandem::pipeline
