#include "tandem/pipeline/fusion.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
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

namespace {

constexpr std::uint32_t kEmpty = 0xffffffffu;

// A slot of the open-addressing table: the entry number and the key's 64-bit hash. In keyed mode
// the hash (a bijection of the key) is the key, so a match needs no other look-up; with ids, a
// matching hash is confirmed by comparing the ids.
struct Slot {
  std::uint64_t hash;
  std::uint32_t entry;  // kEmpty: free
};

// A fused entry's place in the result order: its score as a 32-bit key that sorts the other way
// (higher score = smaller key; see descending_key) and the entry number.
struct OrderKey {
  std::uint32_t key;
  std::uint32_t entry;
};

// Per-thread working memory of fuse(), kept between calls: a query's fusion then allocates
// only its output (fresh allocations of these sizes would fault their pages in on every call).
struct FusionScratch {
  std::vector<Slot> table;
  std::vector<std::string_view> ids;  // per entry (empty: not known yet)
  std::vector<std::uint64_t> keys;    // per entry (keyed mode)
  std::vector<std::string> resolved;  // per entry: an id from the IdLookup
  std::vector<std::uint32_t> ranks;   // entry-major, num_lists per entry; 0 = missing
  std::vector<NormalizedList> norm;   // per list
  std::vector<double> scores;         // of the list being normalised
  std::vector<std::uint64_t> hashes;  // of the list being added
  std::vector<double> fused;          // per entry: the fused score
  std::vector<OrderKey> order, order_tmp;
};

std::uint64_t mix(std::uint64_t x) {  // the finaliser of SplitMix64 (Steele et al., 2014)
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Document ids are mostly short (MS MARCO's are at most 7 digits): up to 16 bytes are read as
// two words and mixed; longer ids use the standard library's hash.
std::uint64_t hash_id(std::string_view id) {
  if (id.size() > 16) return mix(std::hash<std::string_view>{}(id));
  std::uint64_t a = 0, b = 0;
  std::memcpy(&a, id.data(), std::min<std::size_t>(id.size(), 8));
  if (id.size() > 8) std::memcpy(&b, id.data() + 8, id.size() - 8);
  return mix(a ^ mix(b + id.size()));
}

// Maps a score to a 32-bit key in the opposite order: a > b implies key(a) <= key(b), and equal
// scores (0 and -0 included) give equal keys. The key is the score rounded to float, so scores
// that differ in the double may share a key: runs of equal keys are ordered exactly afterwards.
// Scores are never NaN.
std::uint32_t descending_key(double score) {
  const auto bits = std::bit_cast<std::uint32_t>(static_cast<float>(score) + 0.0f);  // -0 -> +0
  const std::uint32_t ascending = (bits >> 31) != 0 ? ~bits : bits | 0x80000000u;
  return ~ascending;
}

// Sorts by key ascending: LSD radix sort, 8 bits a pass, passes whose byte is the same in every
// key skipped. Stable and O(n), without the data-dependent branches a comparison sort
// mispredicts on every query's new scores.
void radix_sort(std::vector<OrderKey>& items, std::vector<OrderKey>& tmp) {
  const std::size_t n = items.size();
  if (n < 2) return;
  std::array<std::array<std::uint32_t, 256>, 4> counts{};
  for (const auto& it : items) {
    for (std::size_t b = 0; b < 4; ++b) ++counts[b][(it.key >> (8 * b)) & 0xff];
  }
  tmp.resize(n);
  for (std::size_t b = 0; b < 4; ++b) {
    auto& c = counts[b];
    if (c[(items[0].key >> (8 * b)) & 0xff] == n) continue;  // one value: nothing to move
    std::uint32_t sum = 0;
    for (auto& x : c) {
      const std::uint32_t here = x;
      x = sum;
      sum += here;
    }
    for (const auto& it : items) tmp[c[(it.key >> (8 * b)) & 0xff]++] = it;
    items.swap(tmp);
  }
}

}  // namespace

std::vector<FusedEntry> fuse(const FusionParams& params,
                             std::span<const std::vector<ScoredId>> lists, std::size_t k,
                             bool with_contributions, const IdLookup* lookup) {
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
  const bool rrf = params.method == FusionMethod::rrf;
  const auto weight = [&](std::size_t l) {
    return params.weights.empty() ? 1.0 : params.weights[l];
  };
  thread_local FusionScratch s;

  s.norm.resize(num_lists);
  if (!rrf) {
    for (std::size_t l = 0; l < num_lists; ++l) {
      s.scores.clear();
      for (const auto& e : lists[l]) s.scores.push_back(e.score);
      const Normalizer n =
          params.method == FusionMethod::none ? Normalizer::none : params.normalizer;
      s.norm[l] = normalize(s.scores, n, params.bounds.empty() ? std::nullopt : params.bounds[l]);
    }
  }
  // The value list l gives the document at 0-based rank r.
  const auto value = [&](std::size_t l, std::size_t r) {
    return rrf ? 1.0 / (params.rrf_k + static_cast<double>(r + 1)) : s.norm[l].values[r];
  };

  // The union of the lists in order of first appearance: an open-addressing table of entry
  // numbers, keyed by the entries' integer keys when every entry has one, else by id.
  std::size_t total = 0;
  bool keyed = true;
  for (const auto& list : lists) {
    total += list.size();
    for (const auto& e : list) keyed = keyed && e.key != 0;
  }
  std::size_t cap = 16;
  while (cap < 2 * total) cap <<= 1;
  const std::size_t mask = cap - 1;
  s.table.assign(cap, Slot{0, kEmpty});
  s.ids.clear();
  s.keys.clear();
  s.ranks.assign(total * num_lists, 0);  // room for every entry being new
  constexpr std::size_t kPrefetch = 8;   // slots fetched ahead of their probe
  for (std::size_t l = 0; l < num_lists; ++l) {
    const auto& list = lists[l];
    s.hashes.resize(list.size());
    for (std::size_t r = 0; r < list.size(); ++r)
      s.hashes[r] = keyed ? mix(list[r].key) : hash_id(list[r].id);
    for (std::size_t r = 0; r < list.size(); ++r) {
      if (r + kPrefetch < list.size()) __builtin_prefetch(&s.table[s.hashes[r + kPrefetch] & mask]);
      const std::string_view id = list[r].id;
      const std::uint64_t h = s.hashes[r];
      std::size_t at = h & mask;
      for (;; at = (at + 1) & mask) {
        const Slot slot = s.table[at];
        if (slot.entry == kEmpty || (slot.hash == h && (keyed || s.ids[slot.entry] == id))) break;
      }
      if (s.table[at].entry == kEmpty) {
        s.table[at] = {h, static_cast<std::uint32_t>(s.ids.size())};
        s.ids.push_back(id);
        if (keyed) s.keys.push_back(list[r].key);
      }
      std::uint32_t& rank = s.ranks[s.table[at].entry * num_lists + l];
      if (rank == 0) rank = static_cast<std::uint32_t>(r + 1);  // a repeated id: its best rank
    }
  }
  // Fused scores, summed over the lists in list order.
  const std::size_t num_entries = s.ids.size();
  s.fused.resize(num_entries);
  s.order.resize(num_entries);
  for (std::size_t e = 0; e < num_entries; ++e) {
    const std::uint32_t* rank = s.ranks.data() + e * num_lists;
    double sum = 0;
    for (std::size_t l = 0; l < num_lists; ++l) {
      if (rank[l] != 0) {
        sum += weight(l) * value(l, rank[l] - 1);
      } else if (!rrf) {
        sum += weight(l) * s.norm[l].floor;
      }
    }
    s.fused[e] = sum;
    s.order[e] = {descending_key(sum), static_cast<std::uint32_t>(e)};
  }
  // Score descending, then id ascending: a radix sort of the rounded scores, then each run of
  // equal keys (ties, and scores that differ only beyond float precision) sorted exactly.
  radix_sort(s.order, s.order_tmp);
  // An entry's id, resolved through `lookup` the first time it is needed.
  if (lookup != nullptr && keyed) s.resolved.resize(num_entries);
  const auto id_of = [&](std::uint32_t e) {
    if (s.ids[e].empty() && lookup != nullptr && keyed) {
      (*lookup)(s.keys[e], s.resolved[e]);
      s.ids[e] = s.resolved[e];
    }
    return s.ids[e];
  };
  const auto before = [&](const OrderKey& a, const OrderKey& b) {
    const double sa = s.fused[a.entry], sb = s.fused[b.entry];
    return sa > sb || (sa == sb && id_of(a.entry) < id_of(b.entry));
  };
  const std::size_t n = k != 0 && k < num_entries ? k : num_entries;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i + 1;
    while (j < num_entries && s.order[j].key == s.order[i].key) ++j;
    if (j - i > 1) std::sort(s.order.begin() + i, s.order.begin() + j, before);
    i = j;
  }
  std::vector<FusedEntry> fused;
  fused.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t e = s.order[i].entry;
    FusedEntry& f = fused.emplace_back();
    f.id.assign(id_of(e));
    f.score = s.fused[e];
    if (!with_contributions) continue;
    const std::uint32_t* rank = s.ranks.data() + std::size_t{e} * num_lists;
    f.lists.resize(num_lists);
    for (std::size_t l = 0; l < num_lists; ++l) {
      Contribution& c = f.lists[l];
      c.rank = rank[l];
      if (rank[l] != 0) {
        c.raw = lists[l][rank[l] - 1].score;
        c.normalized = value(l, rank[l] - 1);
      } else {
        c.normalized = rrf ? 0.0 : s.norm[l].floor;
      }
    }
  }
  return fused;
}

}  // namespace tandem::pipeline
