// With no options, tandem's index + search reproduce Anserini's BM25 runs: on every collection of
// ../shared/data the ranking equals the Lucene 8.8 peer's (Anserini's analyzer, BM25 k1 0.9 b 0.4,
// one-byte norms, ties by document id), query by query and rank by rank, and trec_eval's measures
// agree; on SciFact they equal Anserini's published regression numbers.

#include <gtest/gtest.h>

#include "tandem/engine/engine.hpp"

#include "lucene_peer.hpp"
#include "test_support.hpp"

namespace tandem {
namespace {

using test::read_run_lines;

// Runs tandem with default settings into `run`.
void tandem_run(const std::filesystem::path& corpus, const std::filesystem::path& queries,
                const std::filesystem::path& work, const std::filesystem::path& run) {
  index::BuildOptions build;
  build.corpus = corpus;
  build.index_dir = work / "idx";
  build.threads = 2;
  build.settings.store = false;
  engine::build_index(build);
  const auto index = engine::Index::open(build.index_dir);
  const engine::Searcher searcher(index, engine::SearchOptions{});
  const auto batch = searcher.search_batch(io::read_queries(queries), 2);
  engine::write_run(run, batch, "tandem", io::RunScoreFormat::anserini);
}

class Bm25Parity : public ::testing::TestWithParam<const char*> {};

TEST_P(Bm25Parity, RankingAndMeasuresEqualLucene) {
  TANDEM_REQUIRE_SHARED(shared);
  if (const auto why = test::LucenePeer::unavailable())
    FAIL() << "the Lucene peer cannot run: " << *why;
  const auto data = shared / "data" / GetParam();
  const auto queries = data / "queries.jsonl";
  test::TempDir dir;
  tandem_run(data / "corpus.jsonl", queries, dir.path(), dir / "tandem.run");
  const auto lucene = test::LucenePeer::bm25_run(data / "corpus.jsonl", queries, 1000);

  const auto ours = read_run_lines(dir / "tandem.run");
  const auto theirs = read_run_lines(lucene);
  ASSERT_EQ(ours.size(), theirs.size());
  std::size_t score_diffs = 0;
  for (std::size_t i = 0; i < ours.size(); ++i) {
    ASSERT_EQ(ours[i].qid, theirs[i].qid) << "line " << i + 1;
    ASSERT_EQ(ours[i].docid, theirs[i].docid)
        << "query " << ours[i].qid << " rank " << ours[i].rank;
    ASSERT_EQ(ours[i].rank, theirs[i].rank);
    // The peer adjusts ties in double, Anserini (and tandem) in float: the printed scores may
    // differ by one rounding step of 1e-4, never the order.
    EXPECT_NEAR(ours[i].score, theirs[i].score, 1.02e-4)
        << "query " << ours[i].qid << " rank " << ours[i].rank;
    score_diffs += ours[i].score != theirs[i].score;
  }
  EXPECT_LT(score_diffs * 20, ours.size()) << "more than 5% of the printed scores differ";

  const auto qrels = data / "qrels" / "test.tsv";
  const auto a = test::summary_measures(qrels, dir / "tandem.run");
  const auto b = test::summary_measures(qrels, lucene);
  for (const auto& [m, v] : a) {
    EXPECT_EQ(std::lround(v * 1e4), std::lround(b.at(m) * 1e4))
        << m << ": tandem " << v << ", Lucene " << b.at(m);
  }
}

INSTANTIATE_TEST_SUITE_P(Shared, Bm25Parity,
                         ::testing::Values("adi", "cranfield", "npl", "nfcorpus", "scifact"),
                         [](const auto& param_info) { return std::string(param_info.param); });

// Anserini's regression beir-v1.0.0-scifact.flat: nDCG@10 0.6789, R@100 0.9253, R@1000 0.9767, on
// the corpus and topics bundled with tandem (no peer needed).
TEST(AnseriniRegression, SciFactFlat) {
  test::TempDir dir;
  const auto data = test::source_dir() / "data" / "scifact";
  tandem_run(data / "corpus.jsonl.gz", data / "queries.test.tsv", dir.path(), dir / "run");
  const auto m = test::summary_measures(data / "qrels.test.tsv", dir / "run");
  EXPECT_EQ(std::lround(m.at("ndcg_cut_10") * 1e4), 6789);
  EXPECT_EQ(std::lround(m.at("recall_100") * 1e4), 9253);
  EXPECT_EQ(std::lround(m.at("recall_1000") * 1e4), 9767);
  // Anserini's index statistics for this corpus: 838,128 tokens.
  const auto index = engine::Index::open(dir / "idx");
  EXPECT_EQ(index.reader().field_stats(0).sum_total_term_freq, 838128u);
  EXPECT_EQ(index.reader().num_docs(), 5183u);
}

}  // namespace
}  // namespace tandem
