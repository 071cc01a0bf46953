// The sparse vector field end to end: parsing both vector forms, quantisation, errors naming the
// file and line, documents with text and a vector, and impact / approximate search on the result.
#include <fstream>

#include <gtest/gtest.h>

#include "tandem/core/error.hpp"
#include "tandem/engine/sparse_searcher.hpp"
#include "tandem/io/sparse_vector_parser.hpp"

#include "test_support.hpp"

namespace tandem {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

TEST(SparseVectorParser, BothFormsAndErrors) {
  io::SparseVectorParser p;
  const auto& v = p.parse_copy(R"({"id": "d1", "contents": "x", "vector": {"a": 3, "b": 0.5}})");
  EXPECT_EQ(v.id, "d1");
  ASSERT_EQ(v.entries.size(), 2u);
  EXPECT_EQ(v.entries[1].term, "b");
  EXPECT_EQ(v.entries[1].weight, 0.5);
  const auto& w = p.parse_copy(R"({"values": [1.5, 2], "indices": [4000000000, 7], "id": 9})");
  EXPECT_EQ(w.id, "9");
  ASSERT_EQ(w.entries.size(), 2u);
  EXPECT_EQ(w.entries[0].term, "4000000000");
  EXPECT_EQ(w.entries[1].term, "7");
  EXPECT_EQ(w.entries[1].weight, 2.0);
  EXPECT_FALSE(p.parse_copy(R"({"id": "e"})").has_vector);
  EXPECT_TRUE(p.parse_copy(R"({"id": "e", "vector": {}})").has_vector);
  for (const char* bad :
       {R"({"id": "x", "vector": {"a": -1}})", R"({"id": "x", "vector": {"a": "1"}})",
        R"({"id": "x", "vector": {"a": 1e999}})", R"({"id": "x", "indices": [1]})",
        R"({"id": "x", "indices": [1, 2], "values": [1]})",
        R"({"id": "x", "indices": [-1], "values": [1]})",
        R"({"id": "x", "indices": [4294967296], "values": [1]})", R"({"vector": {"a": 1}})",
        R"([1])", R"({"id": "x", "vector": [1]})"}) {
    EXPECT_THROW(p.parse_copy(bad), Error) << bad;
  }
  try {
    p.parse_copy(R"({"id": "x", "vector": {"ok": 1, "bad": -0.25}})");
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'bad'"), std::string::npos) << e.what();
  }
}

TEST(SparseQueries, PretokenizedCountsAndJsonVectors) {
  const auto t = io::pretokenized_terms("b a  b\tc b");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].term, "b");
  EXPECT_EQ(t[0].weight, 3.0f);
  EXPECT_EQ(t[1].term, "a");
  const auto q = io::parse_sparse_query_line(R"({"qid": 7, "vector": {"x": 1.5, "y": 0, "x": 1}})",
                                             "q.jsonl:1");
  EXPECT_TRUE(q.has_vector);
  EXPECT_EQ(q.id, "7");
  ASSERT_EQ(q.terms.size(), 1u);  // y has weight 0; x is summed
  EXPECT_EQ(q.terms[0].weight, 2.5f);
  const auto text = io::parse_sparse_query_line("12\tneural sparse", "q.tsv:1");
  EXPECT_FALSE(text.has_vector);
  EXPECT_EQ(text.text, "neural sparse");
}

std::vector<engine::Hit> impact_search(const fs::path& index_dir, const std::string& query_json,
                                       std::size_t k = 10) {
  const auto index = engine::Index::open(index_dir);
  engine::SparseSearchOptions o;
  o.k = k;
  const engine::SparseSearcher s(index, o);
  return s.search(io::parse_sparse_query_line(query_json, "test"));
}

TEST(SparseField, IntegerImpactsScoreAsDotProducts) {
  test::TempDir dir;
  write(dir / "v.jsonl",
        "{\"id\": \"b\", \"vector\": {\"x\": 2, \"y\": 5}}\n"
        "{\"id\": \"a\", \"vector\": {\"x\": 3, \"x\": 1}, \"contents\": \"hello world\"}\n"
        "\n"
        "{\"id\": \"c\", \"vector\": {}}\n"
        "{\"id\": \"d\", \"indices\": [1, 2], \"values\": [7, 1]}\n");
  index::BuildOptions b;
  b.index_dir = dir / "idx";
  b.threads = 2;
  b.sparse = index::SparseFieldOptions{dir / "v.jsonl"};
  const auto report = engine::build_index(b);
  EXPECT_EQ(report.documents, 4u);
  EXPECT_EQ(report.sparse_postings, 5u);  // a:x, b:x, b:y, d:1, d:2
  const auto hits = impact_search(dir / "idx", R"({"id": "q", "vector": {"x": 2, "y": 1}})");
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].id, "b");
  EXPECT_EQ(hits[0].score, 9.0f);  // 2*2 + 1*5
  EXPECT_EQ(hits[1].id, "a");
  EXPECT_EQ(hits[1].score, 8.0f);  // 2*(3+1)
  const auto numeric = impact_search(dir / "idx", R"({"id": "q", "indices": [1], "values": [2]})");
  ASSERT_EQ(numeric.size(), 1u);
  EXPECT_EQ(numeric[0].id, "d");
  EXPECT_EQ(numeric[0].score, 14.0f);
  // The same file's text: BM25 finds "a" by its contents.
  const auto index = engine::Index::open(dir / "idx");
  const engine::Searcher bm25(index, engine::SearchOptions{});
  const auto text_hits = bm25.search("hello");
  ASSERT_EQ(text_hits.size(), 1u);
  EXPECT_EQ(text_hits[0].id, "a");
}

