#include "tandem/core/top_k.hpp"

#include <algorithm>
#include <random>

#include <gtest/gtest.h>

namespace tandem {
namespace {

TEST(TopK, KeepsBestInResultOrder) {
  TopK top(3);
  top.insert(0, 1.0f);
  top.insert(1, 5.0f);
  top.insert(2, 3.0f);
  top.insert(3, 4.0f);
  top.insert(4, 0.5f);
  const auto hits = top.take_sorted();
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits[0], (Hit{1, 5.0f}));
  EXPECT_EQ(hits[1], (Hit{3, 4.0f}));
  EXPECT_EQ(hits[2], (Hit{2, 3.0f}));
}

TEST(TopK, TiesGoToTheSmallerDocIdInAnyInsertionOrder) {
  TopK top(2);
  top.insert(9, 2.0f);
  top.insert(5, 2.0f);
  top.insert(7, 2.0f);
  top.insert(1, 1.0f);
  const auto hits = top.take_sorted();
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].doc, 5u);
  EXPECT_EQ(hits[1].doc, 7u);
}

TEST(TopK, ThresholdIsMinusInfinityUntilFull) {
  TopK top(2);
  EXPECT_TRUE(top.would_enter(-1e30f));
  top.insert(0, 1.0f);
  EXPECT_LT(top.threshold(), -1e30f);
  top.insert(1, 2.0f);
  EXPECT_EQ(top.threshold(), 1.0f);
  // In increasing doc order, an equal score cannot enter.
  EXPECT_FALSE(top.would_enter(1.0f));
  EXPECT_FALSE(top.insert(2, 1.0f));
  EXPECT_TRUE(top.insert(3, 1.5f));
  EXPECT_EQ(top.threshold(), 1.5f);
}

TEST(TopK, ZeroCapacityKeepsNothing) {
  TopK top(0);
  EXPECT_FALSE(top.insert(1, 3.0f));
  EXPECT_TRUE(top.take_sorted().empty());
}

TEST(TopK, MatchesFullSortOnRandomInput) {
  for (unsigned seed = 1; seed <= 20; ++seed) {
    std::mt19937 rng(seed);
    const std::size_t k = 1 + rng() % 50;
    std::vector<Hit> all;
    TopK top(k);
    for (DocId d = 0; d < 500; ++d) {
      const Score s = static_cast<Score>(rng() % 40);  // many ties
      all.push_back({d, s});
    }
    std::shuffle(all.begin(), all.end(), rng);
    for (const auto& h : all) top.insert(h.doc, h.score);
    std::sort(all.begin(), all.end(), ranks_before);
    all.resize(std::min(k, all.size()));
    EXPECT_EQ(top.take_sorted(), all) << "seed " << seed;
  }
}

}  // namespace
}  // namespace tandem
