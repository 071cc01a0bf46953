// The dense-vector options of `tandem index` and `tandem search`.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "tandem/engine/dense_searcher.hpp"

namespace tandem::cli {

/// `tandem index --dense PATH [--dense-ids PATH] --metric ip|cosine|l2 [--hnsw ...] [--codes ...]`
struct DenseIndexOptions {
  std::string vectors;
  std::string ids;
  std::string metric = "ip";
  bool hnsw = false;
  std::uint32_t hnsw_m = 16;
  std::uint32_t ef_construction = 200;
  std::uint64_t seed = 1;
  bool deterministic = false;
  std::vector<std::string> codes;
  std::uint32_t pq_m = 0;
  std::string storage = "fp32";

  void add_to(CLI::App& cmd);
  /// Sets the dense inputs and settings of a build (nothing when --dense was not given).
  void apply(index::BuildOptions& options) const;
};

/// `tandem search --retriever dense-exact|hnsw|sq8|binary|pq [--ef N] [--rerank N] ...`
struct DenseSearchArgs {
  std::string retriever = "bm25";
  std::string query_ids;
  std::size_t ef = 100;
  std::size_t rerank = 0;
  bool binary_hamming = false;
  std::string filter_ids;
  std::size_t query_block = 128;

  void add_to(CLI::App& cmd);
  bool dense() const { return retriever != "bm25"; }
  engine::DenseSearchOptions options(std::size_t k) const;
};

/// Runs a dense batch search: queries to a run file and statistics (the text search contract).
int run_dense_batch(const std::string& index_dir, const std::string& queries,
                    const DenseSearchArgs& dense, std::size_t k, unsigned threads,
                    const std::string& run, const std::string& stats, const std::string& tag,
                    bool json, bool quiet);

}  // namespace tandem::cli
