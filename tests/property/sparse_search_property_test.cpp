// Seeded random equivalence tests: every query algorithm must return the exhaustive oracle's top-k
// exactly (same documents, bit-identical scores, same order), and the oracle must equal a
// brute-force scoring of the raw postings written here independently of the library's cursors and
// scorers.
//
// Each test draws indexes of one adversarial shape from consecutive seeds and prints the seed of a
// failing case; a seed that once failed stays as a named test (TEST(SparseSearchPropertySeeds, ...)
// calling check_case(shape, seed) at the end of this file; none has failed so far). More cases:
// TANDEM_PROPERTY_CASES=<multiplier> (default 1).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tandem/core/top_k.hpp"
#include "tandem/sparse/search.hpp"

#include "sparse_test_index.hpp"

namespace tandem::sparse {
namespace {

enum class Shape {
  mixed,                // a bit of everything
  identical_documents,  // many copies of the same documents: score ties everywhere
  every_document,       // terms in every document (tiny idf) beside rare ones
  long_lists,           // tens of thousands of postings per list, many blocks
  large_freqs,          // frequencies up to 2^31 and long documents
  many_terms,           // 10 to 40 query terms, repeated ones included
  zero_weights,         // some query weights 0: scores of exactly 0 and ties at 0
};

const char* name(Shape s) {
  switch (s) {
    case Shape::mixed:
      return "mixed";
    case Shape::identical_documents:
      return "identical_documents";
    case Shape::every_document:
      return "every_document";
    case Shape::long_lists:
      return "long_lists";
    case Shape::large_freqs:
      return "large_freqs";
    case Shape::many_terms:
      return "many_terms";
    case Shape::zero_weights:
      return "zero_weights";
  }
  return "?";
}

struct Case {
  test::SparseTestIndex index;
  LengthMode mode = LengthMode::lucene;
  Bm25Params params;
  std::vector<std::size_t> query_terms;  // term ids, repeats allowed
  std::vector<float> weights;
  std::size_t k = 10;
  bool norms_encoded = true;
};

std::uint32_t uniform(std::mt19937_64& rng, std::uint32_t lo, std::uint32_t hi) {  // [lo, hi]
  return lo + static_cast<std::uint32_t>(rng() % (std::uint64_t{hi} - lo + 1));
}

// A list over [0, num_docs) with each document kept with probability p, at least one posting.
test::RawPostings random_list(std::mt19937_64& rng, std::uint32_t num_docs, double p,
                              std::uint32_t max_freq) {
  test::RawPostings t;
  std::bernoulli_distribution keep(p);
  for (DocId d = 0; d < num_docs; ++d) {
    if (keep(rng)) {
      t.docs.push_back(d);
      t.freqs.push_back(rng() % 4 == 0 ? uniform(rng, 1, max_freq)
                                       : uniform(rng, 1, std::min(max_freq, 3u)));
    }
  }
  if (t.docs.empty()) {
    t.docs.push_back(uniform(rng, 0, num_docs - 1));
    t.freqs.push_back(uniform(rng, 1, max_freq));
  }
  return t;
}

test::RawPostings tiny_list(std::mt19937_64& rng, std::uint32_t num_docs) {  // df 1..3
  std::vector<DocId> docs;
  for (std::uint32_t i = 0, n = uniform(rng, 1, 3); i < n; ++i)
    docs.push_back(uniform(rng, 0, num_docs - 1));
  std::sort(docs.begin(), docs.end());
  docs.erase(std::unique(docs.begin(), docs.end()), docs.end());
  return {docs, std::vector<std::uint32_t>(docs.size(), uniform(rng, 1, 5))};
}

Case make_case(Shape shape, std::uint64_t seed) {
  std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(shape));
  Case c;
  auto& ix = c.index;
  std::uint32_t num_docs = uniform(rng, 1, 3000);
  if (shape == Shape::long_lists) num_docs = uniform(rng, 20000, 60000);
  ix.lengths.resize(num_docs);
  const std::uint32_t max_len = shape == Shape::large_freqs ? 0x7FFFFFFF : uniform(rng, 1, 400);
  for (auto& l : ix.lengths)
    l = rng() % 8 == 0 ? uniform(rng, 1, max_len) : uniform(rng, 1, std::min(max_len, 60u));
  const std::uint32_t max_freq = shape == Shape::large_freqs ? 0x7FFFFFFF : uniform(rng, 1, 50);

