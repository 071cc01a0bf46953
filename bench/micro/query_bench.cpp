// Query algorithms on a synthetic Zipfian collection.
//
// What: mean latency (1 / items_per_second) of each top-k query algorithm, single-threaded, over
// 1000 queries of 2 to 8 distinct terms (drawn by collection frequency, repeats merged into
// Anserini-style boosts), at k = 10 and k = 1000, with postings scored and documents fully scored
// per query. Every algorithm returns exactly the exhaustive oracle's top-k (checked at start-up on
// the first 100 queries; the benchmark aborts otherwise), so only speed differs.
// Data: bench/micro/synthetic_index.hpp, 1M documents (mean length ~40 tokens, Zipf s = 1 over 1M
// ranks minus 30 stopwords), BM25 k1 = 0.9, b = 0.4, Lucene norms.
// Run:  cmake --preset bench && cmake --build build/bench -j2 --target bench_query_bench &&
//       build/bench/bench/bench_query_bench --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true
// Env:  TANDEM_BENCH_DOCS=<n> for a smaller collection; TANDEM_BENCH_LUCENE_DIR=<dir> also writes
//       the collection and queries there (corpus.jsonl, queries.tsv) for the Lucene peer.
//       TANDEM_BENCH_CORPUS=<corpus.tsv> TANDEM_BENCH_QUERIES=<queries.tsv> use a real
//       pre-tokenized collection and query set instead (bench/macro/pretokenize.py; e.g.
//       perfcorpus' real passages and the MS MARCO dev queries), the same tokens the Lucene peer
//       indexes with -analyzer whitespace.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "tandem/core/top_k.hpp"
#include "tandem/sparse/search.hpp"

#include "synthetic_index.hpp"

namespace {

using namespace tandem;
using namespace tandem::sparse;

const bench::SyntheticIndex& collection() {
  static const bench::SyntheticIndex ix = [] {
    const char* corpus = std::getenv("TANDEM_BENCH_CORPUS");
    const char* queries = std::getenv("TANDEM_BENCH_QUERIES");
    if (corpus != nullptr && queries != nullptr)
      return bench::load_tokenized_index(corpus, queries);
    bench::SyntheticParams p;
    if (const char* n = std::getenv("TANDEM_BENCH_DOCS")) {
      p.num_docs = static_cast<std::uint32_t>(std::strtoul(n, nullptr, 10));
    }
    bench::SyntheticIndex built = bench::build_synthetic_index(p);
    if (const char* dir = std::getenv("TANDEM_BENCH_LUCENE_DIR")) built.write_for_lucene(dir);
    return built;
  }();
  return ix;
}

const Bm25Model& model(LengthMode mode) {
  const auto& ix = collection();
  static const Bm25Model lucene({0.9f, 0.4f}, LengthMode::lucene, ix.lengths.size(),
                                ix.sum_total_term_freq());
  static const Bm25Model exact({0.9f, 0.4f}, LengthMode::exact, ix.lengths.size(),
                               ix.sum_total_term_freq());
  return mode == LengthMode::lucene ? lucene : exact;
}

std::vector<std::vector<QueryTerm>> query_terms(LengthMode mode) {
  std::vector<std::vector<QueryTerm>> out;
  for (const auto& q : collection().queries)
    out.push_back(collection().query_terms(model(mode), q));
  return out;
}

void check_against_oracle(const std::vector<std::vector<QueryTerm>>& queries, std::size_t k) {
  SearchScratch scratch;
  TopK top(k);
  for (std::size_t q = 0; q < std::min<std::size_t>(100, queries.size()); ++q) {
    top.reset(k);
    search(QueryAlgorithm::exhaustive, queries[q], top, scratch);
    const std::vector<Hit> oracle = top.take_sorted();
    for (QueryAlgorithm alg : kQueryAlgorithms) {
      top.reset(k);
      search(alg, queries[q], top, scratch);
      if (top.take_sorted() != oracle) {
        std::fprintf(stderr, "%s differs from the oracle on query %zu\n",
                     std::string(to_string(alg)).c_str(), q);
        std::abort();
      }
    }
  }
}

void run_queries(benchmark::State& state, QueryAlgorithm alg, std::size_t k, LengthMode mode) {
  const std::vector<std::vector<QueryTerm>> queries = query_terms(mode);
  static bool checked[2][2] = {};
  bool& done = checked[mode == LengthMode::exact][k > 10];
  if (!done) {
    check_against_oracle(queries, k);
    done = true;
  }
  SearchScratch scratch;
  TopK top(k);
  std::uint64_t postings = 0;
  std::uint64_t documents = 0;
  std::uint64_t count = 0;
  for (auto _ : state) {
    for (const auto& q : queries) {
      top.reset(k);
      search(alg, q, top, scratch);
      postings += scratch.stats().postings_scored;
      documents += scratch.stats().documents_scored;
      benchmark::DoNotOptimize(top.threshold());
    }
    count += queries.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(count));
  state.counters["postings_scored/q"] = static_cast<double>(postings) / static_cast<double>(count);
  state.counters["docs_scored/q"] = static_cast<double>(documents) / static_cast<double>(count);
  state.counters["s/q"] = benchmark::Counter(
      static_cast<double>(count), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

int register_all() {
  for (LengthMode mode : {LengthMode::lucene, LengthMode::exact}) {
    for (std::size_t k : {std::size_t{10}, std::size_t{1000}}) {
      for (QueryAlgorithm alg : kQueryAlgorithms) {
        if (mode == LengthMode::exact && alg != QueryAlgorithm::block_max_maxscore &&
            alg != QueryAlgorithm::block_max_wand) {
          continue;
        }
        const std::string name = std::string("query/") + std::string(to_string(alg)) + "/k" +
                                 std::to_string(k) +
                                 (mode == LengthMode::lucene ? "/lucene" : "/exact");
        benchmark::RegisterBenchmark(name.c_str(), run_queries, alg, k, mode)
            ->Unit(benchmark::kMillisecond);
      }
    }
  }
  return 0;
}

const int registered = register_all();

}  // namespace
