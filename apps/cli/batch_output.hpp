// What every batch search of the CLI does with its results (BM25, sparse, dense, pipelines): the
// run and the statistics written atomically, and the one-line summary or the statistics printed.
#pragma once

#include <string>
#include <string_view>

#include "tandem/engine/engine.hpp"
#include "tandem/io/run_writer.hpp"

namespace tandem::cli {

/// `--scores`: "anserini" or "raw"; empty gives `fallback`. Throws Error(invalid_argument).
io::RunScoreFormat parse_score_format(std::string_view scores, io::RunScoreFormat fallback);

/// Where a batch's results go (the `--run`, `--tag`, `--stats`, `--json`, `-q` options).
struct BatchOutput {
  std::string run;
  std::string tag;
  std::string stats;  // empty: no statistics file
  bool json = false;
  bool quiet = false;
};

/// Writes the run (in `format`) and, if asked, the statistics file (`stats_json` and a newline),
/// each atomically.
void write_batch_files(const engine::BatchResult& batch, io::RunScoreFormat format,
                       const BatchOutput& out, std::string_view stats_json);

/// Prints `stats_json` (--json), or the summary line and the settings (unless quiet).
void print_batch_summary(const engine::BatchResult& batch, const BatchOutput& out,
                         std::string_view stats_json, std::string_view settings_json);

}  // namespace tandem::cli
