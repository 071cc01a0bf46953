// `tandem search --retriever impact|sparse-approx`: the learned-sparse side of the search command.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "tandem/engine/sparse_searcher.hpp"

namespace tandem::cli {

/// The options only sparse retrieval reads.
struct SparseSearchArgs {
  std::string retriever = "bm25";
  std::string query_encoder;
  std::size_t max_query_terms = 0;
  sparse::approx::SeismicBuildParams build;
  sparse::approx::SeismicSearchParams approx;
  bool approx_exact = false;
  std::string sweep;  // "qc:hf,qc:hf,...": one batch per pair on one approximate index
};

/// Registers --retriever, --query-encoder, --max-query-terms and the approximate index's options.
void add_sparse_search_options(CLI::App& cmd, SparseSearchArgs& args);

/// What the sparse search needs from the common search options.
struct SparseRunArgs {
  std::string index, queries, run, query, stats, algorithm, tag, scores;
  std::size_t k = 0;
  unsigned threads = 0;
  bool remove_query = false, json = false, quiet = false;
};

/// Runs a sparse search (a query file to a run, or one query); returns the exit code.
int run_sparse_search(const SparseRunArgs& common, const SparseSearchArgs& sparse);

}  // namespace tandem::cli
