// Evaluating a run against qrels with trec_eval's semantics.
#pragma once

#include <cstdint>

#include "tandem/eval/measure_set.hpp"
#include "tandem/eval/qrels.hpp"
#include "tandem/eval/report.hpp"
#include "tandem/eval/run.hpp"

namespace tandem::eval {

/// trec_eval's command-line switches that change what is computed (-q and -n only change what is
/// printed: see FormatOptions).
struct EvalOptions {
  /// -c: evaluate every query of the qrels. A query the run lacks is evaluated as trec_eval does
  /// (one placeholder document outside the pool: every measure is 0, except gm_map and gm_bpref
  /// which take log(0.00001)) and counts in num_q and the averages. Off: only queries in both.
  bool complete = false;
  /// -l: the smallest grade that counts as relevant.
  std::int64_t relevance_level = 1;
  /// -M: evaluate only the first N documents of each ranking (negative values count as 0).
  std::int64_t max_hits_per_query = 2147483647;
  /// -J: drop retrieved documents that are not judged before computing anything.
  bool judged_only = false;
  /// -N: number of documents in the collection (used only by utility).
  std::int64_t num_docs_in_collection = 0;
  /// Worker threads for the per-query work (0 = all hardware threads); the result does not
  /// depend on it.
  unsigned threads = 1;
};

/// Evaluates `run` against `qrels`. Queries are evaluated in byte order of their ids, as trec_eval
/// does; queries of the run without judgments are ignored. Each query's hits are ranked by score
/// descending, ties broken by document id descending (trec_eval's order), then cut to
/// max_hits_per_query. An empty MeasureSet means "official".
/// Throws Error(invalid_argument) when a ranked document appears twice in one evaluated query's
/// ranking or twice in its judgments (trec_eval refuses both), and when no query is left to
/// evaluate (trec_eval: "No queries with both results and relevance info").
/// O(total hits · log(hits per query) + total hits · measures).
Report evaluate(const Qrels& qrels, const Run& run, const MeasureSet& measures,
                const EvalOptions& options = {});

}  // namespace tandem::eval
