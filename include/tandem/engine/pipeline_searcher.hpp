// The façade of hybrid pipelines (pipeline/pipeline.hpp, docs/pipelines.md): a pipeline file
// opened once, then text queries one at a time or in batches, with the same results, runs and
// statistics as the other searchers (engine.hpp) plus an explain record per query. Nothing here
// prints; the CLI, the HTTP server and the Python module render the JSON.
#pragma once

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/core/progress.hpp"
#include "tandem/engine/engine.hpp"
#include "tandem/io/query_file.hpp"
#include "tandem/pipeline/pipeline.hpp"

namespace tandem::engine {

/// A batch's results and, per query, the pipeline state behind them (for explain).
struct PipelineBatch {
  BatchResult batch;
  std::vector<pipeline::QueryState> states;       // same order as batch.results
  std::vector<pipeline::PipelineQuery> queries_;  // what states[i].query points at
};

/// Searches with one pipeline. Thread-safe after construction.
class PipelineSearcher {
 public:
  /// Opens the pipeline (indexes, filter, encoders, stages); `k` overrides the file's "k".
  explicit PipelineSearcher(pipeline::PipelineSpec spec, std::optional<std::size_t> k = {},
                            ProgressSink* progress = nullptr);
  /// The same from a pipeline file.
  static PipelineSearcher open(const std::filesystem::path& path, std::optional<std::size_t> k = {},
                               ProgressSink* progress = nullptr);

  const pipeline::Pipeline& pipeline() const { return *pipeline_; }
  /// One query (legs that read query vectors from files look `qid` up), with the state that
  /// explain_json() renders.
  PipelineBatch search(std::string_view text, std::string_view qid = "") const;
  /// Every query; results in query order. Legs run leg by leg over the batch on `threads`
  /// threads (0 = all cores), then fusion and stages per query. With `explain`, the states keep
  /// each hit's per-leg contributions for explain_json() (it costs an allocation per hit);
  /// without it, explain_json() shows the fused scores and timings only.
  PipelineBatch search_batch(std::span<const io::QueryText> queries, unsigned threads,
                             ProgressSink* progress = nullptr, bool explain = false) const;
  /// The pipeline's settings (legs, filter, fusion, stages), as JSON.
  std::string settings_json() const;

 private:
  std::shared_ptr<const pipeline::Pipeline> pipeline_;
};

/// The explain record of one query as JSON: {"qid", "query", "timings_us": {stage: us, ...,
/// "total"}, "hits": [{"rank", "id", "score", "legs": {NAME: {"rank" (null if the leg did not
/// return it), "score" (raw, null if missing), "normalized"}}}], "notes": {...}} with the first
/// `max_hits` hits.
std::string explain_json(const pipeline::Pipeline& pipeline, const pipeline::QueryState& state,
                         std::size_t max_hits = 10);

/// Batch statistics with the same contract as text search (queries, threads, wall_seconds, qps,
/// latency_us {mean, p50, p90, p99, max}, hits, settings) plus "stages_us": the mean time of each
/// stage per query.
std::string pipeline_batch_stats_json(const PipelineBatch& batch, const PipelineSearcher& searcher);

/// Converts pipeline states to results (ids and fused scores; latency = the sum of the stages).
void to_query_results(std::span<const pipeline::QueryState> states, std::vector<QueryResult>& out);

}  // namespace tandem::engine
