// search(): hand-computed rankings, ties, the algorithm registry, errors, and no allocation when
// warm.
#include "tandem/sparse/search.hpp"

#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "tandem/core/error.hpp"
#include "tandem/core/top_k.hpp"
#include "tandem/sparse/query/top_k_buffer.hpp"

#include "allocation_counter.hpp"
#include "sparse_test_index.hpp"

namespace tandem::sparse {
namespace {

// Lucene's formula written out independently of the library, for the expected values.
float lucene_term_score(float weight, std::uint32_t freq, std::uint32_t length, float k1, float b,
                        float avgdl) {
  const float len = static_cast<float>(lucene_norm_length(lucene_norm(length)));
  const float inv = 1.0f / (k1 * ((1.0f - b) + b * len / avgdl));
  return weight - weight / (1.0f + static_cast<float>(freq) * inv);
}

// Docs 0..5: "a" in 0, 1, 2, 4 (freq 1, 3, 1, 1); "b" in 1, 2, 3 (freq 2, 1, 1). Docs 2 and 4 are
// copies of each other for "a" (same length): a tie broken by DocId.
test::SparseTestIndex small_index() {
  test::SparseTestIndex ix;
  ix.lengths = {4, 10, 4, 7, 4, 3};
  ix.terms = {{{0, 1, 2, 4}, {1, 3, 1, 1}}, {{1, 2, 3}, {2, 1, 1}}};
  ix.encode();
  return ix;
}

std::vector<Hit> run(QueryAlgorithm a, std::span<const QueryTerm> terms, std::size_t k) {
  TopK top(k);
  SearchScratch scratch;
  search(a, terms, top, scratch);
  return top.take_sorted();
}

TEST(Search, HandComputedRanking) {
  const test::SparseTestIndex ix = small_index();
  const Bm25Model model({0.9f, 0.4f}, LengthMode::lucene, 6, 32);
  const std::vector<QueryTerm> terms = {ix.query_term(model, 0, 1.0f),
                                        ix.query_term(model, 1, 2.0f)};
  const float avgdl = 32.0f / 6.0f;
  ASSERT_EQ(model.avgdl(), avgdl);
  const float wa = 1.0f * static_cast<float>(std::log(1.0 + (6 - 4 + 0.5) / (4 + 0.5)));
  const float wb = 2.0f * static_cast<float>(std::log(1.0 + (6 - 3 + 0.5) / (3 + 0.5)));
  auto a = [&](std::uint32_t f, std::uint32_t len) {
    return lucene_term_score(wa, f, len, 0.9f, 0.4f, avgdl);
  };
  auto b = [&](std::uint32_t f, std::uint32_t len) {
    return lucene_term_score(wb, f, len, 0.9f, 0.4f, avgdl);
  };
  const float s0 = a(1, 4);
  const float s1 = static_cast<float>(double{a(3, 10)} + double{b(2, 10)});
  const float s2 = static_cast<float>(double{a(1, 4)} + double{b(1, 4)});
  const float s3 = b(1, 7);
  const float s4 = a(1, 4);
  ASSERT_EQ(s0, s4);
  std::vector<Hit> expected = {{0, s0}, {1, s1}, {2, s2}, {3, s3}, {4, s4}};
  std::sort(expected.begin(), expected.end(), ranks_before);
  for (QueryAlgorithm alg : kQueryAlgorithms) {
    SCOPED_TRACE(std::string(to_string(alg)));
    EXPECT_EQ(run(alg, terms, 10), expected);
    for (std::size_t k = 1; k <= 5; ++k) {
      EXPECT_EQ(
          run(alg, terms, k),
          std::vector<Hit>(expected.begin(), expected.begin() + static_cast<std::ptrdiff_t>(k)));
    }
    EXPECT_TRUE(run(alg, terms, 0).empty());
    EXPECT_TRUE(run(alg, {}, 10).empty());
  }
  // Docs 0 and 4 tie: 0 first.
  const auto hits = run(QueryAlgorithm::exhaustive, terms, 10);
  const auto p0 = std::find_if(hits.begin(), hits.end(), [](const Hit& h) { return h.doc == 0; });
  const auto p4 = std::find_if(hits.begin(), hits.end(), [](const Hit& h) { return h.doc == 4; });
  EXPECT_LT(p0, p4);
}

TEST(Search, SumsInQueryTermOrder) {
  // The same two terms in the other order are another query: scores are the double sums in that
  // order. With two terms a + b == b + a in double, so the hits must agree exactly.
  const test::SparseTestIndex ix = small_index();
  const Bm25Model model({0.9f, 0.4f}, LengthMode::lucene, 6, 32);
  const std::vector<QueryTerm> ab = {ix.query_term(model, 0, 1.0f), ix.query_term(model, 1, 1.0f)};
  const std::vector<QueryTerm> ba = {ab[1], ab[0]};
  EXPECT_EQ(run(QueryAlgorithm::wand, ab, 10), run(QueryAlgorithm::wand, ba, 10));
}

TEST(Search, RepeatedTermCountsTwice) {
  const test::SparseTestIndex ix = small_index();
  const Bm25Model model({0.9f, 0.4f}, LengthMode::lucene, 6, 32);
  const QueryTerm t = ix.query_term(model, 1, 1.0f);
  const std::vector<QueryTerm> twice = {t, t};
  const std::vector<Hit> once =
      run(QueryAlgorithm::exhaustive, std::span<const QueryTerm>(&t, 1), 10);
  for (QueryAlgorithm alg : kQueryAlgorithms) {
    const std::vector<Hit> hits = run(alg, twice, 10);
    ASSERT_EQ(hits.size(), once.size());
    for (std::size_t i = 0; i < hits.size(); ++i) {
      EXPECT_EQ(hits[i].doc, once[i].doc);
      EXPECT_EQ(hits[i].score, static_cast<float>(double{once[i].score} + double{once[i].score}));
    }
  }
}

TEST(Search, Errors) {
  const test::SparseTestIndex ix = small_index();
  const Bm25Model lucene({0.9f, 0.4f}, LengthMode::lucene, 6, 32);
  const Bm25Model exact({0.9f, 0.4f}, LengthMode::exact, 6, 32);
  TopK top(10);
  SearchScratch scratch;
  const std::vector<QueryTerm> mixed = {ix.query_term(lucene, 0, 1.0f),
                                        ix.query_term(exact, 1, 1.0f)};
  EXPECT_THROW(search(QueryAlgorithm::maxscore, mixed, top, scratch), Error);
  QueryTerm outside = ix.query_term(lucene, 0, 1.0f);
  outside.offset = ix.postings.size();
  EXPECT_THROW(
      search(QueryAlgorithm::maxscore, std::span<const QueryTerm>(&outside, 1), top, scratch),
      Error);
  const std::vector<QueryTerm> too_many(kMaxQueryTerms + 1, ix.query_term(lucene, 0, 1.0f));
  try {
    search(QueryAlgorithm::exhaustive, too_many, top, scratch);
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::limit_exceeded);
  }
}

TEST(QueryAlgorithmRegistry, ParsesNamesAndAliases) {
  for (QueryAlgorithm a : kQueryAlgorithms) EXPECT_EQ(parse_query_algorithm(to_string(a)), a);
  EXPECT_EQ(parse_query_algorithm("bmw"), QueryAlgorithm::block_max_wand);
  EXPECT_EQ(parse_query_algorithm("bmm"), QueryAlgorithm::block_max_maxscore);
  EXPECT_EQ(to_string(QueryAlgorithm::maxscore), "maxscore");
  try {
    parse_query_algorithm("Wand");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::invalid_argument);
    EXPECT_NE(std::string(e.what()).find("block_max_wand"), std::string::npos);
  }
}

