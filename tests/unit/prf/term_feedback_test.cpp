// RM3 and Rocchio (pipeline/term_feedback.hpp) on examples computed by hand from Anserini's
// definitions (Rm3Reranker, RocchioReranker, FeatureVector); the arithmetic is in the comments.
#include "tandem/pipeline/term_feedback.hpp"

#include <cmath>
#include <fstream>

#include <gtest/gtest.h>

#include "tandem/engine/engine.hpp"

#include "test_support.hpp"

namespace tandem::pipeline {
namespace {

FeatureVector vec(std::initializer_list<std::pair<const char*, float>> values) {
  FeatureVector f;
  for (const auto& [t, v] : values) f.add(t, v);
  return f;
}

TEST(FeatureVector, FromTermsCountsAndOrdersByValueThenTerm) {
  const std::vector<std::string> terms = {"b", "a", "b", "c"};
  const auto f = FeatureVector::from_terms(terms);
  const auto o = f.ordered();
  ASSERT_EQ(o.size(), 3u);
  EXPECT_EQ(o[0].term, "b");
  EXPECT_EQ(o[0].weight, 2.0f);
  EXPECT_EQ(o[1].term, "a");  // a and c tie at 1: the smaller term first
  EXPECT_EQ(o[2].term, "c");
}

TEST(FeatureVector, PruneKeepsExactlyKLargestWithTiesToSmallerTerm) {
  auto f = vec({{"d", 1}, {"c", 3}, {"b", 1}, {"a", 2}});
  f.prune_to_size(3);  // c 3, a 2, then b (ties with d at 1; "b" < "d")
  EXPECT_EQ(f.size(), 3u);
  EXPECT_EQ(f.value("c"), 3.0f);
  EXPECT_EQ(f.value("a"), 2.0f);
  EXPECT_EQ(f.value("b"), 1.0f);
  EXPECT_EQ(f.value("d"), 0.0f);
}

TEST(FeatureVector, NormsAndScaling) {
  auto f = vec({{"x", 3}, {"y", -4}});
  EXPECT_DOUBLE_EQ(f.l1_norm(), 7.0);
  EXPECT_DOUBLE_EQ(f.l2_norm(), 5.0);
  f.scale_to_unit_l2();
  EXPECT_FLOAT_EQ(f.value("x"), 0.6f);
  EXPECT_FLOAT_EQ(f.value("y"), -0.8f);
}

TEST(FeatureVector, InterpolateOverTheUnion) {
  // 0.25 * x + 0.75 * y: a = 0.25*1 + 0.75*0 = 0.25, b = 0.25*2 + 0.75*4 = 3.5, c = 0.75*8 = 6.
  const auto z =
      FeatureVector::interpolate(vec({{"a", 1}, {"b", 2}}), vec({{"b", 4}, {"c", 8}}), 0.25f);
  EXPECT_EQ(z.size(), 3u);
  EXPECT_FLOAT_EQ(z.value("a"), 0.25f);
  EXPECT_FLOAT_EQ(z.value("b"), 3.5f);
  EXPECT_FLOAT_EQ(z.value("c"), 6.0f);
}

TEST(FeedbackTermFilter, LengthAsciiAndDocumentFrequency) {
  EXPECT_FALSE(keep_feedback_term("a", 1, 100, true));  // 1 code unit
  EXPECT_TRUE(keep_feedback_term("ab", 1, 100, true));
  EXPECT_TRUE(keep_feedback_term(std::string(20, 'a'), 1, 100, true));
  EXPECT_FALSE(keep_feedback_term(std::string(21, 'a'), 1, 100, true));
  EXPECT_FALSE(keep_feedback_term("Ab", 1, 100, true));  // not [a-z0-9]+
  EXPECT_TRUE(keep_feedback_term("Ab", 1, 100, false));
  EXPECT_FALSE(keep_feedback_term("caf\xC3\xA9", 1, 100, true));
  EXPECT_TRUE(keep_feedback_term("caf\xC3\xA9", 1, 100, false));
  EXPECT_TRUE(keep_feedback_term("x1", 10, 100, true));   // df/N = 0.1: kept (not > 0.1)
  EXPECT_FALSE(keep_feedback_term("x1", 11, 100, true));  // 0.11 > 0.1
  // U+1D11E is one code point but two UTF-16 code units, as Java's String.length() counts.
  EXPECT_EQ(utf16_length("\xF0\x9D\x84\x9E"), 2u);
  EXPECT_EQ(utf16_length("caf\xC3\xA9"), 4u);
  EXPECT_FALSE(keep_feedback_term(std::string(19, 'a') + "\xF0\x9D\x84\x9E", 1, 100, false));
}

// Query "cat dog"; d1 = {cat 2, fish 1, bird 1} with score 2, d2 = {cat 1, fish 3} with score 1;
// fbDocs 2, fbTerms 2, originalQueryWeight 0.5.
//   qfv = {cat 1/2, dog 1/2}
//   d1 pruned to 2 terms: cat 2, then bird (ties with fish at 1, "bird" < "fish"): |d1|_1 = 3
//   d2 pruned: fish 3, cat 1: |d2|_1 = 4
//   rm: cat = 2/3*2 + 1/4*1 = 19/12, bird = 1/3*2 = 8/12, fish = 3/4*1 = 9/12
//   pruned to 2: cat, fish (sum 28/12) -> cat 19/28, fish 9/28
//   q' = 0.5 qfv + 0.5 rm: cat 1/4 + 19/56 = 33/56, dog 1/4, fish 9/56.
TEST(Rm3, HandComputedExample) {
  const std::vector<std::string> query = {"cat", "dog"};
  const std::vector<FeatureVector> docs = {vec({{"cat", 2}, {"fish", 1}, {"bird", 1}}),
                                           vec({{"cat", 1}, {"fish", 3}})};
  const std::vector<float> scores = {2.0f, 1.0f};
  Rm3Params p;
  p.fb_docs = 2;
  p.fb_terms = 2;
  const auto q = rm3_query(query, docs, scores, p);
  EXPECT_EQ(q.size(), 3u);
  EXPECT_FLOAT_EQ(q.value("cat"), 33.0f / 56.0f);
  EXPECT_FLOAT_EQ(q.value("dog"), 0.25f);
  EXPECT_FLOAT_EQ(q.value("fish"), 9.0f / 56.0f);
  EXPECT_EQ(q.value("bird"), 0.0f);
  const auto o = q.ordered();
  EXPECT_EQ(o[0].term, "cat");
  EXPECT_EQ(o[1].term, "dog");
  EXPECT_EQ(o[2].term, "fish");
}

TEST(Rm3, UsesOnlyTheFirstFbDocsAndSkipsEmptyDocuments) {
  // fbDocs 1: only d1 = {cat 1, eel 1}, |d1| = 2, score 4: rm = {cat 2, eel 2} -> {1/2, 1/2};
  // the empty d0 (norm 0) is skipped. Weight 0.0: q' = rm.
  const std::vector<std::string> query = {"cat"};
  const std::vector<FeatureVector> docs = {FeatureVector(), vec({{"cat", 1}, {"eel", 1}}),
                                           vec({{"owl", 5}})};
  const std::vector<float> scores = {9.0f, 4.0f, 1.0f};
  Rm3Params p;
  p.fb_docs = 2;
  p.original_query_weight = 0.0f;
  const auto q = rm3_query(query, docs, scores, p);
  EXPECT_FLOAT_EQ(q.value("cat"), 0.5f);
  EXPECT_FLOAT_EQ(q.value("eel"), 0.5f);
  EXPECT_EQ(q.value("owl"), 0.0f);  // the third document is beyond fbDocs
}

// Query "cat dog"; top documents d1 = {cat 2, fish 1, bird 1}, d2 = {cat 1, fish 3};
// alpha 1, beta 0.75, topFbTerms 2.
//   q = {cat 1/sqrt2, dog 1/sqrt2} = 0.7071068 each
//   |d1|_2 = sqrt 6, |d2|_2 = sqrt 10
//   mean: cat = (2/sqrt6 + 1/sqrt10)/2 = 0.5663622, fish = (1/sqrt6 + 3/sqrt10)/2 = 0.6784658,
//         bird = (1/sqrt6)/2 = 0.2041241; pruned to cat, fish; L2 = 0.8837891 ->
//         cat 0.6408346, fish 0.7676790
//   q' = q + 0.75 mean: cat 0.7071068 + 0.4806259 = 1.1877327, dog 0.7071068, fish 0.5757592.
TEST(Rocchio, HandComputedExample) {
  const std::vector<std::string> query = {"cat", "dog"};
  const std::vector<FeatureVector> top = {vec({{"cat", 2}, {"fish", 1}, {"bird", 1}}),
                                          vec({{"cat", 1}, {"fish", 3}})};
  RocchioParams p;
  p.top_fb_terms = 2;
  const auto q = rocchio_query(query, top, {}, p);
  EXPECT_EQ(q.size(), 3u);
  EXPECT_NEAR(q.value("cat"), 1.1877327, 1e-6);
  EXPECT_NEAR(q.value("dog"), 0.7071068, 1e-6);
  EXPECT_NEAR(q.value("fish"), 0.5757592, 1e-6);
}

// With negative feedback: the bottom document {fish 1} has mean {fish 1}.
//   gamma 0.5: fish = 0.5757592 - 0.5 = 0.0757592 (kept); gamma 1: fish < 0 (dropped).
TEST(Rocchio, NegativeFeedbackSubtractsAndDropsNonPositiveTerms) {
  const std::vector<std::string> query = {"cat", "dog"};
  const std::vector<FeatureVector> top = {vec({{"cat", 2}, {"fish", 1}, {"bird", 1}}),
                                          vec({{"cat", 1}, {"fish", 3}})};
  const std::vector<FeatureVector> bottom = {vec({{"fish", 1}})};
  RocchioParams p;
  p.top_fb_terms = 2;
  p.use_negative = true;
  p.gamma = 0.5f;
  EXPECT_NEAR(rocchio_query(query, top, bottom, p).value("fish"), 0.0757592, 1e-6);
  p.gamma = 1.0f;
  const auto q = rocchio_query(query, top, bottom, p);
  EXPECT_EQ(q.size(), 2u);
  EXPECT_EQ(q.value("fish"), 0.0f);
  p.use_negative = false;  // gamma is ignored without negative feedback
  EXPECT_NEAR(rocchio_query(query, top, bottom, p).value("fish"), 0.5757592, 1e-6);
}

// A 20-document index: "zebra" in d00 (twice) and d01, "herd" in d00..d02 (df 3/20 > 0.1, never
// a feedback term), "x" (too short) and "café" (not [a-z0-9]) in the feedback documents.
class TermFeedbackIndex : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string corpus;
    corpus += R"({"id":"d00","contents":"zebra zebra lion savanna herd x"})"
              "\n";
    corpus += R"({"id":"d01","contents":"zebra grass savanna herd caf\u00e9"})"
              "\n";
    corpus += R"({"id":"d02","contents":"herd lion"})"
              "\n";
    for (int i = 3; i < 20; ++i) {
      corpus += fmt::format(R"({{"id":"d{:02}","contents":"k{}{} k{}{}q"}})", i,
                            static_cast<char>('a' + i), static_cast<char>('a' + i),
                            static_cast<char>('a' + i), static_cast<char>('b' + i));
      corpus += "\n";
    }
    test::write_file(dir_ / "corpus.jsonl", corpus);
    index::BuildOptions build;
    build.corpus = dir_ / "corpus.jsonl";
    build.index_dir = dir_ / "idx";
    build.threads = 1;
    engine::build_index(build);
    index_ = engine::Index::open(build.index_dir);
  }
  test::TempDir dir_;
  engine::Index index_;
};

