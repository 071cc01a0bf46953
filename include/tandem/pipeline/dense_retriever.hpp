// The dense leg: a query vector against the dense field of every segment, by exact search, HNSW,
// or compressed codes re-ranked from the full-precision vectors.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/dense/code_index.hpp"
#include "tandem/dense/flat_search.hpp"
#include "tandem/dense/hnsw.hpp"
#include "tandem/index/index_reader.hpp"
#include "tandem/pipeline/bm25_retriever.hpp"

namespace tandem::pipeline {

/// How the dense field is searched. The one place a method name becomes a value.
enum class DenseMethod { exact, hnsw, sq8, binary, pq };
std::string_view to_string(DenseMethod method);
/// "dense-exact" (or "exact"), "hnsw", "sq8", "binary", "pq"; throws Error(invalid_argument).
DenseMethod parse_dense_method(std::string_view name);

struct DenseOptions {
  DenseMethod method = DenseMethod::exact;
  std::size_t ef = 100;    // HNSW beam width (raised to k when smaller)
  std::size_t rerank = 0;  // codes: candidates re-ranked from full precision (0 = default_rerank)
  bool binary_hamming = false;  // binary codes: Hamming distance instead of the asymmetric score
  /// Allowed external ids (empty = all). A filter that allows less than `exact_below` of the rows
  /// is served by exact search over the allowed rows (graph search would wander through
  /// disallowed nodes).
  std::vector<std::string> filter_ids;
  double exact_below = 0.02;
  dense::ExactSearchOptions exact;  // block sizes of exact search
};

/// Per-query results of a batch, with each query's latency.
struct DenseBatch {
  std::vector<std::vector<IndexHit>> hits;
  std::vector<double> latency_us;
  dense::ExactSearchStats exact_stats;
  std::uint64_t filter_fallbacks = 0;  // segments searched exactly because of a selective filter
};

/// Searches the dense field of an index. Immutable and thread-safe.
class DenseRetriever {
 public:
  /// Throws Error(not_found) if the index has no dense field or lacks the graph / codes the method
  /// needs (naming the index option that builds them).
  DenseRetriever(std::shared_ptr<const index::IndexReader> index, DenseOptions options);

  const DenseOptions& options() const { return options_; }
  std::size_t dim() const;
  dense::Metric metric() const;
  /// Bytes per vector the method keeps in memory (codes for sq8/binary/pq, full vectors plus the
  /// graph for hnsw, the full vectors for exact).
  double bytes_per_vector() const;

  /// The top k of each of `nq` raw query vectors (row-major, dim() floats each), on `threads`
  /// threads. Queries are prepared here (normalised under cosine; a zero query under cosine is an
  /// error naming `source` and the query's row).
  DenseBatch search_batch(std::span<const float> queries, std::size_t nq, std::size_t k,
                          unsigned threads, std::string_view source) const;

 private:
  std::shared_ptr<const index::IndexReader> index_;
  DenseOptions options_;
  std::vector<std::vector<std::uint64_t>> filters_;  // per segment; empty = no filter
  std::vector<bool> filter_exact_;                   // per segment: serve by exact search
};

}  // namespace tandem::pipeline
