// Every query algorithm returns exactly the exhaustive oracle's top-k (same documents, same float
// scores, same order) on the real collections of ../shared/data, in both length modes.
#include <gtest/gtest.h>

#include "tandem/engine/engine.hpp"
#include "tandem/sparse/query/query_algorithm.hpp"

#include "test_support.hpp"

namespace tandem {
namespace {

class AlgorithmsOnRealCollections : public ::testing::TestWithParam<const char*> {};

TEST_P(AlgorithmsOnRealCollections, EqualTheOracle) {
  TANDEM_REQUIRE_SHARED(shared);
  const auto data = shared / "data" / GetParam();
  test::TempDir dir;
  index::BuildOptions build;
  build.corpus = data / "corpus.jsonl";
  build.index_dir = dir / "idx";
  build.threads = 2;
  build.settings.store = false;
  engine::build_index(build);
  const auto index = engine::Index::open(build.index_dir);
  const auto queries = io::read_queries(data / "queries.jsonl");
  ASSERT_FALSE(queries.empty());
  std::size_t compared = 0;
  for (const auto mode : {sparse::LengthMode::lucene, sparse::LengthMode::exact}) {
    for (const std::size_t k : {std::size_t{10}, std::size_t{1000}}) {
      engine::SearchOptions options;
      options.k = k;
      options.bm25.length_mode = mode;
      options.bm25.algorithm = sparse::QueryAlgorithm::exhaustive;
      const auto oracle = engine::Searcher(index, options).search_batch(queries, 2);
      for (const auto algorithm : sparse::kQueryAlgorithms) {
        if (algorithm == sparse::QueryAlgorithm::exhaustive) continue;
        options.bm25.algorithm = algorithm;
        const auto got = engine::Searcher(index, options).search_batch(queries, 2);
        for (std::size_t q = 0; q < queries.size(); ++q) {
          const auto& a = oracle.results[q].hits;
          const auto& b = got.results[q].hits;
          ASSERT_EQ(a.size(), b.size())
              << sparse::to_string(algorithm) << " query " << queries[q].id << " k " << k;
          for (std::size_t i = 0; i < a.size(); ++i) {
            ASSERT_EQ(a[i].id, b[i].id)
                << sparse::to_string(algorithm) << " query " << queries[q].id << " rank " << i + 1;
            ASSERT_EQ(a[i].score, b[i].score)
                << sparse::to_string(algorithm) << " query " << queries[q].id << " rank " << i + 1;
          }
          ++compared;
        }
      }
    }
  }
  EXPECT_GT(compared, queries.size());
}

INSTANTIATE_TEST_SUITE_P(Shared, AlgorithmsOnRealCollections,
                         ::testing::Values("adi", "cranfield", "npl", "nfcorpus", "scifact"),
                         [](const auto& param_info) { return std::string(param_info.param); });

}  // namespace
}  // namespace tandem
