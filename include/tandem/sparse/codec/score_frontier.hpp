// Score summaries of posting blocks and lists: the Pareto frontier of (frequency, norm) pairs.
//
// A BM25 contribution is monotone: non-decreasing in the frequency and non-increasing in the norm
// byte (a larger norm is a longer document). So the largest contribution over a set of postings is
// reached on one of its non-dominated (freq, norm) pairs, whatever k1, b, avgdl and the query
// weight are at query time; the index stores those pairs, and the query scores them to get
// max_score and block-max scores (Ding & Suel 2011 store one number per block; storing pairs keeps
// the bound exact for any BM25 parameters and both length modes). Pair (f, n) dominates (f', n')
// when f >= f' and n <= n'. A frontier too large for its slot is coarsened: runs of adjacent pairs
// are replaced by the single pair (largest freq of the run, smallest norm of the run), which
// dominates the whole run, so the result is still an upper bound, only a looser one.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "tandem/sparse/bm25.hpp"

namespace tandem::sparse::codec {

/// One posting's score-relevant data: its frequency and its document's one-byte norm.
struct FreqNorm {
  std::uint32_t freq = 0;
  std::uint8_t norm = 0;
  friend bool operator==(const FreqNorm&, const FreqNorm&) = default;
};

/// True when a dominates b: every BM25 contribution of b is <= the same contribution of a.
constexpr bool dominates(const FreqNorm& a, const FreqNorm& b) {
  return a.freq >= b.freq && a.norm <= b.norm;
}

/// Replaces `pairs` by its Pareto frontier: sorted by norm ascending, freq strictly ascending, no
/// pair dominated by another. Empty stays empty.
void pareto_frontier(std::vector<FreqNorm>& pairs);

/// Coarsens a frontier (as pareto_frontier leaves it) to at most `cap` pairs (cap >= 1), each
/// dominating a run of the input, so that max over the result >= max over the input for every
/// monotone score. Merges first the runs whose merged pair scores lowest under a nominal BM25
/// (k1 = 0.9, b = 0.4, average length `nominal_avgdl`), keeping the high-scoring pairs exact.
void coarsen_frontier(std::vector<FreqNorm>& frontier, std::size_t cap, double nominal_avgdl);

/// Block summaries store a frequency as one byte rounded up: the smallest code whose value is >=
/// the frequency, with Lucene's SmallFloat.intToByte4 scale (codes 0..23 exact, then 4 significant
/// bits); code 255 stands for +infinity. Rounding up keeps every summary an upper bound.
std::uint8_t freq_code_ceil(std::uint32_t freq);

namespace detail {
constexpr std::array<float, 256> make_freq_code_values() {
  std::array<float, 256> values{};
  for (unsigned c = 0; c < 255; ++c) {
    values[c] = static_cast<float>(lucene_norm_length(static_cast<std::uint8_t>(c)));
  }
  values[255] = std::numeric_limits<float>::infinity();
  return values;
}
inline constexpr std::array<float, 256> kFreqCodeValues = make_freq_code_values();
}  // namespace detail

/// The frequency a code stands for, as the float BM25 multiplies (>= every freq it was made from).
constexpr float freq_code_value(std::uint8_t code) {
  return detail::kFreqCodeValues[code];
}

}  // namespace tandem::sparse::codec
