// MaxSim (multi/maxsim.hpp) against a naive double-precision reference, and MaxSim re-ranking
// (pipeline/maxsim_reranker.hpp): without pruning it is the exact re-ranking of the reference; the
// bound pruning gives identical results; the approximate prunings score fewer candidates.
#include "tandem/multi/maxsim.hpp"

#include <algorithm>
#include <random>

#include <gtest/gtest.h>

#include "tandem/engine/engine.hpp"
#include "tandem/index/index_writer.hpp"
#include "tandem/pipeline/maxsim_reranker.hpp"

#include "test_support.hpp"

namespace tandem {
namespace {

double naive_maxsim(const std::vector<float>& q, std::size_t nq, const float* d, std::size_t nd,
                    std::size_t dim) {
  double total = 0;
  for (std::size_t i = 0; i < nq; ++i) {
    double best = -1e300;
    for (std::size_t j = 0; j < nd; ++j) {
      double s = 0;
      for (std::size_t c = 0; c < dim; ++c) s += double(q[i * dim + c]) * double(d[j * dim + c]);
      best = std::max(best, s);
    }
    total += best;
  }
  return total;
}

TEST(MaxSim, HandExample) {
  // q1 = (1, 0), q2 = (0, 1); d1 = (2, 1), d2 = (0, 3): max(2, 0) + max(1, 3) = 5.
  const std::vector<float> q = {1, 0, 0, 1};
  const std::vector<float> d = {2, 1, 0, 3};
  EXPECT_FLOAT_EQ(multi::maxsim(q.data(), 2, d.data(), 2, 2), 5.0f);
}

TEST(MaxSim, MatchesTheDoubleReferenceOnRandomData) {
  std::mt19937 rng(42);
  std::normal_distribution<float> g;
  for (int trial = 0; trial < 50; ++trial) {
    const std::size_t dim = 1 + rng() % 70, nq = 1 + rng() % 12, nd = 1 + rng() % 40;
    std::vector<float> q(nq * dim), d(nd * dim);
    for (auto& v : q) v = g(rng);
    for (auto& v : d) v = g(rng);
    const double ref = naive_maxsim(q, nq, d.data(), nd, dim);
    EXPECT_NEAR(multi::maxsim(q.data(), nq, d.data(), nd, dim), ref, 1e-4 * (1 + std::abs(ref)));
  }
}

// An index of 300 documents with random token vectors (some without), for re-ranking tests.
class MaxSimIndex : public ::testing::TestWithParam<multi::TokenEncoding> {
 protected:
  static constexpr std::size_t kDim = 16;
  void SetUp() override {
    std::mt19937 rng(1234);
    std::normal_distribution<float> g;
    std::string corpus, mv;
    for (int i = 0; i < 300; ++i) {
      corpus += fmt::format("{{\"id\":\"d{:03}\",\"contents\":\"w{} common\"}}\n", i, i % 7);
      if (i % 10 == 3) continue;  // no token vectors
      const std::size_t n = 1 + rng() % 20;
      std::string rows;
      std::vector<float> tok;
      for (std::size_t t = 0; t < n; ++t) {
        std::string row;
        for (std::size_t c = 0; c < kDim; ++c) {
          const float v = g(rng);
          tok.push_back(v);
          row += fmt::format("{}{:.6f}", c ? "," : "", v);
        }
        rows += fmt::format("{}[{}]", t ? "," : "", row);
      }
      mv += fmt::format("{{\"id\":\"d{:03}\",\"vectors\":[{}]}}\n", i, rows);
    }
    test::write_file(dir_ / "c.jsonl", corpus);
    test::write_file(dir_ / "mv.jsonl", mv);
    index::BuildOptions b;
    b.corpus = dir_ / "c.jsonl";
    b.index_dir = dir_ / "idx";
    b.threads = 1;
    b.multivec = dir_ / "mv.jsonl";
    b.settings.multivec = multi::MultiVectorSettings{0, GetParam()};
    engine::build_index(b);
    index_ = index::IndexReader::open(b.index_dir);
    // Candidates: every document, with a decreasing first-stage score.
    for (DocId d = 0; d < 300; ++d)
      candidates_.push_back({{0, d}, 100.0f - static_cast<float>(d) * 0.25f});
    std::shuffle(candidates_.begin(), candidates_.end(), rng);
    std::stable_sort(candidates_.begin(), candidates_.end(),
                     [](const auto& x, const auto& y) { return x.score > y.score; });
    query_.resize(5 * kDim);
    for (auto& v : query_) v = g(rng);
  }
  // The reference: every candidate with vectors, scored in double from the decoded tokens,
  // sorted by score then id.
  std::vector<std::pair<double, DocId>> reference() const {
    const auto* s = index_->segments()[0]->multivec();
    std::vector<std::pair<double, DocId>> out;
    std::vector<float> tokens;
    for (const auto& c : candidates_) {
      const auto row = s->row_of(c.at.doc);
      if (!row) continue;
      tokens.resize(s->token_count(*row) * kDim);
      for (std::size_t j = 0; j < s->token_count(*row); ++j)
        s->decode(*row, j, tokens.data() + j * kDim);
      out.emplace_back(naive_maxsim(query_, 5, tokens.data(), s->token_count(*row), kDim),
                       c.at.doc);
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    return out;
  }
  test::TempDir dir_;
  std::shared_ptr<const index::IndexReader> index_;
  std::vector<pipeline::IndexHit> candidates_;
  std::vector<float> query_;
};

TEST_P(MaxSimIndex, NoPruningIsTheExactReranking) {
  pipeline::MaxSimOptions o;
  o.k = 300;
  o.bound = false;
  std::vector<pipeline::IndexHit> out;
  pipeline::MaxSimStats st;
  pipeline::maxsim_rerank(*index_, query_, 5, candidates_, o, out, &st);
  const auto ref = reference();
  ASSERT_EQ(out.size(), ref.size());
  EXPECT_EQ(st.missing, 30u);
  EXPECT_EQ(st.scored, 270u);
  for (std::size_t i = 0; i < out.size(); ++i) {
    EXPECT_NEAR(out[i].score, ref[i].first, 1e-3 * (1 + std::abs(ref[i].first)));
    if (i + 1 < out.size() && std::abs(ref[i].first - ref[i + 1].first) > 1e-3 &&
        (i == 0 || std::abs(ref[i].first - ref[i - 1].first) > 1e-3)) {
      EXPECT_EQ(out[i].at.doc, ref[i].second) << "rank " << i;  // where no near-tie blurs it
    }
    if (i > 0) {
      EXPECT_GE(out[i - 1].score, out[i].score);
    }
  }
}

TEST_P(MaxSimIndex, BoundPruningGivesIdenticalTopK) {
  for (const std::size_t k : {1u, 10u, 50u}) {
    pipeline::MaxSimOptions exact;
    exact.k = k;
    exact.bound = false;
    pipeline::MaxSimOptions bounded = exact;
    bounded.bound = true;
    std::vector<pipeline::IndexHit> a, b;
    pipeline::MaxSimStats sa, sb;
    pipeline::maxsim_rerank(*index_, query_, 5, candidates_, exact, a, &sa);
    pipeline::maxsim_rerank(*index_, query_, 5, candidates_, bounded, b, &sb);
    ASSERT_EQ(a.size(), k);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].at.doc, b[i].at.doc) << "k " << k << " rank " << i;
      EXPECT_EQ(a[i].score, b[i].score);
    }
    EXPECT_EQ(sb.scored + sb.abandoned, sa.scored);
  }
}

