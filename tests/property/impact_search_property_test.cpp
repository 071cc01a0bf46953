// Seeded random equivalence tests for learned-sparse search: every query algorithm over impact
// lists, and the approximate (Seismic-style) index with its pruning switched off, must return
// exactly the top-k of a brute-force dot product written here independently of the library
// (same documents, bit-identical scores, same order). The approximate index with its default
// pruning must return hits whose scores are exact, and its recall is printed. A failing case
// prints its shape and seed; re-run it with check_case(shape, seed).
#include <algorithm>
#include <bit>
#include <cstdint>
#include <filesystem>
#include <random>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

#include "tandem/core/top_k.hpp"
#include "tandem/sparse/approx/seismic_index.hpp"
#include "tandem/sparse/impact_search.hpp"

namespace tandem::sparse {
namespace {

enum class Shape {
  small_impacts,  // 8-bit impacts, SPLADE-like skew: many small, few large
  ties,           // impacts and weights from {1, 2}: ties everywhere
  large_impacts,  // impacts up to 2^20, integer query weights (exact products)
  float_impacts,  // float impacts stored as bit patterns, float query weights
  long_lists,     // few terms, long lists with many blocks
};

const char* name(Shape s) {
  switch (s) {
    case Shape::small_impacts:
      return "small_impacts";
    case Shape::ties:
      return "ties";
    case Shape::large_impacts:
      return "large_impacts";
    case Shape::float_impacts:
      return "float_impacts";
    case Shape::long_lists:
      return "long_lists";
  }
  return "?";
}

struct Case {
  approx::ForwardVectors forward;
  std::vector<std::vector<DocId>> docs;  // per term
  std::vector<std::vector<std::uint32_t>> impacts;
  std::vector<std::byte> postings;
  std::vector<std::uint64_t> offsets;
  std::vector<PostingListSummary> summaries;
  std::vector<TermId> query_terms;  // distinct
  std::vector<float> weights;
  std::size_t k = 10;
};

std::uint32_t draw_impact(Shape shape, std::mt19937_64& rng) {
  switch (shape) {
    case Shape::ties:
      return 1 + static_cast<std::uint32_t>(rng() % 2);
    case Shape::large_impacts:
      return 1 + static_cast<std::uint32_t>(rng() % (1u << 20));
    case Shape::float_impacts: {
      std::uniform_real_distribution<float> u(1e-3f, 5.0f);
      return std::bit_cast<std::uint32_t>(u(rng));
    }
    default: {
      std::exponential_distribution<double> e(1.0 / 30.0);
      return static_cast<std::uint32_t>(std::clamp(e(rng), 1.0, 255.0));
    }
  }
}

Case make_case(Shape shape, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  Case c;
  const std::uint32_t num_terms = shape == Shape::long_lists ? 12 : 50 + rng() % 300;
  const std::uint32_t num_docs =
      shape == Shape::long_lists ? 20000 + rng() % 20000 : 200 + rng() % 3000;
  const std::uint32_t nnz_max = std::min<std::uint32_t>(num_terms, 40);
  c.forward.num_terms = num_terms;
  c.forward.float_impacts = shape == Shape::float_impacts;
  c.forward.doc_starts.push_back(0);
  c.docs.resize(num_terms);
  c.impacts.resize(num_terms);
  std::vector<TermId> terms;
  for (DocId d = 0; d < num_docs; ++d) {
    const std::uint32_t nnz = rng() % 20 == 0 ? 0 : 1 + rng() % nnz_max;  // some empty vectors
    terms.clear();
    for (std::uint32_t i = 0; i < nnz; ++i) {
      // Skewed term popularity: low ids are common.
      const double u = std::uniform_real_distribution<double>(0, 1)(rng);
      terms.push_back(static_cast<TermId>(u * u * num_terms));
    }
    std::sort(terms.begin(), terms.end());
    terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
    for (const TermId t : terms) {
      const std::uint32_t impact = draw_impact(shape, rng);
      c.forward.terms.push_back(t);
      c.forward.impacts.push_back(impact);
      c.docs[t].push_back(d);
      c.impacts[t].push_back(impact);
    }
    c.forward.doc_starts.push_back(c.forward.terms.size());
  }
  c.offsets.assign(num_terms, 0);
  c.summaries.assign(num_terms, {});
  std::vector<std::byte> scratch;
  for (TermId t = 0; t < num_terms; ++t) {
    if (c.docs[t].empty()) continue;
    scratch.clear();
    c.summaries[t] = encode_posting_list({c.docs[t], c.impacts[t], {}}, scratch);
    c.offsets[t] = c.postings.size();
    c.postings.insert(c.postings.end(), scratch.begin(), scratch.end());
  }
  // A query of 1..30 distinct terms that have postings.
  std::vector<TermId> present;
  for (TermId t = 0; t < num_terms; ++t) {
    if (!c.docs[t].empty()) present.push_back(t);
  }
  std::shuffle(present.begin(), present.end(), rng);
  const std::size_t m = std::min<std::size_t>(present.size(), 1 + rng() % 30);
  for (std::size_t i = 0; i < m; ++i) {
    c.query_terms.push_back(present[i]);
    if (shape == Shape::float_impacts) {
      c.weights.push_back(std::uniform_real_distribution<float>(0.01f, 3.0f)(rng));
    } else if (shape == Shape::ties) {
      c.weights.push_back(static_cast<float>(1 + rng() % 2));
    } else {
      c.weights.push_back(
          static_cast<float>(1 + rng() % (shape == Shape::large_impacts ? 15 : 300)));
    }
  }
  const std::size_t ks[] = {1, 5, 10, 100, 1000};
  c.k = ks[rng() % 5];
  return c;
}

float value(const Case& c, std::uint32_t impact) {
  return c.forward.float_impacts ? std::bit_cast<float>(impact) : static_cast<float>(impact);
}

// Brute force: every document's score as the double sum, in query order, of float products.
std::vector<Hit> oracle(const Case& c) {
  std::vector<Hit> all;
  for (DocId d = 0; d < c.forward.num_docs(); ++d) {
    double sum = 0;
    bool matched = false;
    for (std::size_t i = 0; i < c.query_terms.size(); ++i) {
      for (std::uint64_t p = c.forward.doc_starts[d]; p < c.forward.doc_starts[d + 1]; ++p) {
        if (c.forward.terms[p] == c.query_terms[i]) {
          sum += c.weights[i] * value(c, c.forward.impacts[p]);
          matched = true;
        }
      }
    }
    if (matched) all.push_back({d, static_cast<Score>(sum)});
  }
  std::sort(all.begin(), all.end(), ranks_before);
  if (all.size() > c.k) all.resize(c.k);
  return all;
}

std::vector<Hit> run_algorithm(const Case& c, QueryAlgorithm algorithm) {
  std::vector<ImpactQueryTerm> terms;
  for (std::size_t i = 0; i < c.query_terms.size(); ++i) {
    const TermId t = c.query_terms[i];
    terms.push_back({c.postings, c.offsets[t], c.summaries[t], c.weights[i]});
  }
  TopK top(c.k);
  ImpactSearchScratch scratch;
  impact_search(algorithm,
                c.forward.float_impacts ? ImpactEncoding::float32 : ImpactEncoding::integer, terms,
                top, scratch);
  return top.take_sorted();
}

std::vector<Hit> run_approx(const approx::SeismicIndex& index, const Case& c,
                            const approx::SeismicSearchParams& params) {
  std::vector<approx::SeismicQueryTerm> q;
  for (std::size_t i = 0; i < c.query_terms.size(); ++i)
    q.push_back({c.query_terms[i], c.weights[i]});
  TopK top(c.k);
  approx::SeismicScratch scratch;
  index.search(q, params, top, scratch);
  return top.take_sorted();
}

void check_case(Shape shape, std::uint64_t seed) {
  SCOPED_TRACE(::testing::Message() << "shape " << name(shape) << ", seed " << seed);
  const Case c = make_case(shape, seed);
  const auto expected = oracle(c);
  for (const QueryAlgorithm a : kQueryAlgorithms) {
    SCOPED_TRACE(std::string(to_string(a)));
    ASSERT_EQ(run_algorithm(c, a), expected);
  }
  auto params = approx::SeismicBuildParams::exact();
  params.threads = 2;
  params.seed = seed;
  params.centroid_fraction = 0.05f + 0.5f * static_cast<float>(seed % 10) / 10.0f;
  const auto exact_index = approx::SeismicIndex::build(c.forward, params);
  ASSERT_EQ(run_approx(exact_index, c, approx::SeismicSearchParams::exact()), expected)
      << "approximate index with pruning off";
  // Written and memory-mapped again, it answers the same.
  const std::filesystem::path file =
      std::filesystem::path(::testing::TempDir()) /
      ("exact-" + std::string(name(shape)) + "-" + std::to_string(seed) + "-" +
       std::to_string(::getpid()) + ".seismic");  // unique: ctest runs shapes in parallel
  exact_index.write(file);
  const auto mapped = approx::SeismicIndex::open(file, c.forward.num_docs(), c.forward.num_terms);
  ASSERT_TRUE(mapped.mapped());
  ASSERT_EQ(mapped.num_blocks(), exact_index.num_blocks());
  ASSERT_EQ(run_approx(mapped, c, approx::SeismicSearchParams::exact()), expected)
      << "persisted approximate index with pruning off";
  approx::SeismicIndex::verify(file, c.forward.num_docs(), c.forward.num_terms);
  std::filesystem::remove(file);
}

// Recall of the default (pruned) settings, and exact scores for what they return.
void check_pruned(Shape shape, std::uint64_t seed, double& overlap, double& total) {
  SCOPED_TRACE(::testing::Message() << "shape " << name(shape) << ", seed " << seed);
  const Case c = make_case(shape, seed);
  const auto expected = oracle(c);
  approx::SeismicBuildParams params;
  params.n_postings = 500;
  params.seed = seed;
  params.threads = 2;
  const auto index = approx::SeismicIndex::build(c.forward, params);
  const auto got = run_approx(index, c, approx::SeismicSearchParams{});
  ASSERT_LE(got.size(), c.k);
  // The persisted copy gives the same hits.
  const std::filesystem::path file =
      std::filesystem::path(::testing::TempDir()) /
      ("pruned-" + std::string(name(shape)) + "-" + std::to_string(seed) + "-" +
       std::to_string(::getpid()) + ".seismic");
  index.write(file);
  ASSERT_EQ(run_approx(approx::SeismicIndex::open(file), c, approx::SeismicSearchParams{}), got);
  std::filesystem::remove(file);
  // Every returned score is the document's exact score.
  Case all = c;
  all.k = c.forward.num_docs();
  const auto every = oracle(all);
  for (const Hit& h : got) {
    const auto it =
        std::find_if(every.begin(), every.end(), [&](const Hit& e) { return e.doc == h.doc; });
    ASSERT_NE(it, every.end());
    ASSERT_EQ(it->score, h.score);
  }
  for (const Hit& e : expected) {
    overlap += std::count_if(got.begin(), got.end(), [&](const Hit& h) { return h.doc == e.doc; });
  }
  total += static_cast<double>(expected.size());
}

class ImpactSearchProperty : public ::testing::TestWithParam<Shape> {};

TEST_P(ImpactSearchProperty, EveryAlgorithmAndExactApproxEqualBruteForce) {
  const int cases = GetParam() == Shape::long_lists ? 4 : 25;
  for (int i = 0; i < cases; ++i) {
    check_case(GetParam(), 1000 + static_cast<std::uint64_t>(i));
    if (HasFatalFailure()) return;
  }
}

TEST_P(ImpactSearchProperty, PrunedApproxScoresAreExactAndRecallIsReported) {
  double overlap = 0, total = 0;
  for (int i = 0; i < 10; ++i) {
    check_pruned(GetParam(), 2000 + static_cast<std::uint64_t>(i), overlap, total);
    if (HasFatalFailure()) return;
  }
  std::printf("[ recall  ] %s: %.4f of the exact top-k\n", name(GetParam()),
              total > 0 ? overlap / total : 1.0);
}

INSTANTIATE_TEST_SUITE_P(Shapes, ImpactSearchProperty,
                         ::testing::Values(Shape::small_impacts, Shape::ties, Shape::large_impacts,
                                           Shape::float_impacts, Shape::long_lists),
                         [](const auto& param_info) {
                           return std::string(name(param_info.param));
                         });

}  // namespace
}  // namespace tandem::sparse
