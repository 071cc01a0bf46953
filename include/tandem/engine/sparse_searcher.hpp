// The façade of learned-sparse search: impact queries (pre-tokenised topics, JSONL vectors, or text
// through an inference-free query encoder) against an index's sparse vector field, exactly or
// with the approximate (Seismic-style) index. Nothing here prints.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "tandem/core/progress.hpp"
#include "tandem/engine/engine.hpp"
#include "tandem/io/sparse_query_file.hpp"
#include "tandem/pipeline/impact_retriever.hpp"
#include "tandem/sparse/approx/seismic_params.hpp"

namespace tandem::engine {

/// Which sparse leg answers: exact impact search, or the approximate index.
enum class SparseRetrieverKind { impact, approx };
/// "impact" or "sparse-approx"; throws Error(invalid_argument) otherwise.
SparseRetrieverKind parse_sparse_retriever(std::string_view name);
std::string_view to_string(SparseRetrieverKind kind);

struct SparseSearchOptions {
  std::size_t k = 1000;
  SparseRetrieverKind retriever = SparseRetrieverKind::impact;
  pipeline::ImpactOptions impact;            // algorithm and query-term pruning
  sparse::approx::SeismicBuildParams build;  // the approximate index, built when the searcher opens
  sparse::approx::SeismicSearchParams approx;
  /// How text queries become vectors: "" = Anserini pre-tokenised (tokens counted), or
  /// "idf:DIR" (DIR holds idf.json and vocab.txt) / "idf:IDF_JSON,VOCAB_TXT": WordPiece tokens
  /// weighted by the idf table (inference-free neural sparse). JSONL vectors are used as given.
  std::string query_encoder;
  bool remove_query = false;
};

/// Searches an index's sparse field. Thread-safe after construction.
class SparseSearcher {
 public:
  /// Opens the field (and builds the approximate index when asked, on options.build.threads
  /// threads). Throws Error(not_found) if the index has no sparse field or the encoder files are
  /// missing.
  SparseSearcher(const Index& index, SparseSearchOptions options, ProgressSink* progress = nullptr);
  ~SparseSearcher();
  SparseSearcher(const SparseSearcher&) = delete;
  SparseSearcher& operator=(const SparseSearcher&) = delete;

  const SparseSearchOptions& options() const { return options_; }
  /// The query's weighted terms (its vector, or its text encoded).
  std::vector<io::SparseQueryTerm> encode(const io::SparseQuery& query) const;
  std::vector<Hit> search(const io::SparseQuery& query) const;
  /// Every query on `threads` threads (0 = all cores); results in query order.
  /// `approx` overrides options().approx for this batch (parameter sweeps on one built index).
  BatchResult search_batch(std::span<const io::SparseQuery> queries, unsigned threads,
                           ProgressSink* progress = nullptr,
                           const sparse::approx::SeismicSearchParams* approx = nullptr) const;
  /// Settings (and, for the approximate index, its build time and memory) as JSON; `approx`
  /// overrides the query-time parameters shown.
  std::string settings_json(const sparse::approx::SeismicSearchParams* approx = nullptr) const;

 private:
  struct Impl;
  Index index_;
  SparseSearchOptions options_;
  std::unique_ptr<Impl> impl_;
};

/// Batch statistics (queries, qps, latency_us, settings) as JSON, like batch_stats_json.
std::string sparse_batch_stats_json(const BatchResult& batch, const SparseSearcher& searcher,
                                    const sparse::approx::SeismicSearchParams* approx = nullptr);

}  // namespace tandem::engine
