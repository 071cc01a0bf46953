#include "tandem/dense/flat_search.hpp"

#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>

#include "tandem/core/error.hpp"
#include "tandem/io/vector_file.hpp"

#include "dense_test_data.hpp"
#include "test_support.hpp"

namespace tandem::dense {
namespace {

// The oracle: every row scored in double and rounded to float (the reported score), ordered by
// that score then row (the engine's result order: rows whose doubles round to the same float tie).
std::vector<Hit> brute_force(const VectorStore& store, const float* q, std::size_t k,
                             RowFilter filter = {}) {
  std::vector<std::pair<float, std::size_t>> all;
  for (std::size_t r = 0; r < store.rows(); ++r) {
    if (!row_allowed(filter, r)) continue;
    double s = 0;
    for (std::size_t j = 0; j < store.dim(); ++j) {
      const double a = q[j], b = store.row(r)[j];
      s += store.metric() == Metric::l2 ? -(a - b) * (a - b) : a * b;
    }
    all.emplace_back(static_cast<float>(s), r);
  }
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return a.first > b.first || (a.first == b.first && a.second < b.second);
  });
  std::vector<Hit> out;
  for (std::size_t i = 0; i < std::min(k, all.size()); ++i)
    out.push_back({static_cast<DocId>(all[i].second), static_cast<Score>(all[i].first)});
  return out;
}

std::vector<DocId> identity(std::size_t n) {
  std::vector<DocId> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<DocId>(i);
  return v;
}

void expect_exact(const VectorStore& store, const std::vector<float>& queries, std::size_t k,
                  const ExactSearchOptions& o, RowFilter filter = {}) {
  const std::size_t nq = queries.size() / store.dim();
  std::vector<std::vector<Hit>> got;
  ExactSearchStats stats;
  exact_search(store, queries, nq, o, got, filter, &stats);
  ASSERT_EQ(got.size(), nq);
  for (std::size_t q = 0; q < nq; ++q) {
    const auto want = brute_force(store, queries.data() + q * store.dim(), k, filter);
    ASSERT_EQ(got[q].size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
      ASSERT_EQ(got[q][i].doc, want[i].doc) << "query " << q << " rank " << i;
      EXPECT_NEAR(got[q][i].score, want[i].score, 1e-5 * std::max(1.0f, std::abs(want[i].score)));
    }
  }
}

class FlatSearchRandom : public ::testing::TestWithParam<Metric> {};

TEST_P(FlatSearchRandom, EqualsBruteForceWithAndWithoutBlas) {
  const Metric metric = GetParam();
  for (std::size_t d : {3, 17, 64, 100}) {
    test::TempDir dir;
    const std::size_t n = 3000;
    auto x = test_data::clustered(n, d, 42 + d);
    auto q = test_data::clustered(40, d, 1000 + d);
    if (metric == Metric::cosine) {
      test_data::normalise(x, d);
      test_data::normalise(q, d);
    }
    write_vector_store(dir / "v", metric, d, identity(n), x);
    const VectorStore store(dir / "v");
    ExactSearchOptions o;
    o.k = 10;
    o.doc_block = 700;  // several blocks, the last one partial
    o.query_block = 16;
    expect_exact(store, q, 10, o);
    o.blas_min_queries = 0;  // the SIMD row kernel
    expect_exact(store, q, 10, o);
    o.k = 100;
    o.threads = 2;
    expect_exact(store, q, 100, o);
  }
}

INSTANTIATE_TEST_SUITE_P(Metrics, FlatSearchRandom,
                         ::testing::Values(Metric::ip, Metric::cosine, Metric::l2));

TEST(FlatSearch, FilterKeepsOnlyAllowedRows) {
  test::TempDir dir;
  const std::size_t n = 1000, d = 16;
  const auto x = test_data::clustered(n, d, 5);
  const auto q = test_data::clustered(8, d, 6);
  write_vector_store(dir / "v", Metric::l2, d, identity(n), x);
  const VectorStore store(dir / "v");
  std::vector<std::uint64_t> bits((n + 63) / 64, 0);
  for (std::size_t r = 0; r < n; r += 7) bits[r / 64] |= std::uint64_t{1} << (r % 64);
  ExactSearchOptions o;
  o.k = 20;
  expect_exact(store, q, 20, o, bits);
}

TEST(FlatSearch, FewerRowsThanK) {
  test::TempDir dir;
  const auto x = test_data::clustered(5, 4, 9);
  write_vector_store(dir / "v", Metric::ip, 4, identity(5), x);
  const VectorStore store(dir / "v");
  ExactSearchOptions o;
  o.k = 10;
  expect_exact(store, test_data::clustered(3, 4, 10), 10, o);
}

// Real SIFT descriptors (integer-valued, so every distance is exact in float): the run must equal
// the ground truth shipped with the data, computed with exact integer arithmetic.
TEST(FlatSearch, Sift5kEqualsGroundTruth) {
  TANDEM_REQUIRE_SHARED(shared);
  const auto dir = shared / "data" / "sift5k-ngt";
  const io::VectorSet base = io::read_vectors(dir / "split4900_base.fvecs");
  const io::VectorSet queries = io::read_vectors(dir / "split4900_query.fvecs");
  const std::string gt_bytes = test::read_file(dir / "split4900_groundtruth.ivecs");
  test::TempDir tmp;
  write_vector_store(tmp / "v", Metric::l2, base.dim, identity(base.rows()), base.values);
  const VectorStore store(tmp / "v");
  for (std::size_t blas : {0, 8}) {
    ExactSearchOptions o;
    o.k = 100;
    o.blas_min_queries = blas;
    o.threads = 2;
    std::vector<std::vector<Hit>> got;
    exact_search(store, queries.values, queries.rows(), o, got);
    ASSERT_EQ(got.size(), 100u);
    for (std::size_t q = 0; q < 100; ++q) {
      for (std::size_t i = 0; i < 100; ++i) {
        std::int32_t want = 0;
        std::memcpy(&want, gt_bytes.data() + (q * 101 + 1 + i) * 4, 4);
        ASSERT_EQ(got[q][i].doc, static_cast<DocId>(want)) << "query " << q << " rank " << i;
      }
    }
    expect_exact(store, queries.values, 100, o);
  }
}

TEST(FlatSearch, ZeroQueryUnderCosineIsRefused) {
  std::vector<float> out(3);
  const std::vector<float> zero(3, 0.0f);
  EXPECT_THROW(prepare_query(Metric::cosine, zero, out.data(), "q:1"), Error);
  EXPECT_NO_THROW(prepare_query(Metric::ip, zero, out.data(), "q:1"));
}

}  // namespace
}  // namespace tandem::dense
