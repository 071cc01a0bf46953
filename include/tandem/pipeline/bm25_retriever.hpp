// The BM25 leg: a text query, analysed as the index was, scored with Lucene's BM25 over every
// segment with collection-wide statistics.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/core/top_k.hpp"
#include "tandem/index/index_reader.hpp"
#include "tandem/sparse/bm25.hpp"
#include "tandem/sparse/query/query_algorithm.hpp"
#include "tandem/sparse/search.hpp"
#include "tandem/text/analyzer.hpp"

namespace tandem::pipeline {

/// A field searched by a BM25 query and the boost its scores get (Anserini's `-fields f=w`).
struct FieldWeight {
  std::string field;
  float weight = 1.0f;
};

struct Bm25Options {
  sparse::Bm25Params params;                                    // k1 0.9, b 0.4 (Anserini)
  sparse::LengthMode length_mode = sparse::LengthMode::lucene;  // Lucene's lossy norms
  sparse::QueryAlgorithm algorithm = sparse::kDefaultQueryAlgorithm;
  std::vector<FieldWeight> fields;  // empty = every text field of the index, weight 1
};

/// A document found by a leg: where it is and its score.
struct IndexHit {
  index::DocLocation at;
  Score score = 0;
};

/// A query term with the weight it carries (Anserini's bag of words: its count in the query).
struct WeightedTerm {
  std::string term;
  float weight = 1.0f;
};

/// Per-thread reusable buffers of a search. Keep one per thread; reusing it avoids allocations.
class SearchContext {
 public:
  text::TermList analyzed;
  std::vector<WeightedTerm> terms;
  std::vector<sparse::QueryTerm> query_terms;
  sparse::SearchScratch scratch;
  TopK top;
  std::vector<Hit> segment_hits;
};

/// Searches one index with BM25. Immutable after construction and thread-safe (each thread passes
/// its own SearchContext).
class Bm25Retriever {
 public:
  /// Throws Error(not_found) for a field the index lacks, Error(invalid_argument) for bad
  /// parameters.
  Bm25Retriever(std::shared_ptr<const index::IndexReader> index, Bm25Options options);

  const Bm25Options& options() const { return options_; }
  const index::IndexReader& index() const { return *index_; }

  /// The analysed bag of words of a query: distinct terms in order of first appearance, each
  /// weighted by its count.
  void analyze(std::string_view query, SearchContext& ctx) const;

  /// The top `k` documents of a text query, in result order (score descending, then external id
  /// ascending, across segments), written to `out`.
  void search(std::string_view query, std::size_t k, SearchContext& ctx,
              std::vector<IndexHit>& out) const;
  /// The same for a bag of words already in ctx.terms (as analyze() leaves it). `exclude`, when
  /// not empty, holds one bitmap per segment that replaces the segment's deletions: documents set
  /// there are never returned (a metadata filter: deleted or filtered-out documents). Collection
  /// statistics are not changed by it.
  void search_terms(std::size_t k, SearchContext& ctx, std::vector<IndexHit>& out,
                    std::span<const sparse::DeletedDocs> exclude = {}) const;

 private:
  struct FieldModel {
    std::size_t field = 0;  // index in the index's fields
    float weight = 1.0f;
    std::unique_ptr<sparse::Bm25Model> model;  // null when the field holds no terms at all
  };
  std::shared_ptr<const index::IndexReader> index_;
  Bm25Options options_;
  std::vector<FieldModel> fields_;
};

}  // namespace tandem::pipeline
