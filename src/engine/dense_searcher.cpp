#include "tandem/engine/dense_searcher.hpp"

#include <chrono>

#include <nlohmann/json.hpp>

#include "tandem/core/error.hpp"
#include "tandem/core/parallel.hpp"
#include "tandem/dense/kernels.hpp"

#include "searcher_support.hpp"

namespace tandem::engine {

using nlohmann::json;

io::VectorSet read_query_vectors(const std::filesystem::path& path,
                                 const std::filesystem::path& ids_path) {
  io::VectorSet set = io::read_vectors(path, ids_path);
  if (set.ids.empty()) {
    set.ids.reserve(set.rows());
    for (std::size_t i = 0; i < set.rows(); ++i) set.ids.push_back(std::to_string(i));
  }
  return set;
}

DenseSearcher::DenseSearcher(const Index& index, DenseSearchOptions options)
    : index_(index),
      options_(std::move(options)),
      retriever_(index.shared_reader(), options_.dense) {
  if (options_.k == 0) fail(ErrorKind::invalid_argument, "k must be at least 1");
  if (options_.k > 1'000'000)
    fail(ErrorKind::limit_exceeded, "k = {} is over the limit of 1,000,000", options_.k);
}

BatchResult DenseSearcher::search_batch(const io::VectorSet& queries, unsigned threads,
                                        const std::string& source) const {
  if (queries.dim != retriever_.dim())
    fail(ErrorKind::invalid_argument, "{}: queries have dimension {}, the index's vectors {}",
         source, queries.dim, retriever_.dim());
  BatchResult batch;
  batch.threads = resolve_threads(threads);
  const auto start = std::chrono::steady_clock::now();
  pipeline::DenseBatch found =
      retriever_.search_batch(queries.values, queries.rows(), options_.k, batch.threads, source);
  batch.results.resize(queries.rows());
  const index::IndexReader& reader = index_.reader();
  parallel_for(queries.rows(), batch.threads, [&](std::size_t q, unsigned) {
    QueryResult& r = batch.results[q];
    r.qid = q < queries.ids.size() ? queries.ids[q] : std::to_string(q);
    r.latency_us = found.latency_us[q];
    to_hits(reader, found.hits[q], r.hits);
  });
  batch.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  found.hits = {};
  found.latency_us = {};
  last_ = std::move(found);
  return batch;
}

std::string DenseSearcher::settings_json() const {
  const auto& o = options_.dense;
  const auto& d = *index_.reader().settings().dense;
  json j = {
      {"retriever", std::string(pipeline::to_string(o.method))},
      {"k", options_.k},
      {"metric", std::string(dense::to_string(d.metric))},
      {"dim", d.dim},
      {"kernels", std::string(dense::kernels().name)},
      {"bytes_per_vector", retriever_.bytes_per_vector()},
      {"index", index_.reader().dir().string()},
      {"index_generation", index_.reader().manifest().generation},
      {"tandem", TANDEM_VERSION},
  };
  if (o.method == pipeline::DenseMethod::hnsw) {
    j["ef"] = std::max(o.ef, options_.k);
    j["m"] = d.hnsw ? d.hnsw->m : 0;
  }
  if (o.method == pipeline::DenseMethod::sq8 || o.method == pipeline::DenseMethod::binary ||
      o.method == pipeline::DenseMethod::pq) {
    const auto kind = o.method == pipeline::DenseMethod::sq8  ? dense::CodeKind::sq8
                      : o.method == pipeline::DenseMethod::pq ? dense::CodeKind::pq
                                                              : dense::CodeKind::binary;
    const auto scoring =
        o.binary_hamming ? dense::BinaryScoring::hamming : dense::BinaryScoring::asymmetric;
    j["rerank"] = o.rerank != 0 ? o.rerank : dense::default_rerank(kind, scoring, options_.k);
    if (kind == dense::CodeKind::binary)
      j["binary_scoring"] = o.binary_hamming ? "hamming" : "asymmetric";
  }
  if (o.method == pipeline::DenseMethod::exact) {
    j["query_block"] = o.exact.query_block;
    j["block_product"] = o.exact.block_min_queries > 0;
  }
  if (!o.filter_ids.empty()) j["filter_ids"] = o.filter_ids.size();
  return j.dump();
}

std::string DenseSearcher::last_batch_json() const {
  const json j = {{"exact_fallbacks", last_.exact_stats.fallbacks},
                  {"block_product", last_.exact_stats.used_block_product},
                  {"filter_exact_segments", last_.filter_fallbacks}};
  return j.dump();
}

std::string batch_stats_json(const BatchResult& batch, const DenseSearcher& searcher) {
  json j = batch_stats(batch, json::parse(searcher.settings_json()));
  j["dense"] = json::parse(searcher.last_batch_json());
  return j.dump(2);
}

}  // namespace tandem::engine
