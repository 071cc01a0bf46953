// `tandem tune`: grid search of a pipeline's parameters (fusion weights, RRF k, stage
// parameters) on the training queries of a qrels split, choosing by one trec_eval measure, and
// reporting the score of the chosen setting on the held-out test queries only.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "tandem/core/progress.hpp"

namespace tandem::engine {

/// One dimension of the grid: a path into the pipeline JSON ("fusion.alpha", "fusion.k",
/// "legs[0].depth", "feedback[0].fb_docs") and the values to try.
struct TuneParam {
  std::string path;
  std::vector<nlohmann::json> values;
};

/// Parses "PATH=V1,V2,..." or "PATH=FROM:TO:STEP" (numbers, TO included when reached within
/// 1e-9). Values are JSON (numbers, true/false, strings). Throws Error(invalid_argument).
TuneParam parse_tune_param(std::string_view spec);

/// Sets `path` in a pipeline JSON to `value`, creating the last key if absent. Throws
/// Error(invalid_argument) when an intermediate key or index does not exist.
void set_json_path(nlohmann::json& root, std::string_view path, const nlohmann::json& value);

/// A deterministic split of query ids: queries are ordered by a seeded 64-bit hash of their id
/// (SplitMix64 over FNV-1a; ties by id) and the first round(train_fraction * n) are train. The
/// same ids, fraction and seed always give the same split, on every platform.
struct QuerySplit {
  std::vector<std::string> train, test;  // each sorted
};
QuerySplit split_queries(std::vector<std::string> qids, double train_fraction, std::uint64_t seed);

struct TuneOptions {
  std::filesystem::path pipeline;
  std::filesystem::path queries;
  std::filesystem::path qrels;        // split by split_queries, or:
  std::filesystem::path train_qrels;  // given split (both set)
  std::filesystem::path test_qrels;
  double train_fraction = 0.5;
  std::uint64_t seed = 42;
  std::string measure = "ndcg_cut.10";  // trec_eval -m syntax; its first value is the objective
  std::vector<TuneParam> params;        // empty = the default grid of the fusion method
  std::size_t k = 0;                    // hits per query (0 = the pipeline's k)
  unsigned threads = 0;
};

struct TunePoint {         // NOLINT(bugprone-exception-escape): a null json does not throw
  nlohmann::json setting;  // {path: value}
  double train = 0;
};

struct TuneReport {     // NOLINT(bugprone-exception-escape): a null json does not throw
  std::string measure;  // the column name, e.g. ndcg_cut_10
  std::vector<TunePoint> grid;
  std::size_t best = 0;  // into grid: highest train score, the first on ties
  double test = 0;       // the chosen setting on the test queries
  std::size_t train_queries = 0, test_queries = 0;
  nlohmann::json chosen_pipeline;  // the pipeline JSON with the chosen setting
  bool legs_reused = true;         // legs run once (no grid path touched "legs")
  double seconds = 0;
};

/// Runs the grid. Progress: one step per grid point.
TuneReport tune(const TuneOptions& options, ProgressSink* progress = nullptr);
std::string to_json(const TuneReport& report);

}  // namespace tandem::engine
