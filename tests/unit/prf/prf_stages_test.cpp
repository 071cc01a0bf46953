// The feedback and re-ranking stages in a pipeline (pipeline/prf_stages.hpp): each gives what the
// library call it wraps gives, reads its options with path-named errors, and keeps the legs'
// first lists unchanged.
#include <gtest/gtest.h>

#include "tandem/engine/engine.hpp"
#include "tandem/pipeline/dense_retriever.hpp"
#include "tandem/pipeline/pipeline.hpp"
#include "tandem/pipeline/vector_feedback.hpp"

#include "test_support.hpp"

namespace tandem::pipeline {
namespace {

class PrfStages : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string corpus, dense, mv, qv, qt;
    const char* words[] = {"zebra", "lion", "savanna", "grass", "herd", "river", "tree", "rock"};
    for (int i = 0; i < 40; ++i) {
      std::string text = words[i % 8];
      text += std::string(" ") + words[(i * 3 + 1) % 8];
      if (i % 5 == 0) text += " zebra";
      corpus += fmt::format("{{\"id\":\"d{:02}\",\"contents\":\"{} k{}x\"}}\n", i, text, i);
      dense += fmt::format("{{\"id\":\"d{:02}\",\"vector\":[{},{},{}]}}\n", i, 1 + i % 3, i % 7,
                           (i * 5) % 11);
      mv += fmt::format("{{\"id\":\"d{:02}\",\"vectors\":[[{},{}],[{},{}]]}}\n", i, i % 4, 1,
                        (i * 7) % 5, -1);
    }
    test::write_file(dir_ / "c.jsonl", corpus);
    test::write_file(dir_ / "v.jsonl", dense);
    test::write_file(dir_ / "mv.jsonl", mv);
    test::write_file(dir_ / "q.tsv", "q1\tzebra\nq2\tlion river\n");
    test::write_file(dir_ / "qv.jsonl",
                     "{\"id\":\"q1\",\"vector\":[1,2,3]}\n{\"id\":\"q2\",\"vector\":[3,0,1]}\n");
    test::write_file(dir_ / "qt.jsonl",
                     "{\"id\":\"q1\",\"vectors\":[[1,0],[0,1]]}\n"
                     "{\"id\":\"q2\",\"vectors\":[[0.5,0.5]]}\n");
    index::BuildOptions b;
    b.corpus = dir_ / "c.jsonl";
    b.index_dir = dir_ / "idx";
    b.threads = 1;
    b.dense_vectors = dir_ / "v.jsonl";
    b.settings.dense = dense::DenseSettings{};
    b.multivec = dir_ / "mv.jsonl";
    engine::build_index(b);
    queries_ = {{"q1", "zebra"}, {"q2", "lion river"}};
  }

  std::vector<QueryState> run(const std::string& json) {
    pipeline_ = std::make_unique<Pipeline>(parse_pipeline_spec(json, "test.json"));
    return pipeline_->run(queries_, 1);
  }
  std::string idx() const { return (dir_ / "idx").string(); }

  test::TempDir dir_;
  std::vector<PipelineQuery> queries_;
  std::unique_ptr<Pipeline> pipeline_;
};

TEST_F(PrfStages, Rm3StageEqualsTheSearcherWithRm3) {
  const auto states = run(fmt::format(
      R"({{"index": "{}", "k": 10, "legs": [{{"kind": "bm25"}}],
          "feedback": [{{"kind": "rm3", "fb_docs": 5, "fb_terms": 4}}]}})",
      idx()));
  engine::SearchOptions o;
  o.k = 10;
  o.feedback = TermFeedbackOptions{};
  o.feedback->rm3.fb_docs = 5;
  o.feedback->rm3.fb_terms = 4;
  const engine::Searcher s(engine::Index::open(dir_ / "idx"), o);
  for (std::size_t q = 0; q < 2; ++q) {
    const auto expected = s.search(queries_[q].text);
    ASSERT_EQ(states[q].fused.size(), expected.size()) << q;
    for (std::size_t i = 0; i < expected.size(); ++i)
      EXPECT_EQ(states[q].fused[i].id, expected[i].id) << "query " << q << " rank " << i;
    EXPECT_TRUE(states[q].notes.contains("feedback:rm3"));
  }
  // The leg's own list is the first-stage BM25 list, unchanged.
  const engine::Searcher plain(engine::Index::open(dir_ / "idx"), engine::SearchOptions{});
  const auto first = plain.search("zebra");
  // (One index: the pipeline matches documents by location and leaves leg hits without ids.)
  const auto reader = index::IndexReader::open(dir_ / "idx");
  std::string scratch;
  ASSERT_EQ(states[0].legs[0].hits.size(), first.size());
  for (std::size_t i = 0; i < first.size(); ++i) {
    EXPECT_TRUE(states[0].legs[0].hits[i].id.empty());
    EXPECT_EQ(reader->external_id(states[0].legs[0].hits[i].at, scratch), first[i].id);
  }
}

