// The façade of dense search: query vectors from a file against an index's dense field, with the
// same results, runs and statistics as text search (engine.hpp).
#pragma once

#include <filesystem>
#include <string>

#include "tandem/engine/engine.hpp"
#include "tandem/io/vector_file.hpp"
#include "tandem/pipeline/dense_retriever.hpp"

namespace tandem::engine {

struct DenseSearchOptions {
  std::size_t k = 1000;
  pipeline::DenseOptions dense;
};

/// Query vectors with their ids: Anserini's pre-encoded topics (JSONL {"qid", "vector"}), .npy
/// or .fvecs (ids from `ids_path`, else row numbers).
io::VectorSet read_query_vectors(const std::filesystem::path& path,
                                 const std::filesystem::path& ids_path = {});

/// Searches the dense field of an index with one set of options. Thread-safe.
class DenseSearcher {
 public:
  DenseSearcher(const Index& index, DenseSearchOptions options);

  const DenseSearchOptions& options() const { return options_; }
  /// Every query of `queries` on `threads` threads (0 = all cores); results in query order.
  /// `source` names the query file in error messages.
  BatchResult search_batch(const io::VectorSet& queries, unsigned threads,
                           const std::string& source = "queries") const;
  /// The settings that produced the results (retriever, k, ef, rerank, metric, kernels, memory
  /// per vector), as JSON.
  std::string settings_json() const;
  /// Statistics of the last batch beyond latency (exact-search fallbacks, BLAS use), as JSON.
  std::string last_batch_json() const;

 private:
  Index index_;
  DenseSearchOptions options_;
  pipeline::DenseRetriever retriever_;
  mutable pipeline::DenseBatch last_;  // counters only (hits are moved out)
};

/// Batch statistics (queries, qps, latency_us {mean, p50, p90, p99, max}) and the dense searcher's
/// settings, as JSON: the same contract as text search.
std::string batch_stats_json(const BatchResult& batch, const DenseSearcher& searcher);

}  // namespace tandem::engine
