#include <gtest/gtest.h>

#include "tandem/core/error.hpp"
#include "tandem/dense/code_index.hpp"
#include "tandem/io/vector_file.hpp"

#include "dense_test_data.hpp"
#include "test_support.hpp"

namespace tandem::dense {
namespace {

std::vector<DocId> identity(std::size_t n) {
  std::vector<DocId> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<DocId>(i);
  return v;
}

// recall@k of two-tier code search against exact search on the same store.
double code_recall(const VectorStore& store, const CodeIndex& codes, const std::vector<float>& q,
                   std::size_t k, std::size_t rerank) {
  const std::size_t nq = q.size() / store.dim();
  ExactSearchOptions o;
  o.k = k;
  std::vector<std::vector<Hit>> want;
  exact_search(store, q, nq, o, want);
  CodeContext ctx;
  std::vector<Hit> got;
  double hits = 0;
  for (std::size_t i = 0; i < nq; ++i) {
    codes.search(q.data() + i * store.dim(), k, rerank, ctx, got);
    for (const Hit& g : got) {
      for (const Hit& w : want[i]) hits += g.doc == w.doc;
    }
  }
  return hits / static_cast<double>(nq * k);
}

struct Case {
  CodeKind kind;
  Metric metric;
  std::size_t rerank;
  std::size_t dim = 64;
};

class CodesRecall : public ::testing::TestWithParam<Case> {};

// After re-ranking from full precision, recall@10 is within 0.005 of exact search.
TEST_P(CodesRecall, WithinHalfAPointOfExactAfterReranking) {
  const Case c = GetParam();
  test::TempDir dir;
  const std::size_t n = 5000, d = c.dim;
  auto x = test_data::clustered(n, d, 21, 50);
  auto q = test_data::clustered(100, d, 22, 50);
  if (c.metric == Metric::cosine) {
    test_data::normalise(x, d);
    test_data::normalise(q, d);
  }
  write_vector_store(dir / "v", c.metric, d, identity(n), x);
  const VectorStore store(dir / "v");
  build_codes(dir / "c", c.kind, store, 0, 1, 2);
  const CodeIndex codes(dir / "c", store);
  codes.verify();
  EXPECT_GE(code_recall(store, codes, q, 10, c.rerank), 0.995) << to_string(c.kind);
  const std::size_t expected_bytes = c.kind == CodeKind::sq8      ? d
                                     : c.kind == CodeKind::binary ? d / 8
                                                                  : d / 4;
  EXPECT_EQ(codes.bytes_per_vector(), expected_bytes);
}

INSTANTIATE_TEST_SUITE_P(Kinds, CodesRecall,
                         ::testing::Values(Case{CodeKind::sq8, Metric::ip, 100},
                                           Case{CodeKind::sq8, Metric::l2, 100},
                                           Case{CodeKind::pq, Metric::ip, 200},
                                           Case{CodeKind::pq, Metric::l2, 200},
                                           Case{CodeKind::sq8, Metric::cosine, 100}));

// Sign codes keep one bit per dimension, too little to rank this isotropic synthetic mixture
// well (real embeddings do better, see bench/results); what must hold is that re-ranking more
// candidates only helps, and that re-ranking every row is exact.
TEST(Codes, BinaryRecallGrowsWithRerankingToExact) {
  test::TempDir dir;
  const std::size_t n = 3000, d = 128;
  auto x = test_data::clustered(n, d, 31, 30);
  auto q = test_data::clustered(50, d, 32, 30);
  test_data::normalise(x, d);
  test_data::normalise(q, d);
  write_vector_store(dir / "v", Metric::cosine, d, identity(n), x);
  const VectorStore store(dir / "v");
  build_codes(dir / "c", CodeKind::binary, store, 0, 1, 2);
  const CodeIndex codes(dir / "c", store);
  EXPECT_EQ(codes.bytes_per_vector(), d / 8);
  double last = 0;
  for (std::size_t rerank : {100, 500, 1500}) {
    const double r = code_recall(store, codes, q, 10, rerank);
    EXPECT_GE(r, last) << rerank;
    last = r;
  }
  EXPECT_GE(last, 0.9);
  EXPECT_EQ(code_recall(store, codes, q, 10, n), 1.0);
}

TEST(Codes, Sift5kSq8AndPqMatchExactAfterReranking) {
  TANDEM_REQUIRE_SHARED(shared);
  const auto dir = shared / "data" / "sift5k-ngt";
  const io::VectorSet base = io::read_vectors(dir / "split4900_base.fvecs");
  const io::VectorSet queries = io::read_vectors(dir / "split4900_query.fvecs");
  test::TempDir tmp;
  write_vector_store(tmp / "v", Metric::l2, base.dim, identity(base.rows()), base.values);
  const VectorStore store(tmp / "v");
  for (CodeKind kind : {CodeKind::sq8, CodeKind::pq}) {
    build_codes(tmp / "c", kind, store, 0, 1, 2);
    const CodeIndex codes(tmp / "c", store);
    EXPECT_GE(code_recall(store, codes, queries.values, 10, 100), 0.995) << to_string(kind);
  }
}

TEST(Codes, SeededPqIsReproducible) {
  test::TempDir dir;
  const auto x = test_data::clustered(1000, 16, 4);
  write_vector_store(dir / "v", Metric::l2, 16, identity(1000), x);
  const VectorStore store(dir / "v");
  build_codes(dir / "a", CodeKind::pq, store, 4, 7, 2);
  build_codes(dir / "b", CodeKind::pq, store, 4, 7, 1);
  EXPECT_EQ(test::read_file(dir / "a"), test::read_file(dir / "b"));
  EXPECT_THROW(build_codes(dir / "c", CodeKind::pq, store, 5, 7, 1), Error);
}

}  // namespace
}  // namespace tandem::dense