TEST(SparseField, FloatWeightsQuantiseWithARecordedScale) {
  test::TempDir dir;
  write(dir / "v.jsonl",
        "{\"id\": \"a\", \"vector\": {\"x\": 0.5, \"y\": 2.0}}\n"
        "{\"id\": \"b\", \"vector\": {\"x\": 1.0, \"y\": 0.001}}\n");
  for (const auto q : {index::ImpactQuantization::automatic, index::ImpactQuantization::u16,
                       index::ImpactQuantization::float32}) {
    index::BuildOptions b;
    b.index_dir = dir / "idx";
    b.overwrite = true;
    b.threads = 1;
    b.sparse = index::SparseFieldOptions{dir / "v.jsonl", q};
    engine::build_index(b);
    const auto hits = impact_search(dir / "idx", R"({"id": "q", "vector": {"x": 1, "y": 1}})");
    ASSERT_GE(hits.size(), 2u) << to_string(q);
    EXPECT_EQ(hits[0].id, "a");
    // u8 steps are max / 255: scores within half a step per term of the true 2.5 and 1.001.
    const double tolerance = q == index::ImpactQuantization::float32 ? 1e-6 : 2.0 / 255;
    EXPECT_NEAR(hits[0].score, 2.5, tolerance) << to_string(q);
    EXPECT_NEAR(hits[1].score, 1.001, tolerance) << to_string(q);
  }
}

TEST(SparseField, BadVectorsNameTheFileAndLine) {
  test::TempDir dir;
  write(dir / "c.jsonl",
        "{\"id\": \"a\", \"contents\": \"x\"}\n{\"id\": \"b\", \"contents\": \"y\"}\n");
  const auto expect_error = [&](const std::string& vectors, const std::string& needle) {
    write(dir / "v.jsonl", vectors);
    index::BuildOptions b;
    b.corpus = dir / "c.jsonl";
    b.index_dir = dir / "idx";
    b.overwrite = true;
    b.sparse = index::SparseFieldOptions{dir / "v.jsonl"};
    try {
      engine::build_index(b);
      ADD_FAILURE() << "accepted: " << vectors;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  expect_error(
      "{\"id\": \"a\", \"vector\": {\"t\": 1}}\n{\"id\": \"b\", \"vector\": {\"t\": -1}}\n",
      "v.jsonl:2");
  expect_error("{\"id\": \"zz\", \"vector\": {\"t\": 1}}\n", "'zz' is not in the corpus");
  expect_error("{\"id\": \"a\", \"vector\": {\"t\": 1}}\n{\"id\": \"a\", \"vector\": {}}\n",
               "a second vector");
  // A failed build publishes nothing.
  EXPECT_FALSE(fs::exists(dir / "idx" / "manifest.json"));
}

TEST(SparseField, ApproximateIndexWithPruningOffIsExact) {
  test::TempDir dir;
  std::string lines;
  for (int d = 0; d < 300; ++d) {
    lines += "{\"id\": \"d" + std::to_string(d) + "\", \"vector\": {";
    for (int t = 0; t < 8; ++t) {
      if (t > 0) lines += ", ";
      lines +=
          "\"t" + std::to_string((d * 7 + t * 13) % 40) + "\": " + std::to_string(1 + (d * t) % 9);
    }
    lines += "}}\n";
  }
  write(dir / "v.jsonl", lines);
  index::BuildOptions b;
  b.index_dir = dir / "idx";
  b.sparse = index::SparseFieldOptions{dir / "v.jsonl"};
  engine::build_index(b);
  const auto index = engine::Index::open(dir / "idx");
  engine::SparseSearchOptions exact;
  exact.k = 20;
  engine::SparseSearchOptions approx = exact;
  approx.retriever = engine::SparseRetrieverKind::approx;
  approx.build = sparse::approx::SeismicBuildParams::exact();
  approx.approx = sparse::approx::SeismicSearchParams::exact();
  const engine::SparseSearcher a(index, exact), b2(index, approx);
  const auto q = io::parse_sparse_query_line(
      R"({"id": "q", "vector": {"t1": 3, "t5": 1, "t13": 2, "t39": 7}})", "test");
  const auto x = a.search(q), y = b2.search(q);
  ASSERT_EQ(x.size(), y.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    EXPECT_EQ(x[i].id, y[i].id);
    EXPECT_EQ(x[i].score, y[i].score);
  }
}

}  // namespace
}  // namespace tandem