  std::uint32_t num_terms = uniform(rng, 2, 12);
  for (std::uint32_t t = 0; t < num_terms; ++t) {
    const std::uint32_t kind = uniform(rng, 0, 9);
    if (shape == Shape::every_document && t % 3 == 0) {
      test::RawPostings all;
      for (DocId d = 0; d < num_docs; ++d) {
        all.docs.push_back(d);
        all.freqs.push_back(uniform(rng, 1, 3));
      }
      ix.terms.push_back(all);
    } else if (kind < 3) {
      ix.terms.push_back(tiny_list(rng, num_docs));
    } else {
      const double p = shape == Shape::long_lists ? 0.05 + 0.9 * (rng() % 1000) / 1000.0
                                                  : std::pow(10.0, -3.0 * (rng() % 1000) / 1000.0);
      ix.terms.push_back(random_list(rng, num_docs, p, max_freq));
    }
  }
  if (shape == Shape::identical_documents) {
    // Documents come in runs of copies: same length, same terms, same frequencies.
    const std::uint32_t run = uniform(rng, 2, 50);
    for (DocId d = 0; d < num_docs; ++d) ix.lengths[d] = ix.lengths[d - d % run];
    for (auto& t : ix.terms) {
      test::RawPostings copy;
      for (std::size_t i = 0; i < t.docs.size(); ++i) {
        const DocId first = t.docs[i] - t.docs[i] % run;
        if (!copy.docs.empty() && copy.docs.back() >= first) continue;
        for (DocId d = first; d < std::min(num_docs, first + run); ++d) {
          copy.docs.push_back(d);
          copy.freqs.push_back(t.freqs[i]);
        }
      }
      t = copy;
    }
  }
  c.norms_encoded = rng() % 5 != 0;
  ix.encode(c.norms_encoded);

