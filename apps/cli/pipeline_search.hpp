// `tandem search --pipeline FILE`: hybrid pipelines (docs/pipelines.md) from the search command.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace tandem::cli {

struct PipelineSearchArgs {
  std::string pipeline;      // the pipeline file
  bool explain = false;      // --query: print why each hit ranks where it does
  std::string explain_file;  // --queries: write one explain record per query (JSON lines)
  std::size_t explain_hits = 10;
};

/// Registers --pipeline, --explain, --explain-file and --explain-hits.
void add_pipeline_search_options(CLI::App& cmd, PipelineSearchArgs& args);

/// What the pipeline search needs from the common search options.
struct PipelineRunArgs {
  std::string index, queries, run, query, stats, tag;
  std::string scores;  // "" or raw = raw, anserini = Anserini's rounding
  std::size_t k = 0;   // 0 = the pipeline's k (10 for --query)
  unsigned threads = 0;
  bool json = false, quiet = false;
};

/// Runs a pipeline search; returns the exit code.
int run_pipeline_search(const PipelineRunArgs& common, const PipelineSearchArgs& args);

}  // namespace tandem::cli
