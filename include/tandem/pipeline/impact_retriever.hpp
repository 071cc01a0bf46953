// The exact learned-sparse leg: a weighted sparse query scored against the index's sparse vector
// field by dot product, on every segment, with any exact query algorithm.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "tandem/core/top_k.hpp"
#include "tandem/index/index_reader.hpp"
#include "tandem/index/sparse_field.hpp"
#include "tandem/io/sparse_query_file.hpp"
#include "tandem/pipeline/bm25_retriever.hpp"
#include "tandem/sparse/impact_search.hpp"
#include "tandem/sparse/query/query_algorithm.hpp"

namespace tandem::pipeline {

struct ImpactOptions {
  sparse::QueryAlgorithm algorithm = sparse::kDefaultQueryAlgorithm;
  /// Query-term pruning: keep only the n heaviest query terms (ties: the earlier one); 0 = all.
  /// Not exact when it drops terms.
  std::size_t max_query_terms = 0;
};

/// Per-thread reusable buffers of an impact search.
class ImpactContext {
 public:
  std::vector<io::SparseQueryTerm> kept;
  std::vector<sparse::ImpactQueryTerm> terms;
  sparse::ImpactSearchScratch scratch;
  TopK top;
  std::vector<Hit> segment_hits;
  std::vector<std::uint32_t> order;
};

/// Keeps the n heaviest terms of `query` (all if n == 0 or n >= size), in their original order.
void prune_query_terms(std::span<const io::SparseQueryTerm> query, std::size_t n,
                       std::vector<io::SparseQueryTerm>& out, std::vector<std::uint32_t>& order);

/// Orders hits gathered from several segments: score descending, then external id ascending, and
/// keeps the first k. (Within a segment DocId order is external-id order.)
void merge_segment_hits(const index::IndexReader& index, std::size_t k,
                        std::vector<IndexHit>& hits);

/// Exact impact search over an index. Immutable after construction and thread-safe (each thread
/// passes its own ImpactContext).
class ImpactRetriever {
 public:
  /// Throws Error(not_found) if the index has no sparse vector field.
  ImpactRetriever(std::shared_ptr<const index::IndexReader> index, ImpactOptions options);

  const ImpactOptions& options() const { return options_; }
  const index::IndexReader& index() const { return *index_; }
  /// The sparse field of segment s (nullopt: that segment has none).
  const std::optional<index::SparseFieldFiles>& field(std::size_t s) const { return fields_[s]; }

  /// The top `k` documents for a weighted query (distinct terms, weights > 0), in result order.
  /// `exclude`, when not empty, replaces each segment's deleted documents (one per segment:
  /// deleted or filtered out), so a filter is applied inside the query algorithm.
  void search(std::span<const io::SparseQueryTerm> query, std::size_t k, ImpactContext& ctx,
              std::vector<IndexHit>& out, std::span<const sparse::DeletedDocs> exclude = {}) const;

 private:
  std::shared_ptr<const index::IndexReader> index_;
  ImpactOptions options_;
  std::vector<std::optional<index::SparseFieldFiles>> fields_;
};

}  // namespace tandem::pipeline