TEST_F(TermFeedbackIndex, DocumentVectorsReanalyseTheStoredTextAndFilter) {
  const TermFeedback fb(index_.shared_reader(), TermFeedbackOptions{});
  EXPECT_EQ(fb.field(), "contents");
  const auto d00 = fb.document_vector(*index_.reader().find("d00"), true);
  EXPECT_EQ(d00.size(), 3u);  // herd (df 3/20) and x (length 1) are filtered
  EXPECT_EQ(d00.value("zebra"), 2.0f);
  EXPECT_EQ(d00.value("lion"), 1.0f);
  EXPECT_EQ(d00.value("savanna"), 1.0f);
  const auto d01 = fb.document_vector(*index_.reader().find("d01"), true);
  EXPECT_EQ(d01.size(), 3u);  // café is not [a-z0-9]+
  const auto d01_all = fb.document_vector(*index_.reader().find("d01"), false);
  EXPECT_EQ(d01_all.size(), 4u);
  EXPECT_EQ(d01_all.value("caf\xC3\xA9"), 1.0f);
}

TEST_F(TermFeedbackIndex, Rm3SearchRunsTheExpandedQuery) {
  const Bm25Retriever bm25(index_.shared_reader(), Bm25Options{});
  SearchContext ctx;
  std::vector<IndexHit> first;
  bm25.search("zebra", 50, ctx, first);
  ASSERT_EQ(first.size(), 2u);  // d00 (tf 2) then d01
  const float s0 = first[0].score, s1 = first[1].score;
  // d00 = {zebra 2, lion 1, savanna 1} (|.|_1 = 4), d01 = {zebra 1, grass 1, savanna 1} (3):
  // rm = {zebra 2/4 s0 + 1/3 s1, lion s0/4, savanna s0/4 + s1/3, grass s1/3} / (s0 + s1);
  // q' = 0.5 {zebra 1} + 0.5 rm.
  const double z = s0 + s1;
  const std::map<std::string, double> expected = {{"zebra", 0.5 + 0.5 * (s0 / 2.0 + s1 / 3.0) / z},
                                                  {"lion", 0.5 * (s0 / 4.0) / z},
                                                  {"savanna", 0.5 * (s0 / 4.0 + s1 / 3.0) / z},
                                                  {"grass", 0.5 * (s1 / 3.0) / z}};
  const TermFeedback fb(index_.shared_reader(), TermFeedbackOptions{});
  const std::vector<std::string> qterms = {"zebra"};
  const auto expanded = fb.expand(qterms, first);
  ASSERT_EQ(expanded.size(), expected.size());
  for (const auto& wt : expanded) {
    ASSERT_TRUE(expected.count(wt.term)) << wt.term;
    EXPECT_NEAR(wt.weight, expected.at(wt.term), 1e-6) << wt.term;
  }
  EXPECT_EQ(expanded[0].term, "zebra");
  // The second search is BM25 with those weights: d02 (lion) is now found.
  std::vector<IndexHit> out;
  search_with_feedback(bm25, fb, "zebra", 10, ctx, out);
  ASSERT_EQ(out.size(), 3u);
  std::vector<IndexHit> direct;
  ctx.terms = expanded;
  bm25.search_terms(10, ctx, direct);
  for (std::size_t i = 0; i < out.size(); ++i) {
    EXPECT_EQ(out[i].at.doc, direct[i].at.doc);
    EXPECT_EQ(out[i].score, direct[i].score);
  }
  std::string scratch;
  EXPECT_EQ(index_.reader().external_id(out[2].at, scratch), "d02");
}