TEST_P(MaxSimIndex, ApproximatePruningsScoreFewerCandidates) {
  pipeline::MaxSimOptions o;
  o.k = 10;
  o.bound = false;
  o.candidate_ratio = 0.8;  // first-stage scores 100 - 0.25 d >= 80: d <= 80
  std::vector<pipeline::IndexHit> out;
  pipeline::MaxSimStats st;
  pipeline::maxsim_rerank(*index_, query_, 5, candidates_, o, out, &st);
  EXPECT_EQ(st.skipped_ratio, 219u);  // d = 81..299
  EXPECT_EQ(st.scored + st.missing, 81u);
  for (const auto& h : out) EXPECT_LE(h.at.doc, 80u);
  o.candidate_ratio = 0;
  o.patience = 5;
  pipeline::maxsim_rerank(*index_, query_, 5, candidates_, o, out, &st);
  EXPECT_GT(st.skipped_exit, 0u);
  EXPECT_EQ(st.scored + st.missing + st.skipped_exit, 300u);
  EXPECT_EQ(out.size(), 10u);
}

// Even when handed deleted documents as candidates (first stages never return them), MaxSim never
// scores one: d000..d049 are deleted (d003, d013, ... have no token vectors).
TEST_P(MaxSimIndex, NeverScoresADeletedCandidate) {
  index::DeleteOptions del;
  del.index_dir = dir_ / "idx";
  for (int i = 0; i < 50; ++i) del.ids.push_back(fmt::format("d{:03}", i));
  ASSERT_EQ(index::delete_documents(del).deleted, 50u);
  const auto reader = index::IndexReader::open(dir_ / "idx");
  pipeline::MaxSimOptions o;
  o.k = 300;
  std::vector<pipeline::IndexHit> out;
  pipeline::MaxSimStats st;
  pipeline::maxsim_rerank(*reader, query_, 5, candidates_, o, out, &st);
  EXPECT_EQ(st.scored, 270u - 45u);
  EXPECT_EQ(st.missing, 30u + 45u);
  ASSERT_EQ(out.size(), 225u);
  for (const auto& h : out) EXPECT_GE(h.at.doc, 50u) << "a deleted document was returned";
}

INSTANTIATE_TEST_SUITE_P(Encodings, MaxSimIndex,
                         ::testing::Values(multi::TokenEncoding::f32, multi::TokenEncoding::int8),
                         [](const ::testing::TestParamInfo<multi::TokenEncoding>& p) {
                           return std::string(multi::to_string(p.param));
                         });

}  // namespace
}  // namespace tandem
