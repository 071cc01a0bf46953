// The façade the applications use (CLI, HTTP server, Python module): build an index, open it,
// search it one query or a batch at a time, write runs. Nothing here prints.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/core/progress.hpp"
#include "tandem/index/index_builder.hpp"
#include "tandem/index/index_reader.hpp"
#include "tandem/index/index_writer.hpp"
#include "tandem/io/query_file.hpp"
#include "tandem/io/run_writer.hpp"
#include "tandem/pipeline/bm25_retriever.hpp"
#include "tandem/pipeline/maxsim_reranker.hpp"
#include "tandem/pipeline/term_feedback.hpp"

namespace tandem::engine {

/// Builds an index (see index::build_index).
index::BuildReport build_index(const index::BuildOptions& options,
                               ProgressSink* progress = nullptr);
std::string to_json(const index::BuildReport& report);

/// Changes a published index (see index/index_writer.hpp and docs/live.md).
index::AddReport add_documents(const index::AddOptions& options, ProgressSink* progress = nullptr);
index::DeleteReport delete_documents(const index::DeleteOptions& options);
index::MergeReport merge_segments(const index::MergeOptions& options,
                                  ProgressSink* progress = nullptr);
std::string to_json(const index::AddReport& report);
std::string to_json(const index::DeleteReport& report);
std::string to_json(const index::MergeReport& report);

/// An open index. Cheap to copy (shares the reader).
class Index {
 public:
  static Index open(const std::filesystem::path& dir);

  const index::IndexReader& reader() const { return *reader_; }
  const std::shared_ptr<const index::IndexReader>& shared_reader() const { return reader_; }
  /// Settings, segments, fields, statistics and sizes, as JSON.
  std::string info_json() const;
  /// Checks every checksum and structure; throws Error(corruption) naming the file at fault.
  void verify(ProgressSink* progress = nullptr) const;
  /// The stored source of a document, or nullopt if there is no such id.
  std::optional<std::string> document(std::string_view id) const;

 private:
  std::shared_ptr<const index::IndexReader> reader_;
};

struct SearchOptions {
  std::size_t k = 1000;
  pipeline::Bm25Options bm25;
  /// Anserini's -removeQuery: drop a hit whose document id equals the query id (batch search).
  bool remove_query = false;
  /// Pseudo-relevance feedback (RM3 or Rocchio, as Anserini's -rm3 / -rocchio): a first BM25 search
  /// of depth feedback->depth, then a second one with the expanded query. Unset = plain BM25.
  std::optional<pipeline::TermFeedbackOptions> feedback;
  /// MaxSim re-ranking of the BM25 top `maxsim_depth` by the index's multi-vector field, with
  /// query token vectors read from `maxsim_queries` (JSONL {"id", "vectors"}, keyed by query id).
  /// Empty path = none. Batch search only (a query needs its id).
  std::filesystem::path maxsim_queries;
  std::size_t maxsim_depth = 100;
  pipeline::MaxSimOptions maxsim;
};

/// A result: external id, score, location.
struct Hit {
  std::string id;
  Score score = 0;
  index::DocLocation at;
};

struct QueryResult {
  std::string qid;
  std::vector<Hit> hits;
  double latency_us = 0;  // analysis + search + merging, on one thread
};

struct LatencySummary {
  double mean = 0, p50 = 0, p90 = 0, p99 = 0, max = 0;  // microseconds
};

struct BatchResult {
  std::vector<QueryResult> results;  // in query file order
  unsigned threads = 1;
  double wall_seconds = 0;
  /// With MaxSim re-ranking: its statistics summed over the queries, and its time.
  pipeline::MaxSimStats maxsim_stats;
  double maxsim_seconds = 0;
  double qps() const;
  LatencySummary latency() const;
};

/// Searches an index with one set of options. Thread-safe.
class Searcher {
 public:
  Searcher(const Index& index, SearchOptions options);

  const SearchOptions& options() const { return options_; }
  /// The top options().k hits of a text query.
  std::vector<Hit> search(std::string_view query) const;
  /// Every query, on `threads` threads (0 = all cores); results in query order.
  BatchResult search_batch(std::span<const io::QueryText> queries, unsigned threads,
                           ProgressSink* progress = nullptr) const;
  /// The settings that produced the results, as JSON (printed with every result set).
  std::string settings_json() const;

 private:
  Index index_;
  SearchOptions options_;
  pipeline::Bm25Retriever bm25_;
  std::optional<pipeline::TermFeedback> feedback_;
  struct QueryTokens;
  std::shared_ptr<const QueryTokens> maxsim_queries_;  // by query id
};

/// The statistics of a batch (queries, qps, latency_us {mean, p50, p90, p99, max}) and the
/// searcher's settings, as JSON.
std::string batch_stats_json(const BatchResult& batch, const Searcher& searcher);

/// Writes a TREC run atomically.
void write_run(const std::filesystem::path& path, const BatchResult& batch, std::string_view tag,
               io::RunScoreFormat format);

}  // namespace tandem::engine
