#include "tandem/dense/flat_search.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

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
  std::vector<float> scratch(store.dim());
  for (std::size_t r = 0; r < store.rows(); ++r) {
    if (!row_allowed(filter, r)) continue;
    const float* x = store.row_floats(r, scratch.data());
    double s = 0;
    for (std::size_t j = 0; j < store.dim(); ++j) {
      const double a = q[j], b = x[j];
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

TEST_P(FlatSearchRandom, EqualsBruteForceBlockedAndScanned) {
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
    o.block_min_queries = 0;  // the SIMD row kernel
    expect_exact(store, q, 10, o);
    o.k = 100;
    o.threads = 2;
    expect_exact(store, q, 100, o);
  }
}

INSTANTIATE_TEST_SUITE_P(Metrics, FlatSearchRandom,
                         ::testing::Values(Metric::ip, Metric::cosine, Metric::l2));

// fp16 storage: the file holds binary16 values (half the bytes of the vectors), and exact search
// (blocked and scanned, every metric) equals the brute force over the stored values.
TEST(FlatSearch, Fp16StorageIsExactOverStoredValues) {
  for (Metric metric : {Metric::ip, Metric::l2, Metric::cosine}) {
    test::TempDir dir;
    const std::size_t n = 2000, d = 100;
    auto x = test_data::clustered(n, d, 77, 20);
    auto q = test_data::clustered(30, d, 78, 20);
    if (metric == Metric::cosine) {
      test_data::normalise(x, d);
      test_data::normalise(q, d);
    }
    write_vector_store(dir / "h", metric, d, identity(n), x, Storage::f16);
    write_vector_store(dir / "f", metric, d, identity(n), x, Storage::f32);
    const VectorStore store(dir / "h");
    ASSERT_EQ(store.storage(), Storage::f16);
    EXPECT_EQ(std::filesystem::file_size(dir / "f") - std::filesystem::file_size(dir / "h"),
              n * d * 2);
    store.verify(static_cast<std::uint32_t>(n));
    std::vector<float> scratch(d);
    const float* r5 = store.row_floats(5, scratch.data());
    for (std::size_t j = 0; j < d; ++j) {
      EXPECT_NEAR(r5[j], x[5 * d + j], 1e-3 * std::abs(x[5 * d + j]));  // 11-bit significand
    }
    ExactSearchOptions o;
    o.k = 10;
    o.doc_block = 700;
    o.query_block = 16;
    expect_exact(store, q, 10, o);
    o.block_min_queries = 0;
    expect_exact(store, q, 10, o);
  }
  test::TempDir dir;
  const std::vector<float> big = {1.0f, 70000.0f};
  EXPECT_THROW(write_vector_store(dir / "b", Metric::ip, 2, identity(1), big, Storage::f16), Error);
}

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
  for (std::size_t blocked : {0, 8}) {
    ExactSearchOptions o;
    o.k = 100;
    o.block_min_queries = blocked;
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
