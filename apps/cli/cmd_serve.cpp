// `tandem serve`: the HTTP/JSON API over one index (apps/server, docs/http.md).
#include <cstdlib>
#include <memory>

#include <fmt/format.h>

#include "tandem/core/error.hpp"
#include "tandem/engine/engine.hpp"

#include "../server/server.hpp"
#include "commands.hpp"

namespace tandem::cli {

namespace {

struct ServeArgs {
  server::ServeOptions options;
  float k1 = 0.9f;
  float b = 0.4f;
  std::string lengths = "lucene";
  std::string algorithm = std::string(sparse::to_string(sparse::kDefaultQueryAlgorithm));
  std::string dense_retriever = "dense-exact";
  std::size_t ef = 100;
  std::size_t rerank = 0;
  std::string query_encoder;
  std::size_t max_query_terms = 0;
};

int run_serve(ServeArgs a) {
  server::ServeOptions& o = a.options;
  if (o.api_key.empty()) {
    if (const char* key = std::getenv("TANDEM_API_KEY"); key != nullptr) o.api_key = key;
  }
  engine::SearchOptions& bm25 = o.engine.bm25;
  bm25.bm25.params = {a.k1, a.b};
  if (a.lengths == "lucene") {
    bm25.bm25.length_mode = sparse::LengthMode::lucene;
  } else if (a.lengths == "exact") {
    bm25.bm25.length_mode = sparse::LengthMode::exact;
  } else {
    fail(ErrorKind::invalid_argument, "--lengths must be lucene or exact, not '{}'", a.lengths);
  }
  bm25.bm25.algorithm = sparse::parse_query_algorithm(a.algorithm);
  engine::SparseSearchOptions& sp = o.engine.sparse;
  sp.retriever = engine::SparseRetrieverKind::impact;
  sp.impact.algorithm = bm25.bm25.algorithm;
  sp.impact.max_query_terms = a.max_query_terms;
  sp.query_encoder = a.query_encoder;
  engine::DenseSearchOptions& d = o.engine.dense;
  d.dense.method = pipeline::parse_dense_method(a.dense_retriever);
  d.dense.ef = a.ef;
  d.dense.rerank = a.rerank;
  // One query per request: the per-query SIMD kernel (the CLI's --query-block 1).
  d.dense.exact.query_block = 1;
  d.dense.exact.block_min_queries = 0;
  if (o.limits.max_k == 0) fail(ErrorKind::invalid_argument, "--max-k must be at least 1");
  const std::string host = o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host;
  return server::serve(o, [&](int port) {
    // The one line scripts wait for (tests/integration/http_test.py, bench/macro/http_load.py).
    fmt::print("tandem serve: listening on http://{}:{} (index {})\n", host, port,
               o.index_dir.string());
    std::fflush(stdout);
  });
}

}  // namespace

void add_serve_command(CLI::App& app, Action& run) {
  auto a = std::make_shared<ServeArgs>();
  auto* cmd = app.add_subcommand("serve",
                                 "Serve an index over HTTP/JSON (search, documents, "
                                 "add/delete, info, health, metrics)");
  cmd->footer(
      "Endpoints (docs/http.md): POST /search {\"query\"|\"sparse\"|\"dense\", \"k\"}, GET/DELETE\n"
      "/documents/{id}, POST /documents {\"documents\": [...]}, POST /documents/delete {\"ids\"},\n"
      "GET /info, /health, /metrics (Prometheus). Results equal `tandem search`'s. Listening on\n"
      "an address other than loopback needs an API key (--api-key or TANDEM_API_KEY); clients\n"
      "send 'Authorization: Bearer KEY'. Stops on SIGINT/SIGTERM. Example:\n"
      "  tandem serve --index out/demo/scifact --port 8080\n"
      "  curl -s localhost:8080/search -d '{\"query\": \"vitamin D and bone density\", \"k\": 3}'");
  server::ServeOptions& o = a->options;
  cmd->add_option("--index", o.index_dir, "Index directory")->required();
  cmd->add_option("--host", o.host, "Address to listen on (non-loopback needs an API key)")
      ->capture_default_str();
  cmd->add_option("--port", o.port, "Port (0 = any free port, printed at start)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--threads", o.threads,
                  "Threads handling connections (0 = max(64, 4 x cores)); a kept-alive "
                  "connection holds one, so more open connections than threads wait")
      ->capture_default_str();
  cmd->add_option("--api-key", o.api_key,
                  "Require 'Authorization: Bearer KEY' (all endpoints but /health); default: "
                  "$TANDEM_API_KEY");
  cmd->add_option("--max-body-bytes", o.limits.max_body_bytes, "Largest request body")
      ->capture_default_str();
  cmd->add_option("--max-k", o.limits.max_k, "Largest k a search may ask for")
      ->capture_default_str();
  cmd->add_option("--max-query-bytes", o.limits.max_query_bytes,
                  "Longest text query, in UTF-8 bytes")
      ->capture_default_str();
  cmd->add_option("--max-sparse-terms", o.limits.max_sparse_terms,
                  "Most dimensions of a sparse query")
      ->capture_default_str();
  cmd->add_option("--max-ids", o.limits.max_ids, "Most ids in one delete request")
      ->capture_default_str();
  cmd->add_option("--read-timeout", o.read_timeout_s, "Seconds to wait for a request's bytes")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  cmd->add_option("--write-timeout", o.write_timeout_s,
                  "Seconds to wait for a client to take a response's bytes")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  cmd->add_option("--keep-alive-max", o.keep_alive_max,
                  "Requests on one connection before the server closes it")
      ->capture_default_str();
  cmd->add_option("--keep-alive-timeout", o.keep_alive_timeout_s,
                  "Seconds an idle kept-alive connection stays open")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  cmd->add_flag("--access-log", o.access_log, "Print one line per request on stderr");
  cmd->add_flag("--allow-pipeline-files", o.allow_pipeline_files,
                "Let request pipelines name files on this machine (encoders, query vectors); "
                "only for trusted clients");
  cmd->add_option("--k1", a->k1, "BM25 k1")->capture_default_str();
  cmd->add_option("--b", a->b, "BM25 b")->capture_default_str();
  cmd->add_option("--lengths", a->lengths, "BM25 document lengths: lucene or exact")
      ->capture_default_str();
  cmd->add_option("--algorithm", a->algorithm,
                  "Query algorithm of BM25 and sparse search (all give identical results)")
      ->capture_default_str();
  cmd->add_option("--dense-retriever", a->dense_retriever,
                  "Dense searches: dense-exact, hnsw, sq8, binary, pq")
      ->capture_default_str()
      ->check(CLI::IsMember({"dense-exact", "exact", "hnsw", "sq8", "binary", "pq"}));
  cmd->add_option("--ef", a->ef, "HNSW beam width (raised to k)")->capture_default_str();
  cmd->add_option("--rerank", a->rerank,
                  "Codes: candidates re-ranked with full vectors (0 = max(100, 10k))")
      ->capture_default_str();
  cmd->add_option("--query-encoder", a->query_encoder,
                  "Sparse text queries: idf:PATH (as `tandem search`); default pre-tokenised");
  cmd->add_option("--max-query-terms", a->max_query_terms,
                  "Sparse: keep only the n heaviest query terms (0 = all)")
      ->capture_default_str();
  cmd->add_option("--add-threads", o.engine.add_threads,
                  "Threads analysing documents added through POST /documents")
      ->capture_default_str();
  cmd->callback([&run, a] { run = [a] { return run_serve(*a); }; });
}

}  // namespace tandem::cli
