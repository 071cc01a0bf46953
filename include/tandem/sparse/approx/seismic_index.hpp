// An approximate index over learned-sparse vectors after Seismic (Bruch, Nardini, Rulli &
// Venturini, SIGIR 2024): each posting list is statically pruned to its largest impacts and
// clustered into blocks; each block has a summary vector (the component-wise maximum of its
// documents, pruned to a fraction alpha of its mass and quantised to 8 bits); a forward index
// holds every document's full vector for exact scoring. A query visits, for its query_cut heaviest
// terms, the blocks whose summary score reaches heap_factor x the current k-th score, and scores
// their documents exactly.
//
// As in Seismic, the summaries of one list are stored inverted (per component: the blocks whose
// summary has it, with their 8-bit codes), so the summary scores of all blocks of a list cost one
// pass over the query's components; a document's score is a gather of a dense, vocabulary-sized
// query array over the document's components (no hashing, no search).
//
// Exactness: with no static pruning (n_postings 0), full summaries (summary_energy 1), every query
// term (query_cut 0) and heap_factor 1, summaries are upper bounds (rounded up when quantised) of
// every document in their block, a block is skipped only when its bound is below the k-th score,
// and a score is the exact algorithms' float products (ImpactScorer) summed in double and rounded
// to float once. The exact algorithms sum in query-term order, this index in document-term order;
// double sums of float products are order-independent whenever the products span fewer than 2^29
// (every case in the tests and any 8/16-bit quantised field with query weights within a factor of
// 2^13), so the top-k then equals the exhaustive oracle's bit for bit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <vector>

#include "tandem/core/progress.hpp"
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
  std::vector<float> query_weight;       // per TermId; 0 for terms not in the query
  std::vector<std::uint64_t> visited;    // bitset over DocIds; cleared after every query
  std::vector<DocId> visited_docs;       // the DocIds set in `visited`
  std::vector<double> block_bound;       // per block of the list being visited
  std::vector<SeismicQueryTerm> sorted;  // the query by TermId
  std::vector<std::uint32_t> cut;
  std::uint64_t documents_scored = 0;
  std::uint64_t blocks_evaluated = 0;
};

/// The arrays of an approximate index, as views into owned vectors (a fresh build) or into a
/// memory-mapped file (docs/format.md, "Sparse approximate index"). Lists: term t has the blocks
/// [list_blocks[t], list_blocks[t+1]); block b has the documents
/// block_docs[block_doc_starts[b] .. block_doc_starts[b+1]) and summary values code x
/// block_steps[b]. Inverted summaries: term t's summaries have the components
/// component_terms[list_components[t] .. list_components[t+1]) (ascending); component c is held by
/// the blocks entry_blocks[component_starts[c] .. component_starts[c+1]) (numbered from the list's
/// first block, ascending) with the codes entry_codes[same range].
struct SeismicArrays {
  std::uint32_t num_terms = 0;
  std::uint32_t num_docs = 0;
  bool float_impacts = false;
  std::span<const std::uint64_t> doc_starts;
  std::span<const TermId> doc_terms;
  std::span<const std::uint32_t> doc_impacts;
  std::span<const std::uint64_t> list_blocks;
  std::span<const std::uint64_t> block_doc_starts;
  std::span<const float> block_steps;
  std::span<const DocId> block_docs;
  std::span<const std::uint64_t> list_components;
  std::span<const TermId> component_terms;
  std::span<const std::uint64_t> component_starts;
  std::span<const std::uint16_t> entry_blocks;
  std::span<const std::uint8_t> entry_codes;
};

/// At most this many blocks per list (block numbers in the inverted summaries are 16-bit); a
/// longer list gets larger blocks.
inline constexpr std::uint32_t kMaxBlocksPerList = 65535;

/// What a persisted approximate index's header says (SeismicIndex::describe).
struct SeismicFileSummary {
  std::uint32_t layout_version = 0;
  std::uint32_t num_docs = 0;
  std::uint32_t num_terms = 0;
  SeismicBuildParams params;
  std::uint64_t forward_postings = 0;
  std::uint64_t blocks = 0;
  std::uint64_t block_postings = 0;
  std::uint64_t summary_entries = 0;
  std::uint64_t bytes = 0;
};

/// The approximate index of one segment. Immutable after build; search is thread-safe with one
/// scratch per thread.
class SeismicIndex {
 public:
  SeismicIndex() = default;

  /// Builds from the segment's vectors (moved in: it becomes the forward index), on
  /// params.threads threads, reporting lists done to `progress` (may be null). Throws
  /// Error(invalid_argument) for parameters out of range.
  static SeismicIndex build(ForwardVectors forward, const SeismicBuildParams& params,
                            ProgressSink* progress = nullptr);

  /// Writes the index atomically to `path` (FileKind::sparse_approx; docs/format.md).
  void write(const std::filesystem::path& path) const;
  /// Maps an index written by write(). Checks its structure (every offset in range, monotone);
  /// throws Error(corruption) naming the file and what is wrong, Error(unsupported) with "rebuild"
  /// for another layout version. `num_docs`/`num_terms`, when not 0, must match the segment's.
  static SeismicIndex open(const std::filesystem::path& path, std::uint32_t num_docs = 0,
                           std::uint32_t num_terms = 0);
  /// Reads only the header of a persisted index (no structure checks): for `tandem info`.
  static SeismicFileSummary describe(const std::filesystem::path& path);
  /// Recomputes the file's checksum and checks every document, block and summary entry in range
  /// and every forward vector's terms increasing; throws Error(corruption) naming the file.
  static void verify(const std::filesystem::path& path, std::uint32_t num_docs,
                     std::uint32_t num_terms);

  /// Adds this segment's approximate top-k (k = top.capacity()) to `top`. Query terms must be
  /// distinct TermIds < num_terms. Documents in `deleted` are never offered.
  void search(std::span<const SeismicQueryTerm> query, const SeismicSearchParams& params, TopK& top,
              SeismicScratch& scratch, DeletedDocs deleted = {}) const;

  /// Bytes held (forward index, pruned lists, summaries), in memory or mapped.
  std::size_t memory_bytes() const;
  std::uint64_t num_blocks() const { return a_.block_steps.size(); }
  std::uint64_t num_postings() const { return a_.block_docs.size(); }
  std::uint64_t num_summary_entries() const { return a_.entry_codes.size(); }
  std::uint32_t num_docs() const { return a_.num_docs; }
  std::uint32_t num_terms() const { return a_.num_terms; }
  /// The build parameters (read back from the file for a mapped index).
  const SeismicBuildParams& build_params() const { return params_; }
  /// True when the index lies in a mapped file.
  bool mapped() const { return mapped_; }

 private:
  template <bool FloatImpacts>
  void score_block(std::uint64_t block, TopK& top, SeismicScratch& s, DeletedDocs deleted) const;
  template <bool FloatImpacts>
  void search_impl(std::span<const SeismicQueryTerm> query, const SeismicSearchParams& params,
                   TopK& top, SeismicScratch& s, DeletedDocs deleted) const;

  SeismicArrays a_;
  SeismicBuildParams params_;
  std::shared_ptr<const void> storage_;  // owns what a_ views
  bool mapped_ = false;
};

}  // namespace tandem::sparse::approx
