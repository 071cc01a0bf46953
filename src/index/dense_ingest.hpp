// Index-side glue of the dense field: matches the rows of a vector file to the segment's DocIds
// and writes the dense files. Private to index/ (index_builder.cpp).
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/core/progress.hpp"
#include "tandem/dense/dense_field.hpp"
#include "tandem/io/vector_file.hpp"

namespace tandem::index {

/// Reads the vector file (and id list) of a build and checks it against the settings: under
/// cosine a zero vector is an error naming the file and row.
io::VectorSet read_dense_input(const std::filesystem::path& vectors,
                               const std::filesystem::path& ids, dense::Metric metric);

/// The ids of a dense-only build in byte order; a repeated id is an error naming both rows.
std::vector<std::string> sorted_vector_ids(const io::VectorSet& set,
                                           const std::filesystem::path& source);

/// Writes the dense files of a segment whose DocId i has external id doc_ids[i] (sorted). Every
/// vector id must be a document of the segment (else an error naming the id and row). Sets
/// settings.dim; returns the number of rows written. Normalises rows under cosine.
std::uint64_t write_dense_rows(const std::filesystem::path& segment_dir, io::VectorSet& set,
                               const std::filesystem::path& source,
                               std::span<const std::string_view> doc_ids,
                               dense::DenseSettings& settings, unsigned threads,
                               ProgressSink* progress);

}  // namespace tandem::index
