// Fusion of two 1000-deep lists, as a two-leg pipeline fuses them per query (docs/pipelines.md,
// "Cost"). Synthetic, deterministic (seed 42): 64 queries, each two lists whose ids are
// SciFact-like decimal strings drawn from 5,183 documents, overlapping as BM25 and a dense leg do
// (about a third), scores falling with rank by random steps. Iterations cycle through the queries.
//
//   BM_Fuse/<method>/<keyed>/<k>/<contributions>: fuse() of the two lists. method 0 = RRF (k 60), 1
//   = min-max convex; keyed 1 = legs over one index (documents keyed by location), 0 = by id
//   string; k = results kept (1000 = a pipeline with k 1000 and no stage; 0 = all, as before a
//   stage); contributions 1 = each entry's per-list contributions kept (explain output), 0 = not.
// Run: cmake --preset bench && cmake --build build/bench --target bench_fusion_bench &&
//      build/bench/bench/bench_fusion_bench
#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "tandem/pipeline/fusion.hpp"

namespace {

using tandem::pipeline::FusionMethod;
using tandem::pipeline::FusionParams;
using tandem::pipeline::ScoredId;

// One query's two lists.
using Pair = std::vector<std::vector<ScoredId>>;

struct Workload {
  std::vector<std::string> ids;  // backing store of the views
  std::vector<Pair> queries;
};

// kQueries different pairs: fusing the same input again and again would let the branch
// predictor learn its comparisons and probes, which real queries do not allow.
const Workload& workload() {
  static const Workload w = [] {
    constexpr int kDocs = 5183, kDepth = 1000, kQueries = 64;
    Workload out;
    std::mt19937_64 rng(42);
    out.ids.reserve(kDocs);
    for (int d = 0; d < kDocs; ++d) out.ids.push_back(std::to_string(4983 + d * 7919 % 40000000));
    std::uniform_real_distribution<double> jitter(0, 0.01);
    for (int q = 0; q < kQueries; ++q) {
      std::vector<int> perm(kDocs);
      for (int d = 0; d < kDocs; ++d) perm[d] = d;
      std::shuffle(perm.begin(), perm.end(), rng);
      // List 0: the first kDepth of perm; list 1: a third of list 0 plus others.
      std::vector<int> second(perm.begin() + 666, perm.begin() + 666 + kDepth);
      std::shuffle(second.begin(), second.end(), rng);
      Pair pair(2);
      double s0 = 30, s1 = 0.9;
      for (int r = 0; r < kDepth; ++r) {
        const int a = perm[r], b = second[r];
        pair[0].push_back({out.ids[a], s0, static_cast<std::uint64_t>(a) + 1});
        pair[1].push_back({out.ids[b], s1, static_cast<std::uint64_t>(b) + 1});
        s0 -= jitter(rng);
        s1 -= jitter(rng) / 25;
      }
      out.queries.push_back(std::move(pair));
    }
    return out;
  }();
  return w;
}

void BM_Fuse(benchmark::State& state) {
  FusionParams p;
  p.method = state.range(0) == 0 ? FusionMethod::rrf : FusionMethod::convex;
  const bool keyed = state.range(1) != 0;
  const auto k = static_cast<std::size_t>(state.range(2));
  const bool contributions = state.range(3) != 0;
  std::vector<Pair> in = workload().queries;
  if (!keyed) {
    for (auto& pair : in)
      for (auto& list : pair)
        for (auto& e : list) e.key = 0;
  }
  std::size_t fused = 0, q = 0;
  for (auto _ : state) {
    auto out = tandem::pipeline::fuse(p, in[q], k, contributions);
    fused += out.size();
    q = (q + 1) % in.size();
    benchmark::DoNotOptimize(out);
  }
  state.counters["fused"] =
      benchmark::Counter(static_cast<double>(fused), benchmark::Counter::kAvgIterations);
}
BENCHMARK(BM_Fuse)
    ->ArgsProduct({{0, 1}, {0, 1}, {0, 1000, 10}, {0, 1}})
    ->Unit(benchmark::kMicrosecond);

}  // namespace
