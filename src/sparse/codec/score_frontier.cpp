#include "tandem/sparse/codec/score_frontier.hpp"

#include <algorithm>
#include <cassert>

#include "tandem/sparse/bm25.hpp"

namespace tandem::sparse::codec {

void pareto_frontier(std::vector<FreqNorm>& pairs) {
  // Norm ascending, then freq descending: the first pair of each norm has the largest freq, and a
  // pair survives iff its freq beats every pair with a smaller (or equal) norm seen before it.
  std::sort(pairs.begin(), pairs.end(), [](const FreqNorm& a, const FreqNorm& b) {
    return a.norm < b.norm || (a.norm == b.norm && a.freq > b.freq);
  });
  std::size_t kept = 0;
  for (const FreqNorm& p : pairs) {
    if (kept == 0 || p.freq > pairs[kept - 1].freq) pairs[kept++] = p;
  }
  pairs.resize(kept);
}

namespace {

// Nominal BM25 tf part used only to choose which runs to merge; any choice stays an upper bound.
double nominal_score(const FreqNorm& p, double avgdl) {
  const double length = lucene_norm_length(p.norm);
  const double f = p.freq;
  return f / (f + 0.9 * (0.6 + 0.4 * length / avgdl));
}

}  // namespace

void coarsen_frontier(std::vector<FreqNorm>& frontier, std::size_t cap, double nominal_avgdl) {
  assert(cap >= 1);
  if (nominal_avgdl <= 0) nominal_avgdl = 1;
  // Greedy: merge the adjacent pair whose merged (freq of the right, norm of the left) scores
  // lowest.
  while (frontier.size() > cap) {
    std::size_t best = 0;
    double best_score = 0;
    for (std::size_t i = 0; i + 1 < frontier.size(); ++i) {
      const FreqNorm merged{frontier[i + 1].freq, frontier[i].norm};
      const double s = nominal_score(merged, nominal_avgdl);
      if (i == 0 || s < best_score) {
        best = i;
        best_score = s;
      }
    }
    frontier[best] = FreqNorm{frontier[best + 1].freq, frontier[best].norm};
    frontier.erase(frontier.begin() + static_cast<std::ptrdiff_t>(best) + 1);
  }
}

std::uint8_t freq_code_ceil(std::uint32_t freq) {
  // lucene_norm rounds down; step up one code when it rounded.
  const std::uint8_t down = lucene_norm(freq);
  if (lucene_norm_length(down) >= freq) return down;
  return down == 255 ? 255 : static_cast<std::uint8_t>(down + 1);
}

}  // namespace tandem::sparse::codec
