// BM25 against Lucene 8.8: norms (SmallFloat), idf, avgdl, the norm cache and BM25Scorer.score.
//
// Expected values are either derived by hand from Lucene's algorithms (worked in the comments) or
// were printed by Lucene 8.8.1 itself (Debian liblucene8-java, BM25Similarity(0.9f,
// 0.4f).scorer(...) .score(freq, norm) and SmallFloat) and are written here as hexadecimal floats.
#include "tandem/sparse/bm25.hpp"

#include <cmath>
#include <cstdint>

#include <gtest/gtest.h>

#include "tandem/core/error.hpp"
#include "tandem/sparse/scorer/bm25_scorer.hpp"

namespace tandem::sparse {
namespace {

TEST(LuceneNorm, SmallLengthsAreExact) {
  // NUM_FREE_VALUES = 255 - longToInt4(2^31 - 1) = 255 - (7 | 28 << 3) = 24.
  for (std::uint32_t len = 0; len < 24; ++len) {
    EXPECT_EQ(lucene_norm(len), len);
    EXPECT_EQ(lucene_norm_length(static_cast<std::uint8_t>(len)), len);
  }
}

TEST(LuceneNorm, WorkedExamples) {
  // 24 + longToInt4(i - 24): i - 24 < 8 is "subnormal" (kept as is); otherwise 4 significant bits,
  // the leading one implicit, and the shift + 1 in the high bits.
  EXPECT_EQ(lucene_norm(31), 31);   // 7: subnormal
  EXPECT_EQ(lucene_norm(32), 32);   // 8 = 0b1000: shift 0, mantissa 0 -> 0 | 1 << 3 = 8
  EXPECT_EQ(lucene_norm(40), 40);   // 16: shift 1, 16 >> 1 = 8 -> 0 | 2 << 3 = 16
  EXPECT_EQ(lucene_norm(100), 57);  // 76 = 0b1001100: shift 3, 76 >> 3 = 9 -> 1 | 4 << 3 = 33
  EXPECT_EQ(lucene_norm_length(57), 96u);   // 33: (1 | 8) << 3 = 72, + 24
  EXPECT_EQ(lucene_norm(1000), 87);         // 976: shift 6, 976 >> 6 = 15 -> 7 | 7 << 3 = 63
  EXPECT_EQ(lucene_norm_length(87), 984u);  // 63: (7 | 8) << 6 = 960, + 24
  // Printed by Lucene: intToByte4(65536) = 135 -> 61464; intToByte4(2^20) = 167 -> 983064.
  EXPECT_EQ(lucene_norm(65536), 135);
  EXPECT_EQ(lucene_norm_length(135), 61464u);
  EXPECT_EQ(lucene_norm(1u << 20), 167);
  EXPECT_EQ(lucene_norm_length(167), 983064u);
  EXPECT_EQ(lucene_norm(0x7FFFFFFF), 255);
  EXPECT_EQ(lucene_norm_length(255), 2013265944u);
  EXPECT_EQ(lucene_norm_length(254), 1879048216u);
  EXPECT_EQ(lucene_norm_length(100), 3096u);
  EXPECT_EQ(lucene_norm_length(200), 16777240u);
  // Beyond Lucene's int range: clamped to the largest byte, whose length is still below.
  EXPECT_EQ(lucene_norm(0xFFFFFFFFu), 255);
}

TEST(LuceneNorm, MonotoneAndRoundsDown) {
  std::uint8_t prev = 0;
  for (std::uint64_t len = 0; len <= 0xFFFFFFFFull;
       len = len < 100000 ? len + 1 : len * 1009 / 1000) {
    const auto l = static_cast<std::uint32_t>(len);
    const std::uint8_t n = lucene_norm(l);
    EXPECT_GE(n, prev) << len;
    EXPECT_LE(lucene_norm_length(n), l) << len;
    prev = n;
  }
  for (unsigned n = 0; n < 256; ++n) {
    const auto b = static_cast<std::uint8_t>(n);
    EXPECT_EQ(lucene_norm(lucene_norm_length(b)), b) << n;  // every byte is reached by its length
    if (n > 0) {
      EXPECT_GT(lucene_norm_length(b), lucene_norm_length(static_cast<std::uint8_t>(n - 1)));
    }
  }
}

TEST(Bm25, IdfMatchesLucene) {
  // ln(1 + (10 - 5 + 0.5) / (5 + 0.5)) = ln 2 = 0x1.62e42fefa39efp-1, rounded to float.
  EXPECT_EQ(bm25_idf(5, 10), 0x1.62e43p-1f);
  EXPECT_EQ(bm25_idf(1, 3), 0x1.f62f4p-1f);  // ln(8 / 3) = 0.98083
  EXPECT_EQ(bm25_idf(10, 1000), 0x1.23ac1cp2f);
  EXPECT_EQ(bm25_idf(1000000, 1000000), 0x1.0c6f6cp-21f);  // a term in every document: tiny but > 0
  EXPECT_EQ(bm25_idf(1, 1000000), 0x1.ad1f1ap3f);
  EXPECT_EQ(bm25_idf(1, 8841823), 0x1.f2dd8p3f);
}

TEST(Bm25, AvgdlAndCache) {
  const Bm25Model model({0.9f, 0.4f}, LengthMode::lucene, 1000, 12345);
  EXPECT_EQ(model.avgdl(), 0x1.8b0a3ep3f);  // (float) 12.345
  // cache[n] = 1f / (k1 * ((1 - b) + b * L[n] / avgdl)) in float, in that order.
  for (unsigned n = 0; n < 256; ++n) {
    const float len = static_cast<float>(lucene_norm_length(static_cast<std::uint8_t>(n)));
    const float k1 = 0.9f;
    const float b = 0.4f;
    const float step1 = b * len;
    const float step2 = step1 / model.avgdl();
    const float step3 = (1.0f - b) + step2;
    EXPECT_EQ(model.norm_inverse()[n], 1.0f / (k1 * step3)) << n;
  }
  const Bm25Model msmarco({0.9f, 0.4f}, LengthMode::lucene, 8841823, 495470223);
  EXPECT_EQ(msmarco.avgdl(), 0x1.c04c02p5f);
}

TEST(Bm25, LuceneScoresBitForBit) {
  // BM25Similarity(0.9f, 0.4f), docCount 1000, sumTotalTermFreq 12345, docFreq 10.
  const Bm25Model model({0.9f, 0.4f}, LengthMode::lucene, 1000, 12345);
  std::vector<std::uint8_t> norms = {0, 1, 10, 40, 57, 255};
  const DocLengths lengths{norms, {}};
  struct Case {
    float boost;
    std::uint32_t freq;
    DocId doc;  // indexes norms
    float expected;
  };
  const Case cases[] = {
      {1, 1, 0, 0x1.7acb92p1f}, {1, 1, 1, 0x1.73c16cp1f}, {1, 1, 2, 0x1.3e7c7ep1f},
      {1, 1, 3, 0x1.af1338p0f}, {1, 1, 4, 0x1.0cda4p0f},  {1, 1, 5, 0.0f},
      {1, 2, 0, 0x1.cb5394p1f}, {1, 2, 4, 0x1.b50088p0f}, {1, 7, 0, 0x1.0ec886p2f},
      {1, 7, 3, 0x1.d5025ep1f}, {1, 7, 5, 0x1.0p-21f},    {2, 1, 0, 0x1.7acb92p2f},
      {2, 2, 2, 0x1.9c05bcp2f}, {2, 7, 4, 0x1.8aeec6p2f}, {2, 7, 5, 0x1.0p-20f},
  };
  for (const Case& c : cases) {
    const Bm25LuceneScorer s(model.term_scorer(10, c.boost, lengths));
    EXPECT_EQ(s.score(c.doc, c.freq), c.expected) << c.boost << " " << c.freq << " " << c.doc;
  }
}

TEST(Bm25, MsMarcoLikeScoresBitForBit) {
  // MS MARCO passage statistics, Anserini's k1 = 0.9, b = 0.4, a term of df 1234 with boost 3.
  const Bm25Model model({0.9f, 0.4f}, LengthMode::lucene, 8841823, 495470223);
  std::vector<std::uint8_t> norms = {0, 30, 57, 120};
  const Bm25LuceneScorer s(model.term_scorer(1234, 3.0f, DocLengths{norms, {}}));
  const float expected[4][4] = {
      {0x1.14ac34p4f, 0x1.ebcc24p3f, 0x1.8b1cb6p3f, 0x1.fdfp-3f},
      {0x1.6914dp4f, 0x1.567016p4f, 0x1.3381f8p4f, 0x1.776e4p-1f},
      {0x1.a9d892p4f, 0x1.a9c392p4f, 0x1.a9956ap4f, 0x1.8142p4f},
      {0x1.aa12dap4f, 0x1.aa12a4p4f, 0x1.aa122ep4f, 0x1.a99ffep4f},
  };
  const std::uint32_t freqs[4] = {1, 3, 1000, 100000};
  for (int f = 0; f < 4; ++f) {
    for (DocId d = 0; d < 4; ++d) EXPECT_EQ(s.score(d, freqs[f]), expected[f][d]) << f << " " << d;
  }
}

TEST(Bm25, HandComputedWithoutLengthNormalisation) {
  // b = 0, k1 = 1: cache = 1 / (1 * (1 + 0)) = 1, score = w - w / (1 + f): w/2 for f = 1, 3w/4 for
  // f = 3 (exact in float). idf(5, 10) = ln 2 as above.
  const Bm25Model model({1.0f, 0.0f}, LengthMode::lucene, 10, 50);
  std::vector<std::uint8_t> norms = {0, 200};
  const Bm25LuceneScorer s(model.term_scorer(5, 1.0f, DocLengths{norms, {}}));
  const float w = 0x1.62e43p-1f;
  EXPECT_EQ(s.score(0, 1), w / 2);
  EXPECT_EQ(s.score(1, 1), w / 2);  // b = 0: length does not matter
  EXPECT_EQ(s.score(0, 3), w * 0.75f);
  EXPECT_EQ(s.bound(3.0f, 7), w * 0.75f);
}

TEST(Bm25, ExactLengthMode) {
  const Bm25Model model({0.9f, 0.4f}, LengthMode::exact, 1000, 12345);
  std::vector<std::uint32_t> lengths = {1, 12, 100, 1000, 65536};
  const float w = 2.0f * 0x1.23ac1cp2f;  // boost 2 * idf(10, 1000)
  const Bm25ExactScorer s(model.term_scorer(10, 2.0f, DocLengths{{}, lengths}));
  for (DocId d = 0; d < lengths.size(); ++d) {
    for (std::uint32_t f : {1u, 2u, 50u}) {
      const float len = static_cast<float>(lengths[d]);
      const float inv = 1.0f / (0.9f * ((1.0f - 0.4f) + 0.4f * len / model.avgdl()));
      const float expected = w - w / (1.0f + static_cast<float>(f) * inv);
      EXPECT_EQ(s.score(d, f), expected) << d << " " << f;
      // The bound on the document's norm byte is >= the exact score (the norm rounds length down).
      EXPECT_GE(s.bound(static_cast<float>(f), lucene_norm(lengths[d])), expected);
    }
  }
  // Lengths 100 and 1000 are not exact norms (96, 984): exact scores are strictly lower there.
  // (The scorer refers to the model and the norms: both must outlive it.)
  const Bm25Model lucene_model({0.9f, 0.4f}, LengthMode::lucene, 1000, 12345);
  const std::vector<std::uint8_t> norm_96 = {57};
  const Bm25LuceneScorer lucene(lucene_model.term_scorer(10, 2.0f, DocLengths{norm_96, {}}));
  EXPECT_LT(s.score(2, 1), lucene.score(0, 1));
}

TEST(Bm25, RejectsBadParameters) {
  EXPECT_THROW(Bm25Model({-1.0f, 0.4f}, LengthMode::lucene, 10, 10), Error);
  EXPECT_THROW(Bm25Model({INFINITY, 0.4f}, LengthMode::lucene, 10, 10), Error);
  EXPECT_THROW(Bm25Model({0.9f, 1.5f}, LengthMode::lucene, 10, 10), Error);
  EXPECT_THROW(Bm25Model({0.9f, NAN}, LengthMode::lucene, 10, 10), Error);
  EXPECT_THROW(Bm25Model({0.9f, 0.4f}, LengthMode::lucene, 0, 0), Error);
  EXPECT_THROW(Bm25Model({0.9f, 0.4f}, LengthMode::lucene, 10, 9), Error);
  const Bm25Model model({0.9f, 0.4f}, LengthMode::lucene, 10, 100);
  std::vector<std::uint8_t> norms = {1};
  EXPECT_THROW(model.term_scorer(11, 1.0f, DocLengths{norms, {}}), Error);
  EXPECT_THROW(model.term_scorer(1, -1.0f, DocLengths{norms, {}}), Error);
  EXPECT_THROW(model.term_scorer(1, NAN, DocLengths{norms, {}}), Error);
  EXPECT_THROW(model.term_scorer(1, 1.0f, DocLengths{}), Error);
  try {
    model.term_scorer(11, 1.0f, DocLengths{norms, {}});
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::invalid_argument);
  }
}

TEST(Bm25, ScoreIsMonotoneInFreqAndNorm) {
  const Bm25Model model({0.9f, 0.4f}, LengthMode::lucene, 1000, 12345);
  std::vector<std::uint8_t> norms(256);
  for (unsigned n = 0; n < 256; ++n) norms[n] = static_cast<std::uint8_t>(n);
  const Bm25LuceneScorer s(model.term_scorer(10, 3.0f, DocLengths{norms, {}}));
  for (DocId n = 1; n < 256; ++n) {
    for (std::uint32_t f : {1u, 2u, 3u, 10u, 1000u, 1u << 30}) {
      EXPECT_LE(s.score(n, f), s.score(n - 1, f));
      EXPECT_LE(s.score(n, f), s.score(n, f + 1));
    }
  }
}

}  // namespace
}  // namespace tandem::sparse
