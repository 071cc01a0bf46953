// Fusion against hand-computed values (the numbers in the comments are worked out by hand from
// the contract in pipeline/fusion.hpp, not produced by the code).
#include "tandem/pipeline/fusion.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include "tandem/core/error.hpp"

namespace tandem::pipeline {
namespace {

using Lists = std::vector<std::vector<ScoredId>>;

std::vector<std::string> ids(const std::vector<FusedEntry>& f) {
  std::vector<std::string> out;
  for (const auto& e : f) out.push_back(e.id);
  return out;
}

const FusedEntry& find(const std::vector<FusedEntry>& f, const std::string& id) {
  for (const auto& e : f) {
    if (e.id == id) return e;
  }
  throw std::runtime_error("no " + id);
}

// L1: a 10, b 6, c 2 -> min-max 1, 0.5, 0.   L2: b 0.9, d 0.5, a 0.1 -> 1, 0.5, 0.
Lists two_lists() {
  return {{{"a", 10}, {"b", 6}, {"c", 2}}, {{"b", 0.9}, {"d", 0.5}, {"a", 0.1}}};
}

TEST(Normalize, MinMaxZScoreL2RankByHand) {
  const std::vector<double> s = {10, 6, 2};
  auto n = normalize(s, Normalizer::min_max);
  EXPECT_DOUBLE_EQ(n.values[0], 1.0);
  EXPECT_DOUBLE_EQ(n.values[1], 0.5);
  EXPECT_DOUBLE_EQ(n.values[2], 0.0);
  EXPECT_DOUBLE_EQ(n.floor, 0.0);
  // mean 2, population sd sqrt(2/3) = 0.8164966: z = 1.2247449, 0, -1.2247449.
  n = normalize(std::vector<double>{3, 2, 1}, Normalizer::z_score);
  EXPECT_NEAR(n.values[0], 1.2247449, 1e-7);
  EXPECT_NEAR(n.values[1], 0.0, 1e-12);
  EXPECT_NEAR(n.values[2], -1.2247449, 1e-7);
  EXPECT_NEAR(n.floor, -1.2247449, 1e-7);
  // 4, 3: norm 5.
  n = normalize(std::vector<double>{4, 3}, Normalizer::l2);
  EXPECT_DOUBLE_EQ(n.values[0], 0.8);
  EXPECT_DOUBLE_EQ(n.values[1], 0.6);
  EXPECT_DOUBLE_EQ(n.floor, 0.6);
  // rank: (N - r + 1) / N with N = 4.
  n = normalize(std::vector<double>{9, 7, 5, 1}, Normalizer::rank);
  EXPECT_EQ(n.values, (std::vector<double>{1.0, 0.75, 0.5, 0.25}));
  EXPECT_DOUBLE_EQ(n.floor, 0.25);
  n = normalize(std::vector<double>{9, -7}, Normalizer::none);
  EXPECT_EQ(n.values, (std::vector<double>{9, -7}));
  EXPECT_DOUBLE_EQ(n.floor, -7);
}

TEST(Normalize, DegenerateListsCarryMembershipOnly) {
  for (auto norm : {Normalizer::min_max, Normalizer::z_score, Normalizer::l2, Normalizer::rank}) {
    auto n = normalize(std::vector<double>{5}, norm);
    EXPECT_EQ(n.values, std::vector<double>{1.0}) << to_string(norm);
    EXPECT_EQ(n.floor, 0.0) << to_string(norm);
    n = normalize(std::vector<double>{2, 2, 2}, norm);
    EXPECT_EQ(n.values, (std::vector<double>{1, 1, 1})) << to_string(norm);
    EXPECT_EQ(n.floor, 0.0) << to_string(norm);
  }
  EXPECT_TRUE(normalize(std::vector<double>{}, Normalizer::min_max).values.empty());
}

TEST(Normalize, FixedBoundsClamp) {
  // bounds [0, 20]: 30 -> 1 (clamped), 10 -> 0.5, -5 -> 0 (clamped).
  const auto n = normalize(std::vector<double>{30, 10, -5}, Normalizer::min_max, Bounds{0, 20});
  EXPECT_EQ(n.values, (std::vector<double>{1.0, 0.5, 0.0}));
  EXPECT_EQ(n.floor, 0.0);
}

TEST(Fuse, ConvexMinMaxEqualWeights) {
  FusionParams p;
  p.method = FusionMethod::convex;
  p.weights = {0.5, 0.5};
  const Lists l = two_lists();
  const auto f = fuse(p, l, 0);
  // a .5*1+.5*0 = .5; b .5*.5+.5*1 = .75; c 0 + .5*floor 0 = 0; d .5*floor 0 + .5*.5 = .25.
  EXPECT_EQ(ids(f), (std::vector<std::string>{"b", "a", "d", "c"}));
  EXPECT_DOUBLE_EQ(find(f, "b").score, 0.75);
  EXPECT_DOUBLE_EQ(find(f, "a").score, 0.5);
  EXPECT_DOUBLE_EQ(find(f, "d").score, 0.25);
  EXPECT_DOUBLE_EQ(find(f, "c").score, 0.0);
  const auto& d = find(f, "d");
  EXPECT_EQ(d.lists[0].rank, 0u);  // missing from L1
  EXPECT_EQ(d.lists[1].rank, 2u);
  EXPECT_DOUBLE_EQ(d.lists[1].raw, 0.5);
  EXPECT_DOUBLE_EQ(d.lists[1].normalized, 0.5);
}

TEST(Fuse, ConvexAlphaPointEightAndCutToK) {
  FusionParams p;
  p.method = FusionMethod::convex;
  p.weights = {0.8, 0.2};
  const Lists l = two_lists();
  // a .8; b .4+.2 = .6; d .2*.5 = .1; c 0.
  const auto f = fuse(p, l, 2);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(ids(f), (std::vector<std::string>{"a", "b"}));
  EXPECT_DOUBLE_EQ(f[0].score, 0.8);
  EXPECT_NEAR(f[1].score, 0.6, 1e-12);
}

TEST(Fuse, IntegerKeysGiveTheSameHandComputedResult) {
  FusionParams p;
  p.method = FusionMethod::convex;
  p.weights = {0.5, 0.5};
  // The lists of ConvexMinMaxEqualWeights, each document with its own key.
  const Lists l = {{{"a", 10, 1}, {"b", 6, 2}, {"c", 2, 3}},
                   {{"b", 0.9, 2}, {"d", 0.5, 4}, {"a", 0.1, 1}}};
  const auto f = fuse(p, l, 0);
  EXPECT_EQ(ids(f), (std::vector<std::string>{"b", "a", "d", "c"}));
  EXPECT_DOUBLE_EQ(find(f, "b").score, 0.75);
  EXPECT_DOUBLE_EQ(find(f, "a").score, 0.5);
  EXPECT_EQ(find(f, "a").lists[1].rank, 3u);
  // Cut to 2 after ordering.
  const auto top = fuse(p, l, 2);
  EXPECT_EQ(ids(top), (std::vector<std::string>{"b", "a"}));
}

TEST(Fuse, RrfWithAndWithoutWeights) {
  FusionParams p;
  p.method = FusionMethod::rrf;
  p.rrf_k = 60;
  const Lists l = two_lists();
  auto f = fuse(p, l, 0);
  // b 1/62+1/61 = .0325225; a 1/61+1/63 = .0322665; d 1/62 = .0161290; c 1/63 = .0158730.
  EXPECT_EQ(ids(f), (std::vector<std::string>{"b", "a", "d", "c"}));
  EXPECT_NEAR(find(f, "b").score, 1.0 / 62 + 1.0 / 61, 1e-15);
  EXPECT_NEAR(find(f, "a").score, 1.0 / 61 + 1.0 / 63, 1e-15);
  EXPECT_NEAR(find(f, "c").score, 0.0158730, 1e-7);
  EXPECT_EQ(find(f, "c").lists[1].rank, 0u);
  EXPECT_EQ(find(f, "c").lists[1].normalized, 0.0);  // missing adds nothing
  // Weights 2, 1: a 2/61+1/63 = .0486599 now edges out b 2/62+1/61 = .0486515.
  p.weights = {2, 1};
  f = fuse(p, l, 0);
  EXPECT_EQ(ids(f), (std::vector<std::string>{"a", "b", "c", "d"}));
  EXPECT_NEAR(f[0].score, 0.0486599, 1e-7);
  EXPECT_NEAR(f[1].score, 0.0486515, 1e-7);
}

TEST(Fuse, TiesGoToTheSmallerId) {
  FusionParams p;
  p.method = FusionMethod::rrf;
  const Lists l = {{{"x", 3}}, {{"w", 0.1}}};  // both 1/61
  const auto f = fuse(p, l, 0);
  EXPECT_EQ(ids(f), (std::vector<std::string>{"w", "x"}));
  EXPECT_EQ(f[0].score, f[1].score);
}

TEST(Fuse, OneResultListAgainstAFullOne) {
  FusionParams p;
  p.method = FusionMethod::convex;
  // L1 holds only a (degenerate: a 1, others 0). L2: b .9, a .2, c .1 -> 1, .125, 0.
  const Lists l = {{{"a", 5}}, {{"b", 0.9}, {"a", 0.2}, {"c", 0.1}}};
  const auto f = fuse(p, l, 0);
  EXPECT_EQ(ids(f), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_DOUBLE_EQ(f[0].score, 1.125);
  EXPECT_DOUBLE_EQ(f[1].score, 1.0);
  EXPECT_DOUBLE_EQ(f[2].score, 0.0);
}

TEST(Fuse, ZScoreMissingDocumentGetsTheFloor) {
  FusionParams p;
  p.method = FusionMethod::convex;
  p.normalizer = Normalizer::z_score;
  // L1 x3 y2 z1 -> 1.2247449, 0, -1.2247449; L2 holds only w (degenerate: 1, floor 0).
  const Lists l = {{{"x", 3}, {"y", 2}, {"z", 1}}, {{"w", 7}}};
  const auto f = fuse(p, l, 0);
  EXPECT_EQ(ids(f), (std::vector<std::string>{"x", "y", "w", "z"}));
  EXPECT_NEAR(find(f, "w").score, 1.0 - 1.2247449, 1e-7);
  EXPECT_NEAR(find(f, "x").score, 1.2247449, 1e-7);
}

TEST(Fuse, EmptyListContributesNothing) {
  FusionParams p;
  p.method = FusionMethod::convex;
  const Lists l = {{}, {{"a", 2}, {"b", 1}}};
  const auto f = fuse(p, l, 0);
  EXPECT_EQ(ids(f), (std::vector<std::string>{"a", "b"}));
  EXPECT_DOUBLE_EQ(f[0].score, 1.0);
  EXPECT_DOUBLE_EQ(f[1].score, 0.0);
}

TEST(Fuse, NoneKeepsTheLegsScores) {
  FusionParams p;
  p.method = FusionMethod::none;
  const Lists l = {{{"a", 12.5}, {"b", 3.25}}};
  const auto f = fuse(p, l, 0);
  EXPECT_EQ(ids(f), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(f[0].score, 12.5);
  EXPECT_EQ(f[1].score, 3.25);
}

TEST(Fuse, BadParametersAreRefused) {
  FusionParams p;
  p.method = FusionMethod::convex;
  const Lists l = two_lists();
  p.weights = {1};
  EXPECT_THROW(fuse(p, l, 0), Error);
  p.weights = {1, -0.5};
  EXPECT_THROW(fuse(p, l, 0), Error);
  p.weights = {};
  p.method = FusionMethod::none;
  EXPECT_THROW(fuse(p, l, 0), Error);
  p.method = FusionMethod::rrf;
  p.rrf_k = -1;
  EXPECT_THROW(fuse(p, l, 0), Error);
  EXPECT_THROW(parse_normalizer("minmaxx"), Error);
  EXPECT_EQ(parse_normalizer("z-score"), Normalizer::z_score);
}

}  // namespace
}  // namespace tandem::pipeline