TEST(Search, AllocatesNothingOnceWarm) {
  test::SparseTestIndex ix;
  ix.lengths.assign(5000, 9);
  for (int t = 0; t < 4; ++t) {
    test::RawPostings p;
    for (DocId d = static_cast<DocId>(t); d < 5000; d += static_cast<DocId>(1 + t * 3)) {
      p.docs.push_back(d);
      p.freqs.push_back(1 + d % 4);
    }
    ix.terms.push_back(p);
  }
  ix.encode();
  const Bm25Model model({0.9f, 0.4f}, LengthMode::lucene, 5000, 45000);
  std::vector<QueryTerm> terms;
  for (std::size_t t = 0; t < 4; ++t) terms.push_back(ix.query_term(model, t, 1.0f));
  SearchScratch scratch;
  TopK top(100);
  for (QueryAlgorithm alg : kQueryAlgorithms) search(alg, terms, top, scratch);  // warm up
  for (QueryAlgorithm alg : kQueryAlgorithms) {
    top.reset(100);
    test::start_counting_allocations();
    search(alg, terms, top, scratch);
    EXPECT_EQ(test::stop_counting_allocations(), 0) << to_string(alg);
    EXPECT_EQ(top.size(), 100u);
    EXPECT_GT(scratch.stats().postings_scored, 0u);
  }
}

}  // namespace
}  // namespace tandem::sparse

namespace tandem::sparse {
namespace {

TEST(TopKBuffer, KeepsWhatTopKKeeps) {
  std::mt19937 rng(12);
  for (std::size_t k : {1u, 2u, 10u, 100u, 1000u}) {
    for (int round = 0; round < 20; ++round) {
      TopK reference(k);
      TopK out(k);
      TopKBuffer buffer;
      buffer.reset(out);
      Score floor = -INFINITY;
      for (DocId d = 0; d < 5000; ++d) {
        // Few distinct scores: many ties, which must go to the smaller DocId.
        const Score s = static_cast<Score>(rng() % (round % 2 ? 7 : 100000));
        reference.insert(d, s);
        buffer.insert(d, s);
        // The buffer's threshold never exceeds the exact one: it prunes only what a heap prunes.
        ASSERT_LE(buffer.threshold(), reference.threshold());
        ASSERT_GE(buffer.threshold(), floor);
        floor = buffer.threshold();
      }
      buffer.flush(out);
      EXPECT_EQ(out.take_sorted(), reference.take_sorted()) << k << " " << round;
    }
  }
}

TEST(TopKBuffer, StartsFromTheCallersThreshold) {
  TopK out(2);
  out.insert(100, 5.0f);
  out.insert(101, 6.0f);
  TopKBuffer buffer;
  buffer.reset(out);
  EXPECT_EQ(buffer.threshold(), 5.0f);
  EXPECT_FALSE(buffer.insert(1, 5.0f));  // not above the caller's threshold
  buffer.insert(2, 7.0f);
  buffer.flush(out);
  EXPECT_EQ(out.take_sorted(), (std::vector<Hit>{{2, 7.0f}, {101, 6.0f}}));
}

}  // namespace
}  // namespace tandem::sparse