  c.mode = rng() % 2 == 0 ? LengthMode::lucene : LengthMode::exact;
  if (rng() % 4 == 0) c.params = Bm25Params{1.2f, 0.75f};
  if (rng() % 10 == 0) c.params = Bm25Params{0.0f, 1.0f};
  if (rng() % 10 == 0) c.params = Bm25Params{2.0f, 0.0f};
  const std::uint32_t m = shape == Shape::many_terms ? uniform(rng, 10, 40) : uniform(rng, 1, 8);
  for (std::uint32_t i = 0; i < m; ++i) {
    c.query_terms.push_back(uniform(rng, 0, num_terms - 1));
    float w = static_cast<float>(uniform(rng, 1, 3));  // Anserini: the term's count in the query
    if (rng() % 4 == 0) w = static_cast<float>(uniform(rng, 1, 1000)) / 97.0f;
    if (shape == Shape::zero_weights && rng() % 2 == 0) w = 0.0f;
    c.weights.push_back(w);
  }
  const std::size_t ks[] = {1, 10, 100, 1000, std::size_t{num_docs} + 5};
  c.k = ks[rng() % 5];
  return c;
}

// Brute force from the raw postings with Lucene's formula written out here.
std::vector<Hit> brute_force(const Case& c, const Bm25Model& model) {
  const auto& ix = c.index;
  const double doc_count = static_cast<double>(ix.doc_count());
  const float avgdl = static_cast<float>(static_cast<double>(ix.sum_total_term_freq()) / doc_count);
  EXPECT_EQ(avgdl, model.avgdl());
  const float k1 = c.params.k1;
  const float b = c.params.b;
  std::vector<std::vector<float>> contrib(c.query_terms.size(),
                                          std::vector<float>(ix.num_docs(), 0.0f));
  std::vector<bool> matched(ix.num_docs(), false);
  for (std::size_t q = 0; q < c.query_terms.size(); ++q) {
    const test::RawPostings& t = ix.terms[c.query_terms[q]];
    const double df = static_cast<double>(t.docs.size());
    const float idf = static_cast<float>(std::log(1.0 + (doc_count - df + 0.5) / (df + 0.5)));
    const float w = c.weights[q] * idf;
    for (std::size_t i = 0; i < t.docs.size(); ++i) {
      const DocId d = t.docs[i];
      const float len = c.mode == LengthMode::lucene
                            ? static_cast<float>(lucene_norm_length(lucene_norm(ix.lengths[d])))
                            : static_cast<float>(ix.lengths[d]);
      const float inv = 1.0f / (k1 * ((1.0f - b) + b * len / avgdl));
      contrib[q][d] = w - w / (1.0f + static_cast<float>(t.freqs[i]) * inv);
      matched[d] = true;
    }
  }
  std::vector<Hit> hits;
  for (DocId d = 0; d < ix.num_docs(); ++d) {
    if (!matched[d]) continue;
    double sum = 0;
    for (std::size_t q = 0; q < c.query_terms.size(); ++q) sum += contrib[q][d];
    hits.push_back({d, static_cast<float>(sum)});
  }
  std::sort(hits.begin(), hits.end(), ranks_before);
  if (hits.size() > c.k) hits.resize(c.k);
  return hits;
}

::testing::AssertionResult same_hits(const std::vector<Hit>& expected,
                                     const std::vector<Hit>& got) {
  if (expected.size() != got.size()) {
    return ::testing::AssertionFailure() << "size " << got.size() << " != " << expected.size();
  }
  for (std::size_t i = 0; i < expected.size(); ++i) {
    if (!(expected[i] == got[i])) {
      return ::testing::AssertionFailure()
             << "rank " << i << ": doc " << got[i].doc << " score " << std::hexfloat << got[i].score
             << " != doc " << expected[i].doc << " score " << expected[i].score;
    }
  }
  return ::testing::AssertionSuccess();
}

void check_case(Shape shape, std::uint64_t seed) {
  const Case c = make_case(shape, seed);
  SCOPED_TRACE(::testing::Message()
               << "shape " << name(shape) << " seed " << seed << " (docs " << c.index.num_docs()
               << ", terms " << c.query_terms.size() << ", k " << c.k << ", mode "
               << (c.mode == LengthMode::lucene ? "lucene" : "exact") << ")");
  const Bm25Model model(c.params, c.mode, c.index.doc_count(), c.index.sum_total_term_freq());
  std::vector<QueryTerm> terms;
  for (std::size_t q = 0; q < c.query_terms.size(); ++q) {
    terms.push_back(c.index.query_term(model, c.query_terms[q], c.weights[q]));
  }
  SearchScratch scratch;
  TopK top(c.k);
  search(QueryAlgorithm::exhaustive, terms, top, scratch);
  const std::vector<Hit> oracle = top.take_sorted();
  ASSERT_TRUE(same_hits(brute_force(c, model), oracle)) << "oracle vs brute force";
  for (QueryAlgorithm alg : kQueryAlgorithms) {
    top.reset(c.k);
    search(alg, terms, top, scratch);
    ASSERT_TRUE(same_hits(oracle, top.take_sorted())) << to_string(alg);
  }
}

std::uint64_t case_count(std::uint64_t base) {
  const char* env = std::getenv("TANDEM_PROPERTY_CASES");
  const long multiplier = env != nullptr ? std::strtol(env, nullptr, 10) : 1;
  return base * static_cast<std::uint64_t>(std::max(1L, multiplier));
}

void check_shape(Shape shape, std::uint64_t cases) {
  for (std::uint64_t seed = 1; seed <= case_count(cases); ++seed) {
    check_case(shape, seed);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

TEST(SparseSearchProperty, Mixed) {
  check_shape(Shape::mixed, 150);
}
TEST(SparseSearchProperty, IdenticalDocuments) {
  check_shape(Shape::identical_documents, 80);
}
TEST(SparseSearchProperty, TermsInEveryDocument) {
  check_shape(Shape::every_document, 80);
}
TEST(SparseSearchProperty, LongLists) {
  check_shape(Shape::long_lists, 12);
}
TEST(SparseSearchProperty, LargeFrequencies) {
  check_shape(Shape::large_freqs, 80);
}
TEST(SparseSearchProperty, ManyAndRepeatedTerms) {
  check_shape(Shape::many_terms, 60);
}
TEST(SparseSearchProperty, ZeroWeights) {
  check_shape(Shape::zero_weights, 60);
}

}  // namespace
}  // namespace tandem::sparse
