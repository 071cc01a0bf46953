// Parameters of the approximate learned-sparse index after Seismic (Bruch, Nardini, Rulli &
// Venturini, "Efficient Inverted Indexes for Approximate Retrieval over Learned Sparse
// Representations", SIGIR 2024). Defaults are the paper's MS MARCO / SPLADE settings.
#pragma once

#include <cstdint>

namespace tandem::sparse::approx {

/// Build-time choices (data, not types: they do not shape the query loop).
struct SeismicBuildParams {
  /// Static pruning: each posting list keeps its n_postings largest impacts (the paper's lambda).
  /// 0 keeps every posting (no static pruning).
  std::uint32_t n_postings = 6000;
  /// Blocks per list: ceil(centroid_fraction * list length) clusters (the paper's beta = 0.1 of
  /// the pruned list), each a block with its own summary.
  float centroid_fraction = 0.1f;
  /// Summary pruning: a block's summary keeps its largest components up to this fraction of their
  /// total mass (the paper's alpha). 1 keeps them all, which makes summaries upper bounds.
  float summary_energy = 0.4f;
  /// Seed of the centroid sampling.
  std::uint64_t seed = 42;
  /// Threads building the lists (0 = all cores).
  unsigned threads = 0;

  /// Settings with no pruning at all: every posting, full summaries (upper bounds).
  static SeismicBuildParams exact() {
    SeismicBuildParams p;
    p.n_postings = 0;
    p.summary_energy = 1.0f;
    return p;
  }
};

/// Query-time knobs.
struct SeismicSearchParams {
  /// Only the query_cut heaviest query terms select blocks (all terms still score candidates);
  /// 0 = every term.
  std::uint32_t query_cut = 10;
  /// A block is evaluated when its summary score reaches heap_factor x the current k-th score;
  /// below 1 it compensates for pruned summaries (more blocks visited), 1 with full summaries is
  /// exact.
  float heap_factor = 0.7f;

  static SeismicSearchParams exact() { return SeismicSearchParams{0, 1.0f}; }
};

}  // namespace tandem::sparse::approx
