// The pieces of `tandem tune` that do not need an index: the seeded split, grid parameters and
// JSON paths.
#include "tandem/engine/tune.hpp"

#include <algorithm>

#include <gtest/gtest.h>

#include "tandem/core/error.hpp"

namespace tandem::engine {
namespace {

std::vector<std::string> qids(std::size_t n) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back("q" + std::to_string(i));
  return out;
}

TEST(TuneSplit, DeterministicAndOrderIndependent) {
  const auto a = split_queries(qids(100), 0.3, 7);
  auto shuffled = qids(100);
  std::reverse(shuffled.begin(), shuffled.end());
  shuffled.push_back("q5");  // a duplicate counts once
  const auto b = split_queries(shuffled, 0.3, 7);
  EXPECT_EQ(a.train, b.train);
  EXPECT_EQ(a.test, b.test);
  EXPECT_EQ(a.train.size(), 30u);
  EXPECT_EQ(a.test.size(), 70u);
  EXPECT_TRUE(std::is_sorted(a.train.begin(), a.train.end()));
  // Disjoint and complete.
  std::vector<std::string> all = a.train;
  all.insert(all.end(), a.test.begin(), a.test.end());
  std::sort(all.begin(), all.end());
  auto expected = qids(100);
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(all, expected);
  // Another seed gives another split; the split is not simply the first ids.
  EXPECT_NE(split_queries(qids(100), 0.3, 8).train, a.train);
  auto first30 = qids(30);
  std::sort(first30.begin(), first30.end());
  EXPECT_NE(a.train, first30);
  EXPECT_THROW(split_queries(qids(10), 1.0, 1), Error);
  EXPECT_THROW(split_queries(qids(10), 0.0, 1), Error);
}

TEST(TuneParam, RangesListsAndErrors) {
  auto p = parse_tune_param("fusion.alpha=0:1:0.25");
  EXPECT_EQ(p.path, "fusion.alpha");
  ASSERT_EQ(p.values.size(), 5u);
  EXPECT_EQ(p.values[1].get<double>(), 0.25);
  EXPECT_EQ(p.values[4].get<double>(), 1.0);
  p = parse_tune_param("fusion.alpha=0:1:0.1");
  ASSERT_EQ(p.values.size(), 11u);
  EXPECT_EQ(p.values[3].get<double>(), 0.3);  // not 0.30000000000000004
  p = parse_tune_param("fusion.k=10,60");
  ASSERT_EQ(p.values.size(), 2u);
  EXPECT_TRUE(p.values[0].is_number_integer());
  EXPECT_EQ(p.values[1].get<int>(), 60);
  p = parse_tune_param("fusion.normalize=min-max,z-score");
  EXPECT_EQ(p.values[1].get<std::string>(), "z-score");
  p = parse_tune_param("legs[1].depth=100:300:100");
  EXPECT_EQ(p.values.size(), 3u);
  EXPECT_TRUE(p.values[0].is_number_integer());
  EXPECT_THROW(parse_tune_param("fusion.alpha"), Error);
  EXPECT_THROW(parse_tune_param("=1,2"), Error);
  EXPECT_THROW(parse_tune_param("fusion.alpha=1:0:0.1"), Error);
  EXPECT_THROW(parse_tune_param("legs[x].depth=1"), Error);
}

TEST(TuneParam, SetJsonPath) {
  auto j = nlohmann::json::parse(R"({"legs": [{"kind": "bm25"}, {"kind": "dense"}]})");
  set_json_path(j, "fusion.alpha", 0.3);
  set_json_path(j, "legs[1].depth", 50);
  EXPECT_EQ(j["fusion"]["alpha"], 0.3);
  EXPECT_EQ(j["legs"][1]["depth"], 50);
  EXPECT_THROW(set_json_path(j, "legs[5].depth", 1), Error);
  EXPECT_THROW(set_json_path(j, "feedback[0].fb_docs", 1), Error);
}

}  // namespace
}  // namespace tandem::engine
