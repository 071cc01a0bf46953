#include "dense_options.hpp"

#include <fmt/format.h>

#include "tandem/core/error.hpp"
#include "tandem/io/line_reader.hpp"
#include "tandem/io/text_file_writer.hpp"

#include "batch_output.hpp"

namespace tandem::cli {

void DenseIndexOptions::add_to(CLI::App& cmd) {
  cmd.add_option("--dense", vectors,
                 "Dense vectors (.npy, .fvecs, or JSONL {\"id\",\"vector\"}); with --corpus each "
                 "vector's id must be a document id, without it the index is dense-only");
  cmd.add_option("--dense-ids", ids,
                 "Ids of the vector rows, one per line (default: the JSONL ids, else row numbers)");
  cmd.add_option("--metric", metric, "Dense similarity: ip, cosine or l2")
      ->capture_default_str()
      ->check(CLI::IsMember({"ip", "cosine", "l2"}));
  cmd.add_flag("--hnsw", hnsw, "Build an HNSW graph over the vectors");
  cmd.add_option("--hnsw-m", hnsw_m, "HNSW links per node (2M on layer 0)")->capture_default_str();
  cmd.add_option("--ef-construction", ef_construction, "HNSW candidates while linking")
      ->capture_default_str();
  cmd.add_option("--seed", seed, "Seed of HNSW levels and PQ k-means")->capture_default_str();
  cmd.add_flag("--deterministic", deterministic,
               "Build the graph on one thread: identical input gives an identical index");
  cmd.add_option("--codes", codes, "Compressed codes to build: sq8, binary, pq (several allowed)")
      ->delimiter(',')
      ->check(CLI::IsMember({"sq8", "binary", "pq"}));
  cmd.add_option("--pq-m", pq_m, "PQ sub-quantisers, a divisor of the dimension (0 = dim/4)")
      ->capture_default_str();
  cmd.add_option("--dense-storage", storage,
                 "Element type of the stored full vectors: fp32, or fp16 (half the bytes; values "
                 "rounded once, searches exact over the stored values)")
      ->capture_default_str()
      ->check(CLI::IsMember({"fp32", "fp16"}));
}

void DenseIndexOptions::apply(index::BuildOptions& options) const {
  if (vectors.empty()) {
    if (hnsw || !codes.empty() || !ids.empty())
      fail(ErrorKind::invalid_argument, "--hnsw, --codes and --dense-ids need --dense VECTORS");
    return;
  }
  options.dense_vectors = vectors;
  options.dense_ids = ids;
  dense::DenseSettings s;
  s.metric = dense::parse_metric(metric);
  if (hnsw) s.hnsw = dense::HnswParams{hnsw_m, ef_construction, seed, deterministic};
  for (const auto& c : codes) {
    const auto kind = dense::parse_code_kind(c);
    if (std::find(s.codes.begin(), s.codes.end(), kind) == s.codes.end()) s.codes.push_back(kind);
  }
  s.pq_m = pq_m;
  s.code_seed = seed;
  s.storage = dense::parse_storage(storage);
  options.settings.dense = s;
  if (options.corpus.empty() && !options.sparse) options.settings.layout = index::FieldLayout::none;
}

void DenseSearchArgs::add_to(CLI::App& cmd) {
  cmd.add_option("--query-ids", query_ids,
                 "Dense: ids of .npy/.fvecs query rows, one per line (default: row numbers)");
  cmd.add_option("--ef", ef, "HNSW beam width (raised to k)")->capture_default_str();
  cmd.add_option("--rerank", rerank,
                 "Codes: candidates re-ranked with full vectors (default: sq8 max(100, 10k), pq "
                 "max(200, 20k), binary max(2000, 200k), binary with --binary-hamming "
                 "max(10000, 1000k))");
  cmd.add_flag("--binary-hamming", binary_hamming,
               "Binary codes: rank candidates by Hamming distance between sign codes instead of "
               "the asymmetric score of the float query against the codes");
  cmd.add_option("--query-block", query_block,
                 "dense-exact: queries per matrix product (1 = scan the vectors once per query "
                 "with the SIMD kernel)")
      ->capture_default_str();
  cmd.add_option("--filter-ids", filter_ids,
                 "Dense: only return these documents (a file of ids, one per line)");
}

engine::DenseSearchOptions DenseSearchArgs::options(std::size_t k) const {
  engine::DenseSearchOptions o;
  o.k = k;
  o.dense.method = pipeline::parse_dense_method(retriever);
  o.dense.ef = ef;
  o.dense.rerank = rerank;
  o.dense.binary_hamming = binary_hamming;
  o.dense.exact.query_block = std::max<std::size_t>(query_block, 1);
  if (query_block <= 1) o.dense.exact.block_min_queries = 0;
  if (!filter_ids.empty()) {
    io::LineReader reader(filter_ids);
    std::string_view line;
    while (reader.next(line)) {
      if (!line.empty()) o.dense.filter_ids.emplace_back(line);
    }
  }
  return o;
}

int run_dense_batch(const std::string& index_dir, const std::string& queries,
                    const DenseSearchArgs& dense, std::size_t k, unsigned threads,
                    const std::string& run, const std::string& stats, const std::string& tag,
                    bool json, bool quiet) {
  const auto index = engine::Index::open(index_dir);
  const engine::DenseSearcher searcher(index, dense.options(k));
  const io::VectorSet q = engine::read_query_vectors(queries, dense.query_ids);
  const auto batch = searcher.search_batch(q, threads, queries);
  const BatchOutput out{run, tag, stats, json, quiet};
  const std::string s = engine::batch_stats_json(batch, searcher);
  write_batch_files(batch, io::RunScoreFormat::raw, out, s);
  print_batch_summary(batch, out, s, searcher.settings_json());
  return 0;
}

}  // namespace tandem::cli
