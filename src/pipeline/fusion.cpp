#include "tandem/pipeline/fusion.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>

#include "tandem/core/error.hpp"

namespace tandem::pipeline {

Normalizer parse_normalizer(std::string_view name) {
  if (name == "none") return Normalizer::none;
  if (name == "min-max" || name == "minmax") return Normalizer::min_max;
  if (name == "z-score" || name == "zscore") return Normalizer::z_score;
  if (name == "l2") return Normalizer::l2;
  if (name == "rank") return Normalizer::rank;
  fail(ErrorKind::invalid_argument,
       "unknown normaliser '{}' (known: none, min-max, z-score, l2, rank)", name);
}

std::string_view to_string(Normalizer n) {
  switch (n) {
    case Normalizer::none:
      return "none";
    case Normalizer::min_max:
      return "min-max";
    case Normalizer::z_score:
      return "z-score";
    case Normalizer::l2:
      return "l2";
    case Normalizer::rank:
      return "rank";
  }
  return "?";
}

FusionMethod parse_fusion_method(std::string_view name) {
  if (name == "none") return FusionMethod::none;
  if (name == "convex") return FusionMethod::convex;
  if (name == "rrf") return FusionMethod::rrf;
  fail(ErrorKind::invalid_argument, "unknown fusion method '{}' (known: convex, rrf, none)", name);
}

std::string_view to_string(FusionMethod m) {
  return m == FusionMethod::none ? "none" : m == FusionMethod::convex ? "convex" : "rrf";
}

NormalizedList normalize(std::span<const double> scores, Normalizer normalizer,
                         const std::optional<Bounds>& bounds) {
  NormalizedList out;
  const std::size_t n = scores.size();
  if (n == 0) return out;
  out.values.resize(n);
  if (normalizer == Normalizer::none) {
    std::copy(scores.begin(), scores.end(), out.values.begin());
    out.floor = *std::min_element(scores.begin(), scores.end());
    return out;
  }
  if (normalizer == Normalizer::min_max && bounds) {
    const double range = bounds->hi - bounds->lo;
    for (std::size_t i = 0; i < n; ++i)
      out.values[i] = range > 0 ? std::clamp((scores[i] - bounds->lo) / range, 0.0, 1.0) : 1.0;
    out.floor = *std::min_element(out.values.begin(), out.values.end());
    return out;
  }
  const auto [lo_it, hi_it] = std::minmax_element(scores.begin(), scores.end());
  if (*lo_it == *hi_it) {  // degenerate: membership only
    std::fill(out.values.begin(), out.values.end(), 1.0);
    out.floor = 0;
    return out;
  }
  const double lo = *lo_it, hi = *hi_it;
  switch (normalizer) {
    case Normalizer::min_max:
      for (std::size_t i = 0; i < n; ++i) out.values[i] = (scores[i] - lo) / (hi - lo);
      break;
    case Normalizer::z_score: {
      double sum = 0;
      for (double s : scores) sum += s;
      const double mean = sum / static_cast<double>(n);
      double sq = 0;
      for (double s : scores) sq += (s - mean) * (s - mean);
      const double sd = std::sqrt(sq / static_cast<double>(n));
      for (std::size_t i = 0; i < n; ++i) out.values[i] = (scores[i] - mean) / sd;
      break;
    }
    case Normalizer::l2: {
      double sq = 0;
      for (double s : scores) sq += s * s;
      const double norm = std::sqrt(sq);  // > 0: the scores are not all equal, so not all 0
      for (std::size_t i = 0; i < n; ++i) out.values[i] = scores[i] / norm;
      break;
    }
    case Normalizer::rank:
      for (std::size_t i = 0; i < n; ++i)
        out.values[i] = static_cast<double>(n - i) / static_cast<double>(n);
      break;
    case Normalizer::none:
      break;
  }
  out.floor = *std::min_element(out.values.begin(), out.values.end());
  return out;
}

std::vector<FusedEntry> fuse(const FusionParams& params,
                             std::span<const std::vector<ScoredId>> lists, std::size_t k) {
  const std::size_t num_lists = lists.size();
  if (!params.weights.empty() && params.weights.size() != num_lists)
    fail(ErrorKind::invalid_argument, "fusion: {} weights for {} lists", params.weights.size(),
         num_lists);
  if (!params.bounds.empty() && params.bounds.size() != num_lists)
    fail(ErrorKind::invalid_argument, "fusion: {} bounds for {} lists", params.bounds.size(),
         num_lists);
  for (double w : params.weights) {
    if (!(w >= 0) || !std::isfinite(w))
      fail(ErrorKind::invalid_argument, "fusion: weight {} is not a finite number >= 0", w);
  }
  if (!(params.rrf_k >= 0) || !std::isfinite(params.rrf_k))
    fail(ErrorKind::invalid_argument, "fusion: rrf k {} is not a finite number >= 0", params.rrf_k);
  if (params.method == FusionMethod::none && num_lists > 1)
    fail(ErrorKind::invalid_argument, "fusion: method none takes one list, not {}", num_lists);
  const auto weight = [&](std::size_t l) {
    return params.weights.empty() ? 1.0 : params.weights[l];
  };

  std::vector<NormalizedList> norm(num_lists);
  if (params.method != FusionMethod::rrf) {
    std::vector<double> scores;
    for (std::size_t l = 0; l < num_lists; ++l) {
      scores.clear();
      for (const auto& e : lists[l]) scores.push_back(e.score);
      const Normalizer n =
          params.method == FusionMethod::none ? Normalizer::none : params.normalizer;
      norm[l] = normalize(scores, n, params.bounds.empty() ? std::nullopt : params.bounds[l]);
    }
  }

  // The union of the lists, in order of first appearance, in flat arrays (an open-addressing
  // table of entry numbers keyed by id; contributions entry-major, num_lists per entry): no
  // allocation per document.
  std::size_t total = 0;
  for (const auto& list : lists) total += list.size();
  std::size_t cap = 16;
  while (cap < 2 * total) cap <<= 1;
  constexpr std::uint32_t kEmpty = 0xffffffffu;
  std::vector<std::uint32_t> table(cap, kEmpty);
  bool keyed = total > 0;
  for (const auto& list : lists) {
    for (const auto& e : list) keyed = keyed && e.key != 0;
  }
  std::vector<std::string_view> ids;
  ids.reserve(total);
  std::vector<std::uint64_t> entry_keys;
  if (keyed) entry_keys.reserve(total);
  std::vector<Contribution> contrib;
  contrib.reserve(total * num_lists);
  const std::hash<std::string_view> hash;
  for (std::size_t l = 0; l < num_lists; ++l) {
    for (std::size_t r = 0; r < lists[l].size(); ++r) {
      const std::string_view id = lists[l][r].id;
      const std::uint64_t key = lists[l][r].key;
      std::size_t h;
      if (keyed) {
        std::uint64_t x = key * 0x9e3779b97f4a7c15ULL;  // Fibonacci hashing
        h = static_cast<std::size_t>(x ^ (x >> 29)) & (cap - 1);
        while (table[h] != kEmpty && entry_keys[table[h]] != key) h = (h + 1) & (cap - 1);
      } else {
        h = hash(id) & (cap - 1);
        while (table[h] != kEmpty && ids[table[h]] != id) h = (h + 1) & (cap - 1);
      }
      if (table[h] == kEmpty) {
        table[h] = static_cast<std::uint32_t>(ids.size());
        ids.push_back(id);
        if (keyed) entry_keys.push_back(key);
        contrib.resize(contrib.size() + num_lists);
      }
      Contribution& c = contrib[table[h] * num_lists + l];
      if (c.rank != 0) continue;  // a list repeating an id: its first (best) rank counts
      c.rank = r + 1;
      c.raw = lists[l][r].score;
      c.normalized = params.method == FusionMethod::rrf
                         ? 1.0 / (params.rrf_k + static_cast<double>(r + 1))
                         : norm[l].values[r];
    }
  }
  // Fused scores, then sort small keys: score descending, then id ascending.
  struct Key {
    double score;
    std::string_view id;
    std::uint32_t index;
  };
  std::vector<Key> keys(ids.size());
  for (std::size_t e = 0; e < ids.size(); ++e) {
    double s = 0;
    for (std::size_t l = 0; l < num_lists; ++l) {
      Contribution& c = contrib[e * num_lists + l];
      if (c.rank == 0 && params.method != FusionMethod::rrf) c.normalized = norm[l].floor;
      if (c.rank != 0 || params.method != FusionMethod::rrf) s += weight(l) * c.normalized;
    }
    keys[e] = {s, ids[e], static_cast<std::uint32_t>(e)};
  }
  const auto before = [](const Key& a, const Key& b) {
    return a.score > b.score || (a.score == b.score && a.id < b.id);
  };
  const std::size_t n = k != 0 && k < keys.size() ? k : keys.size();
  if (n < keys.size()) {
    const auto nth = keys.begin() + static_cast<std::ptrdiff_t>(n);
    std::nth_element(keys.begin(), nth, keys.end(), before);
    std::sort(keys.begin(), nth, before);
  } else {
    std::sort(keys.begin(), keys.end(), before);
  }
  std::vector<FusedEntry> fused(n);
  for (std::size_t i = 0; i < n; ++i) {
    FusedEntry& f = fused[i];
    f.id.assign(keys[i].id);
    f.score = keys[i].score;
    const auto* c = contrib.data() + static_cast<std::size_t>(keys[i].index) * num_lists;
    f.lists.assign(c, c + num_lists);
  }
  return fused;
}

}  // namespace tandem::pipeline
