// Hierarchical Navigable Small World graph (Malkov & Yashunin, "Efficient and robust approximate
// nearest neighbor search using Hierarchical Navigable Small World graphs", TPAMI 2018).
//
// Node i is row i of a VectorStore. Layer 0 holds every node with up to 2M links; a node drawn
// at level l (P(level >= l) = M^-l) also has up to M links on layers 1..l. Search descends greedily
// from the entry point through the upper layers, then runs a best-first beam of width ef on layer
// 0 (Algorithm 2 of the paper); neighbours are chosen with the paper's heuristic (Algorithm 4).
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "tandem/core/progress.hpp"
#include "tandem/core/types.hpp"
#include "tandem/dense/dense_field.hpp"
#include "tandem/dense/flat_search.hpp"
#include "tandem/dense/vector_store.hpp"
#include "tandem/io/file_format.hpp"

namespace tandem::dense {

/// Builds the graph over `rows` vectors of `dim` floats and writes it to `path` atomically. With
/// params.deterministic (or threads == 1) nodes are inserted one by one in row order, so the file
/// is a pure function of the vectors, the metric and the parameters; otherwise `threads` insert
/// concurrently (per-node locks, as hnswlib does) and the graph depends on scheduling.
void build_hnsw(const std::filesystem::path& path, Metric metric, const float* values,
                std::size_t rows, std::size_t dim, const HnswParams& params, unsigned threads,
                ProgressSink* progress);

/// Per-thread scratch of a graph search: visited marks (epoch-tagged, cleared in O(1)) and heaps.
/// Reuse one per thread; a search allocates nothing once it has grown.
class HnswContext {
 public:
  std::vector<std::uint32_t> visited;  // visited[i] == epoch: seen in this search
  std::uint32_t epoch = 0;
  std::vector<std::pair<float, std::uint32_t>> candidates;  // min-heap by distance
  std::vector<std::pair<float, std::uint32_t>> results;     // max-heap by distance
  std::vector<float> query;
};

/// A graph read from a file (memory-mapped). Immutable and thread-safe.
class HnswGraph {
 public:
  HnswGraph(const std::filesystem::path& path, const VectorStore& vectors);

  std::size_t size() const { return n_; }
  std::uint32_t m() const { return m_; }
  std::uint32_t max_level() const { return max_level_; }
  std::uint64_t file_bytes() const { return file_bytes_; }

  /// The approximately best `k` rows for a prepared query (prepare_query), exploring `ef`
  /// candidates (ef < k is raised to k). Only rows the filter allows are returned; the graph is
  /// still traversed through the others. Hits carry rows in `doc`, scores rescored in double as
  /// exact_score() gives them, in result order.
  void search(const float* query, std::size_t k, std::size_t ef, HnswContext& ctx,
              std::vector<Hit>& out, RowFilter filter = {}) const;

  /// Checksum and structure: every link in range, no self-links, link counts within limits.
  void verify() const;

 private:
  std::span<const std::uint32_t> links(std::uint32_t node, std::uint32_t level) const;

  const VectorStore* vectors_;
  io::CheckedFile file_;
  std::size_t n_ = 0;
  std::uint32_t m_ = 0, m0_ = 0, max_level_ = 0, entry_ = 0;
  Metric metric_ = Metric::ip;
  std::span<const std::uint32_t> level0_;    // n * (1 + m0): count, then links
  std::span<const std::uint8_t> levels_;     // level of each node
  std::span<const std::uint64_t> upper_at_;  // per node: start of its upper links (in u32s)
  std::span<const std::uint32_t> upper_;     // per node and level 1..l: count, then m links
  std::uint64_t file_bytes_ = 0;
};

}  // namespace tandem::dense
