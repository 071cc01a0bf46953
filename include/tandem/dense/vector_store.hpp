// The full-precision vectors of a dense field in one segment (file "dense.vectors",
// docs/format.md): memory-mapped, read in place by exact search and by re-ranking.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

#include "tandem/core/types.hpp"
#include "tandem/dense/metric.hpp"
#include "tandem/io/file_format.hpp"

namespace tandem::dense {

/// Payload layout (all little-endian, offsets from the start of the payload):
///   u32 dim, u32 metric (0 ip, 1 cosine, 2 l2), u32 element type (0 float32), u32 reserved,
///   u64 rows, f32 largest norm, u32 reserved,
///   u32 row_doc[rows]          the DocId of each row, strictly increasing
///   (zero padding to 64 bytes)
///   f32 sq_norm[rows]          |x|^2 of each stored row (for L2 as |q|^2 - 2<q,x> + |x|^2)
///   (zero padding to 64 bytes)
///   f32 values[rows * dim]     row-major; under cosine every row has unit length
/// A document without a vector has no row. Rows are in DocId order, so a scan that keeps ties by
/// row keeps ties by DocId.
struct VectorStoreHeader {
  std::uint32_t dim = 0;
  std::uint32_t metric = 0;
  std::uint32_t element = 0;
  std::uint32_t reserved0 = 0;
  std::uint64_t rows = 0;
  float max_norm = 0;
  std::uint32_t reserved1 = 0;
};
static_assert(sizeof(VectorStoreHeader) == 32);

/// Writes a vector store atomically (temp, fsync, rename). `values` holds row_doc.size() rows of
/// `dim` floats, already normalised under cosine.
void write_vector_store(const std::filesystem::path& path, Metric metric, std::size_t dim,
                        std::span<const DocId> row_doc, std::span<const float> values);

/// An open vector store. Immutable and thread-safe.
class VectorStore {
 public:
  VectorStore() = default;
  /// Maps the file and checks header and table sizes; throws Error(corruption) naming the file.
  explicit VectorStore(const std::filesystem::path& path);

  std::size_t dim() const { return header_.dim; }
  std::size_t rows() const { return row_doc_.size(); }
  Metric metric() const { return static_cast<Metric>(header_.metric); }
  float max_norm() const { return header_.max_norm; }
  std::span<const DocId> row_doc() const { return row_doc_; }
  std::span<const float> sq_norms() const { return sq_norms_; }
  const float* row(std::size_t i) const { return values_.data() + i * header_.dim; }
  std::span<const float> values() const { return values_; }
  const std::string& path() const { return file_.path(); }
  std::uint64_t file_bytes() const {
    return file_.payload().size() + io::kHeaderSize + io::kFooterSize;
  }

  /// Checksum, DocIds increasing and below `num_docs`, values finite, norms consistent.
  void verify(std::uint32_t num_docs) const;

 private:
  io::CheckedFile file_;
  VectorStoreHeader header_;
  std::span<const DocId> row_doc_;
  std::span<const float> sq_norms_;
  std::span<const float> values_;
};

/// Prepares a query for a metric: copies it to `out` and, under cosine, normalises it. Throws
/// Error(invalid_argument) naming `where` for a zero query under cosine.
void prepare_query(Metric metric, std::span<const float> query, float* out, std::string_view where);

}  // namespace tandem::dense
