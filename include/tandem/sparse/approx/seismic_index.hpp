// An approximate index over learned-sparse vectors after Seismic (Bruch, Nardini, Rulli &
// Venturini, SIGIR 2024): each posting list is statically pruned to its largest impacts and
// clustered into blocks; each block has a summary vector (the component-wise maximum of its
// documents, pruned to a fraction alpha of its mass and quantised to 8 bits); a forward index
// holds every document's full vector for exact scoring. A query visits, for its query_cut heaviest
// terms, the blocks whose summary score reaches heap_factor x the current k-th score, and scores
// their documents exactly.
//
// Exactness: with no static pruning (n_postings 0), full summaries (summary_energy 1), every query
// term (query_cut 0) and heap_factor 1, summaries are upper bounds (rounded up when quantised) of
// every document in their block, a block is skipped only when its bound is below the k-th score,
// and the scores are computed exactly as the exact algorithms do (float contributions summed in
// double in query-term order), so the top-k equals the exhaustive oracle's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "tandem/core/top_k.hpp"
#include "tandem/core/types.hpp"
#include "tandem/sparse/approx/seismic_params.hpp"
#include "tandem/sparse/deleted_docs.hpp"

namespace tandem::sparse::approx {

/// The documents of one segment as vectors: document d has the components
/// [doc_starts[d], doc_starts[d+1]) of terms/impacts, terms strictly increasing. Impacts are the
/// stored integers; `float_impacts` says they are float bit patterns instead.
struct ForwardVectors {
  std::uint32_t num_terms = 0;
  std::vector<std::uint64_t> doc_starts;  // num_docs + 1
  std::vector<TermId> terms;
  std::vector<std::uint32_t> impacts;
  bool float_impacts = false;

  std::uint32_t num_docs() const {
    return doc_starts.empty() ? 0 : static_cast<std::uint32_t>(doc_starts.size() - 1);
  }
  /// The value an impact stands for (before the query weight multiplies it).
  float value(std::uint32_t impact) const;
};

/// One query term: its TermId in the segment and its weight (query weight x impact scale, >= 0).
struct SeismicQueryTerm {
  TermId term = 0;
  float weight = 0;
};

/// Per-thread reusable state of a search; sized on first use.
class SeismicScratch {
 public:
  std::vector<float> query_weight;        // per TermId; 0 for terms not in the query
  std::vector<std::uint32_t> query_slot;  // per TermId: position in the query + 1; 0 = absent
  std::vector<std::uint32_t> visited;     // per DocId: the epoch it was last scored in
  std::uint32_t epoch = 0;
  std::vector<float> contributions;
  std::vector<std::pair<float, std::uint32_t>> block_scores;
  std::vector<std::uint32_t> cut;
  std::uint64_t documents_scored = 0;
  std::uint64_t blocks_evaluated = 0;
};

/// The approximate index of one segment. Immutable after build; search is thread-safe with one
/// scratch per thread.
class SeismicIndex {
 public:
  /// Builds from the segment's vectors (moved in: it becomes the forward index), on
  /// params.threads threads. Throws Error(invalid_argument) for parameters out of range.
  static SeismicIndex build(ForwardVectors forward, const SeismicBuildParams& params);

  /// Adds this segment's approximate top-k (k = top.capacity()) to `top`. Query terms must be
  /// distinct TermIds < num_terms, in the query's order (the score summation order). Documents
  /// in `deleted` are never offered.
  void search(std::span<const SeismicQueryTerm> query, const SeismicSearchParams& params, TopK& top,
              SeismicScratch& scratch, DeletedDocs deleted = {}) const;

  /// Bytes held (forward index, pruned lists, summaries).
  std::size_t memory_bytes() const;
  std::uint64_t num_blocks() const { return blocks_.size(); }
  std::uint64_t num_postings() const { return block_docs_.size(); }

 private:
  struct Block {
    std::uint64_t summary_begin = 0;  // in summary_terms_ / summary_values_
    std::uint32_t summary_size = 0;
    float summary_step = 0;        // summary value = code x step (>= the true maximum)
    std::uint64_t docs_begin = 0;  // in block_docs_
    std::uint32_t docs_size = 0;
  };
  void score_block(const Block& b, std::span<const SeismicQueryTerm> query, TopK& top,
                   SeismicScratch& s, DeletedDocs deleted) const;

  ForwardVectors forward_;
  std::vector<std::uint64_t> list_blocks_;  // per term: blocks [list_blocks_[t], list_blocks_[t+1])
  std::vector<Block> blocks_;
  std::vector<DocId> block_docs_;
  std::vector<TermId> summary_terms_;
  std::vector<std::uint8_t> summary_values_;
};

}  // namespace tandem::sparse::approx
