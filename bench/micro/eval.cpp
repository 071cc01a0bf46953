// Evaluation speed at MS MARCO dev scale: 6,980 queries x 1,000 hits (6.98 M run lines), about
// 1.07 relevant passages per query (8.8 M passage ids), as trec_eval is run on MS MARCO passage.
// Synthetic and deterministic (seed 42): scores fall with rank, with ties; about 60% of queries
// retrieve one of their relevant passages, at a rank spread over 1..1000.
//
// What each benchmark measures:
//   BM_ReadRun        read_run() of the 6.98 M-line file (parsing, id storage)
//   BM_Evaluate/...   evaluate() of the parsed run: "official" (trec_eval's default set) and
//                     "msmarco" (recip_rank with -M 10, recall.1000, ndcg_cut.10, map)
//   BM_EndToEnd       read_qrels + read_run + evaluate(official) + format_trec_eval: what
//                     `tandem eval qrels run` does
// The files are written once to $TMPDIR/tandem-bench-eval/ (see the label), so trec_eval can be
// timed on the same input:  time trec_eval -m official qrels.txt run.txt
// Run: cmake --preset bench && cmake --build build/bench --target bench_eval &&
//      build/bench/bench/bench_eval
// Counters report MRR@10 and map next to the time, so a fast wrong answer would show.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include <benchmark/benchmark.h>

#include "tandem/eval/evaluate.hpp"

namespace {

constexpr int kQueries = 6980;
constexpr int kHits = 1000;

struct Files {
  std::filesystem::path qrels;
  std::filesystem::path run;
};

const Files& files() {
  static const Files f = [] {
    const auto dir = std::filesystem::temp_directory_path() / "tandem-bench-eval";
    std::filesystem::create_directories(dir);
    Files out{dir / "qrels.txt", dir / "run.txt"};
    std::mt19937_64 rng(42);
    std::ofstream qrels(out.qrels);
    std::ofstream run(out.run);
    std::string line;
    char buffer[128];
    for (int q = 0; q < kQueries; ++q) {
      const int qid = 1000 + q * 7;
      std::vector<std::uint32_t> docs(kHits);
      for (auto& d : docs) d = static_cast<std::uint32_t>(rng() % 8841823);
      std::sort(docs.begin(), docs.end());
      docs.erase(std::unique(docs.begin(), docs.end()), docs.end());
      std::shuffle(docs.begin(), docs.end(), rng);
      const int relevant = 1 + (rng() % 14 == 0 ? 1 : 0);
      for (int r = 0; r < relevant; ++r) {
        const bool retrieved = rng() % 10 < 6;
        const std::uint32_t doc =
            retrieved ? docs[rng() % docs.size()] : static_cast<std::uint32_t>(rng() % 8841823);
        std::snprintf(buffer, sizeof(buffer), "%d 0 %u 1\n", qid, doc);
        qrels << buffer;
      }
      double score = 30.0;
      for (std::size_t i = 0; i < docs.size(); ++i) {
        if (rng() % 4 != 0) score -= 0.02 * static_cast<double>(rng() % 5);  // a quarter tie
        std::snprintf(buffer, sizeof(buffer), "%d Q0 %u %zu %.6f bm25\n", qid, docs[i], i + 1,
                      score);
        run << buffer;
      }
    }
    return out;
  }();
  return f;
}

const tandem::eval::Qrels& qrels() {
  static const tandem::eval::Qrels q = tandem::eval::read_qrels(files().qrels);
  return q;
}

const tandem::eval::Run& run() {
  static const tandem::eval::Run r = tandem::eval::read_run(files().run);
  return r;
}

void BM_ReadRun(benchmark::State& state) {
  files();  // written before timing
  for (auto _ : state) {
    const tandem::eval::Run r = tandem::eval::read_run(files().run);
    benchmark::DoNotOptimize(r.num_hits());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(run().num_hits()));
  state.SetLabel(files().run.string());
}
BENCHMARK(BM_ReadRun)->Unit(benchmark::kMillisecond);

void BM_Evaluate(benchmark::State& state, std::vector<std::string> measures,
                 std::int64_t max_hits) {
  const tandem::eval::MeasureSet set = tandem::eval::parse_measures(measures);
  tandem::eval::EvalOptions options;
  options.max_hits_per_query = max_hits;
  tandem::eval::Report report;
  run();  // parsed before timing
  for (auto _ : state) {
    report = tandem::eval::evaluate(qrels(), run(), set, options);
    benchmark::DoNotOptimize(report.summary.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(run().num_hits()));
  for (const char* name : {"recip_rank", "map"}) {
    if (const auto v = report.summary_value(name)) state.counters[name] = *v;
  }
}
BENCHMARK_CAPTURE(BM_Evaluate, official, std::vector<std::string>{}, 2147483647)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Evaluate, msmarco,
                  std::vector<std::string>{"recip_rank", "recall.1000", "ndcg_cut.10", "map"},
                  2147483647)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Evaluate, mrr_at_10, std::vector<std::string>{"recip_rank"}, 10)
    ->Unit(benchmark::kMillisecond);

void BM_EndToEnd(benchmark::State& state) {
  files();
  for (auto _ : state) {
    const tandem::eval::Qrels q = tandem::eval::read_qrels(files().qrels);
    const tandem::eval::Run r = tandem::eval::read_run(files().run);
    const std::string text = tandem::eval::format_trec_eval(
        tandem::eval::evaluate(q, r, tandem::eval::parse_measures({})));
    benchmark::DoNotOptimize(text.data());
  }
  state.SetLabel(files().qrels.string() + " " + files().run.string());
}
BENCHMARK(BM_EndToEnd)->Unit(benchmark::kMillisecond);

}  // namespace
