// Dense vector PRF (pipeline/vector_feedback.hpp) on hand-computed examples (Li et al.'s average
// and Rocchio, as Pyserini computes them), and the stored vectors it reads from an index.
#include "tandem/pipeline/vector_feedback.hpp"

#include <gtest/gtest.h>

#include "tandem/engine/engine.hpp"
#include "tandem/pipeline/dense_retriever.hpp"

#include "test_support.hpp"

namespace tandem::pipeline {
namespace {

const std::vector<float> q = {1, 0};
const std::vector<float> d1 = {0, 1}, d2 = {1, 1}, d3 = {2, 0};

TEST(VectorFeedback, AverageIsTheMeanOfQueryAndTopDocuments) {
  // (q + d1 + d2) / 3 = (2/3, 2/3)
  VectorFeedbackParams p;
  const std::vector<const float*> top = {d1.data(), d2.data()};
  const auto out = vector_feedback(q, top, {}, 2, p);
  EXPECT_FLOAT_EQ(out[0], 2.0f / 3.0f);
  EXPECT_FLOAT_EQ(out[1], 2.0f / 3.0f);
  // One document: (q + d1) / 2 = (0.5, 0.5).
  const auto one = vector_feedback(q, std::span(top).first(1), {}, 2, p);
  EXPECT_FLOAT_EQ(one[0], 0.5f);
  EXPECT_FLOAT_EQ(one[1], 0.5f);
  // No document: the query unchanged.
  EXPECT_EQ(vector_feedback(q, {}, {}, 2, p), q);
}

TEST(VectorFeedback, RocchioWeighsQueryAndMeans) {
  // 0.9 q + 0.1 mean(d1, d2) = (0.9 + 0.05, 0.1); minus 0.5 mean(d3) = (-0.05, 0.1).
  VectorFeedbackParams p;
  p.kind = VectorFeedbackKind::rocchio;
  const std::vector<const float*> top = {d1.data(), d2.data()};
  const std::vector<const float*> bottom = {d3.data()};
  auto out = vector_feedback(q, top, {}, 2, p);
  EXPECT_FLOAT_EQ(out[0], 0.95f);
  EXPECT_FLOAT_EQ(out[1], 0.1f);
  p.gamma = 0.5f;
  out = vector_feedback(q, top, bottom, 2, p);
  EXPECT_NEAR(out[0], -0.05f, 1e-7);
  EXPECT_FLOAT_EQ(out[1], 0.1f);
  EXPECT_THROW(vector_feedback(std::vector<float>{1, 2, 3}, top, {}, 2, p), Error);
  EXPECT_EQ(parse_vector_feedback_kind("vector-rocchio"), VectorFeedbackKind::rocchio);
  EXPECT_THROW(parse_vector_feedback_kind("mean"), Error);
}

TEST(VectorFeedback, ReadsStoredVectorsOfTheFeedbackDocuments) {
  test::TempDir dir;
  test::write_file(dir / "c.jsonl",
                   "{\"id\":\"a\",\"contents\":\"x\"}\n{\"id\":\"b\",\"contents\":\"y\"}\n"
                   "{\"id\":\"c\",\"contents\":\"z\"}\n");
  test::write_file(dir / "v.jsonl",
                   "{\"id\":\"a\",\"vector\":[0,1]}\n{\"id\":\"c\",\"vector\":[1,1]}\n");
  index::BuildOptions b;
  b.corpus = dir / "c.jsonl";
  b.index_dir = dir / "idx";
  b.threads = 1;
  b.dense_vectors = dir / "v.jsonl";
  b.settings.dense = dense::DenseSettings{};
  engine::build_index(b);
  const auto index = index::IndexReader::open(b.index_dir);
  const float* va = stored_vector(*index, {0, 0});
  ASSERT_NE(va, nullptr);
  EXPECT_EQ(va[1], 1.0f);
  EXPECT_EQ(stored_vector(*index, {0, 1}), nullptr);  // b has no vector
  // First stage a, b, c: fb_docs 2 takes a and c (b is skipped): (q + a + c) / 3 = (2/3, 2/3).
  const std::vector<IndexHit> first = {{{0, 0}, 3}, {{0, 1}, 2}, {{0, 2}, 1}};
  VectorFeedbackParams p;
  p.fb_docs = 2;
  const auto out = vector_feedback_query(*index, q, first, p);
  EXPECT_FLOAT_EQ(out[0], 2.0f / 3.0f);
  EXPECT_FLOAT_EQ(out[1], 2.0f / 3.0f);
}

}  // namespace
}  // namespace tandem::pipeline