TEST_F(PrfStages, VectorAverageStageSearchesTheFeedbackVector) {
  const auto states = run(fmt::format(
      R"({{"index": "{}", "k": 5, "legs": [{{"kind": "dense", "query_vectors": "{}"}}],
          "feedback": [{{"kind": "vector-average", "fb_docs": 2}}]}})",
      idx(), (dir_ / "qv.jsonl").string()));
  // By hand: q1 = (1, 2, 3); its dense top 2 from the leg's own list; q' = (q + d1 + d2) / 3.
  const auto reader = index::IndexReader::open(dir_ / "idx");
  std::vector<IndexHit> first;
  for (const auto& h : states[0].legs[0].hits) first.push_back({h.at, h.score});
  const float* d1 = stored_vector(*reader, first[0].at);
  const float* d2 = stored_vector(*reader, first[1].at);
  std::vector<float> q2(3);
  const float q[] = {1, 2, 3};
  for (int c = 0; c < 3; ++c) q2[c] = (q[c] + d1[c] + d2[c]) / 3.0f;
  const DenseRetriever dense(reader, DenseOptions{});
  const auto batch = dense.search_batch(q2, 1, 5, 1, "test");
  ASSERT_EQ(states[0].fused.size(), batch.hits[0].size());
  std::string scratch;
  for (std::size_t i = 0; i < batch.hits[0].size(); ++i)
    EXPECT_EQ(states[0].fused[i].id, reader->external_id(batch.hits[0][i].at, scratch));
}

TEST_F(PrfStages, MaxSimStageRerankesTheFusedList) {
  const auto states = run(fmt::format(
      R"({{"index": "{}", "k": 5, "legs": [{{"kind": "bm25", "depth": 20}}],
          "rerank": [{{"kind": "maxsim", "queries": "{}", "depth": 20}}]}})",
      idx(), (dir_ / "qt.jsonl").string()));
  engine::SearchOptions o;
  o.k = 5;
  o.maxsim_queries = dir_ / "qt.jsonl";
  o.maxsim_depth = 20;
  const engine::Searcher s(engine::Index::open(dir_ / "idx"), o);
  const auto batch =
      s.search_batch(std::vector<io::QueryText>{{"q1", "zebra"}, {"q2", "lion river"}}, 1);
  for (std::size_t q = 0; q < 2; ++q) {
    ASSERT_EQ(states[q].fused.size(), batch.results[q].hits.size());
    for (std::size_t i = 0; i < states[q].fused.size(); ++i) {
      EXPECT_EQ(states[q].fused[i].id, batch.results[q].hits[i].id);
      EXPECT_FLOAT_EQ(static_cast<float>(states[q].fused[i].score), batch.results[q].hits[i].score);
    }
  }
}

TEST_F(PrfStages, BadOptionsNameTheirPath) {
  const auto error = [&](const std::string& json) -> std::string {
    try {
      run(json);
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  };
  const std::string e1 = error(fmt::format(
      R"({{"index": "{}", "legs": [{{"kind": "bm25"}}], "feedback": [{{"kind": "rm3", "fbdocs": 3}}]}})",
      idx()));
  EXPECT_NE(e1.find("fbdocs"), std::string::npos) << e1;
  const std::string e2 = error(fmt::format(
      R"({{"index": "{}", "legs": [{{"kind": "bm25"}}], "feedback": [{{"kind": "vector-average"}}]}})",
      idx()));
  EXPECT_NE(e2.find("dense leg"), std::string::npos) << e2;
  const std::string e3 = error(fmt::format(
      R"({{"index": "{}", "legs": [{{"kind": "bm25"}}], "feedback": [{{"kind": "rm3", "source": "x"}}]}})",
      idx()));
  EXPECT_NE(e3.find("feedback[0].source"), std::string::npos) << e3;
}

}  // namespace
}  // namespace tandem::pipeline
