// The persisted approximate index of a segment's sparse field (sparse/approx/seismic_index.hpp):
// built from the field's posting lists and written as the segment file "vector.seismic"
// (docs/format.md, "Sparse approximate index").
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "tandem/core/progress.hpp"
#include "tandem/index/sparse_field.hpp"
#include "tandem/sparse/approx/seismic_index.hpp"

namespace tandem::index {

/// The forward vectors of a segment's sparse field (every document's components, terms
/// ascending), decoded from its posting lists.
sparse::approx::ForwardVectors read_forward_vectors(const SparseFieldFiles& field,
                                                    std::uint32_t num_docs);

/// What write_sparse_approx() built.
struct SparseApproxReport {
  double build_seconds = 0;
  std::uint64_t blocks = 0;
  std::uint64_t postings = 0;
  std::uint64_t summary_entries = 0;
  std::uint64_t bytes = 0;  // of the written file
};

/// Builds the approximate index of the sparse field `field` of the segment in `segment_dir`
/// (`num_docs` documents) with `params` and writes it atomically as
/// segment_files::sparse_approx(segment_dir). Call it whenever a segment with a sparse field is
/// written (index build, merge) and the index keeps approximate indexes. Throws
/// Error(invalid_argument) for parameters out of range.
SparseApproxReport write_sparse_approx(const std::filesystem::path& segment_dir,
                                       const SparseFieldFiles& field, std::uint32_t num_docs,
                                       const sparse::approx::SeismicBuildParams& params,
                                       ProgressSink* progress);

/// Builds (or rebuilds) the approximate index of every segment of the index in `index_dir` that
/// has a sparse field, holding the index's write lock; returns one report per segment built.
/// Throws Error(not_found) if no segment has a sparse field.
std::vector<SparseApproxReport> add_sparse_approx(const std::filesystem::path& index_dir,
                                                  const sparse::approx::SeismicBuildParams& params,
                                                  ProgressSink* progress);

}  // namespace tandem::index
