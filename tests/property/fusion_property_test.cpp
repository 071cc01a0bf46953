// fuse() against a plain reference implementation of the contract in pipeline/fusion.hpp (a map
// for the union, the exact comparator for the order) on seeded random lists built to stress the
// fast path: exact ties, scores equal in float but not in double, negative scores and -0, repeated
// ids inside a list, every normaliser, RRF, and the three ways of naming documents (ids; ids and
// keys; keys only, with ids looked up).
#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tandem/pipeline/fusion.hpp"

namespace tandem::pipeline {
namespace {

using Lists = std::vector<std::vector<ScoredId>>;

struct Reference {
  std::string id;
  double score;
  std::vector<Contribution> lists;
};

std::vector<Reference> reference_fuse(const FusionParams& p, const Lists& lists, std::size_t k) {
  const std::size_t n = lists.size();
  const bool rrf = p.method == FusionMethod::rrf;
  std::vector<NormalizedList> norm(n);
  for (std::size_t l = 0; l < n && !rrf; ++l) {
    std::vector<double> s;
    for (const auto& e : lists[l]) s.push_back(e.score);
    norm[l] = normalize(s, p.method == FusionMethod::none ? Normalizer::none : p.normalizer,
                        p.bounds.empty() ? std::nullopt : p.bounds[l]);
  }
  std::map<std::string, std::vector<Contribution>> by_id;
  for (std::size_t l = 0; l < n; ++l) {
    for (std::size_t r = 0; r < lists[l].size(); ++r) {
      auto& c = by_id.try_emplace(std::string(lists[l][r].id), n).first->second;
      if (c[l].rank != 0) continue;
      c[l].rank = r + 1;
      c[l].raw = lists[l][r].score;
      c[l].normalized = rrf ? 1.0 / (p.rrf_k + static_cast<double>(r + 1)) : norm[l].values[r];
    }
  }
  std::vector<Reference> out;
  for (auto& [id, c] : by_id) {
    double s = 0;
    for (std::size_t l = 0; l < n; ++l) {
      const double w = p.weights.empty() ? 1.0 : p.weights[l];
      if (c[l].rank == 0 && !rrf) c[l].normalized = norm[l].floor;
      if (c[l].rank != 0 || !rrf) s += w * c[l].normalized;
    }
    out.push_back({id, s, c});
  }
  std::sort(out.begin(), out.end(), [](const Reference& a, const Reference& b) {
    return a.score > b.score || (a.score == b.score && a.id < b.id);
  });
  if (k != 0 && out.size() > k) out.resize(k);
  return out;
}

// Lists over a pool of documents; scores fall with rank in steps drawn from a few kinds (0:
// an exact tie with the previous, tiny: equal once rounded to float), some lists negative.
Lists random_lists(std::mt19937_64& rng, std::vector<std::string>& pool) {
  std::uniform_int_distribution<int> num_lists(1, 4), len(0, 300), kind(0, 5), doc(0, 499);
  pool.clear();
  for (int d = 0; d < 500; ++d) pool.push_back("doc" + std::to_string(d * 37 % 1009));
  Lists lists(static_cast<std::size_t>(num_lists(rng)));
  for (auto& list : lists) {
    double s = std::uniform_real_distribution<double>(-5, 50)(rng);
    const int n = len(rng);
    for (int r = 0; r < n; ++r) {
      const int d = doc(rng);
      list.push_back({pool[static_cast<std::size_t>(d)], s, static_cast<std::uint64_t>(d) + 1});
      switch (kind(rng)) {
        case 0:
          break;  // the next ties
        case 1:
          s = std::nextafter(s, -1e9);  // equal in float
          break;
        case 2:
          s -= 1e-9;
          break;
        case 3:
          s = s > 0 && s < 0.5 ? -0.0 : s - 0.5;
          break;
        default:
          s -= std::uniform_real_distribution<double>(0, 2)(rng);
      }
    }
  }
  return lists;
}

TEST(FuseProperty, EqualsTheReferenceForEveryMethodAndNaming) {
  std::mt19937_64 rng(42);
  std::vector<std::string> pool;
  const std::vector<std::pair<FusionMethod, Normalizer>> methods = {
      {FusionMethod::rrf, Normalizer::none},       {FusionMethod::convex, Normalizer::min_max},
      {FusionMethod::convex, Normalizer::z_score}, {FusionMethod::convex, Normalizer::l2},
      {FusionMethod::convex, Normalizer::rank},    {FusionMethod::convex, Normalizer::none}};
  for (int round = 0; round < 60; ++round) {
    const Lists lists = random_lists(rng, pool);
    for (const auto& [method, normalizer] : methods) {
      FusionParams p;
      p.method = method;
      p.normalizer = normalizer;
      if (round % 3 == 1) {
        for (std::size_t l = 0; l < lists.size(); ++l) p.weights.push_back(0.5 + 0.25 * l);
      }
      for (const std::size_t k : {std::size_t{0}, std::size_t{10}, std::size_t{150}}) {
        const auto expected = reference_fuse(p, lists, k);
        // Ids only; ids and keys; keys only with the ids looked up.
        Lists by_id = lists, keys_only = lists;
        for (auto& l : by_id)
          for (auto& e : l) e.key = 0;
        for (auto& l : keys_only)
          for (auto& e : l) e.id = {};
        const IdLookup lookup = [&](std::uint64_t key, std::string& out) { out = pool[key - 1]; };
        const std::vector<std::vector<FusedEntry>> got = {fuse(p, by_id, k), fuse(p, lists, k),
                                                          fuse(p, keys_only, k, true, &lookup)};
        for (std::size_t v = 0; v < got.size(); ++v) {
          const auto where = ::testing::Message()
                             << "round " << round << " method " << static_cast<int>(method)
                             << " normalizer " << static_cast<int>(normalizer) << " k " << k
                             << " naming " << v;
          ASSERT_EQ(got[v].size(), expected.size()) << where;
          for (std::size_t i = 0; i < expected.size(); ++i) {
            ASSERT_EQ(got[v][i].id, expected[i].id) << where << " rank " << i;
            ASSERT_EQ(got[v][i].score, expected[i].score) << where << " rank " << i;
            ASSERT_EQ(got[v][i].lists.size(), lists.size()) << where;
            for (std::size_t l = 0; l < lists.size(); ++l) {
              EXPECT_EQ(got[v][i].lists[l].rank, expected[i].lists[l].rank) << where;
              EXPECT_EQ(got[v][i].lists[l].raw, expected[i].lists[l].raw) << where;
              EXPECT_EQ(got[v][i].lists[l].normalized, expected[i].lists[l].normalized) << where;
            }
          }
        }
        // Without contributions: the same ids and scores, no per-list detail.
        const auto bare = fuse(p, lists, k, false);
        ASSERT_EQ(bare.size(), expected.size());
        for (std::size_t i = 0; i < bare.size(); ++i) {
          EXPECT_EQ(bare[i].id, expected[i].id);
          EXPECT_EQ(bare[i].score, expected[i].score);
          EXPECT_TRUE(bare[i].lists.empty());
        }
      }
    }
  }
}

}  // namespace
}  // namespace tandem::pipeline