TEST_F(TermFeedbackIndex, OriginalQueryWeightOneKeepsTheBm25Ranking) {
  // q' = qfv (each of 2 distinct terms weighs 1/2) plus feedback terms at weight 0, so every score
  // is exactly half the BM25 score.
  engine::SearchOptions plain;
  plain.k = 20;
  engine::SearchOptions rm3 = plain;
  rm3.feedback = TermFeedbackOptions{};
  rm3.feedback->rm3.original_query_weight = 1.0f;
  const auto a = engine::Searcher(index_, plain).search("zebra lion");
  const auto b = engine::Searcher(index_, rm3).search("zebra lion");
  ASSERT_EQ(a.size(), b.size());
  ASSERT_GE(a.size(), 3u);
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].id, b[i].id);
    EXPECT_FLOAT_EQ(b[i].score, a[i].score * 0.5f);
  }
}

TEST_F(TermFeedbackIndex, RocchioSearchDiffersFromRm3AndIsDeterministic) {
  engine::SearchOptions o;
  o.k = 20;
  o.feedback = TermFeedbackOptions{};
  o.feedback->kind = TermFeedbackKind::rocchio;
  const engine::Searcher s(index_, o);
  const auto a = s.search("zebra");
  const auto b = s.search("zebra");
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].id, b[i].id);
  // Rocchio keeps café (no [a-z0-9] filter): d01 is the only document with it, and lion/grass
  // bring d02 in.
  ASSERT_EQ(a.size(), 3u);
  EXPECT_NE(s.settings_json().find("\"rocchio\""), std::string::npos);
}

TEST_F(TermFeedbackIndex, BadOptionsAreRejected) {
  TermFeedbackOptions o;
  o.rm3.original_query_weight = 1.5f;
  EXPECT_THROW(TermFeedback(index_.shared_reader(), o), Error);
  o = {};
  o.field = "nope";
  EXPECT_THROW(TermFeedback(index_.shared_reader(), o), Error);
  o = {};
  o.rm3.fb_docs = 0;
  EXPECT_THROW(TermFeedback(index_.shared_reader(), o), Error);
}

}  // namespace
}  // namespace tandem::pipeline
