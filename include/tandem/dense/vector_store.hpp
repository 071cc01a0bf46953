// The full-precision vectors of a dense field in one segment (file "dense.vectors",
// docs/format.md): memory-mapped, read in place by exact search and by re-ranking.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "tandem/core/types.hpp"
#include "tandem/dense/kernels.hpp"
#include "tandem/dense/metric.hpp"
#include "tandem/io/file_format.hpp"

namespace tandem::dense {

/// How the vectors are stored: float32, or IEEE binary16 (half the bytes; values are rounded to
/// the nearest binary16 once, at build time, and every search is exact over the stored values).
enum class Storage : std::uint32_t { f32 = 0, f16 = 1 };
std::string_view to_string(Storage storage);
/// "fp32" or "fp16"; throws Error(invalid_argument) otherwise.
Storage parse_storage(std::string_view name);

/// Payload layout (all little-endian, offsets from the start of the payload):
///   u32 dim, u32 metric (0 ip, 1 cosine, 2 l2), u32 element type (0 float32, 1 binary16),
///   u32 reserved,
///   u64 rows, f32 largest norm, u32 reserved,
///   u32 row_doc[rows]          the DocId of each row, strictly increasing
///   (zero padding to 64 bytes)
///   f32 sq_norm[rows]          |x|^2 of each stored row (for L2 as |q|^2 - 2<q,x> + |x|^2)
///   (zero padding to 64 bytes)
///   f32 or f16 values[rows * dim]   row-major; under cosine every row has unit length (float16:
///                              before rounding); norms are those of the stored values
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
/// `dim` floats, already normalised under cosine. Under Storage::f16 a value beyond the binary16
/// range (|v| > 65504) is an Error(invalid_argument) naming its row.
void write_vector_store(const std::filesystem::path& path, Metric metric, std::size_t dim,
                        std::span<const DocId> row_doc, std::span<const float> values,
                        Storage storage = Storage::f32);

/// `values` rounded to binary16 and back (exactly what an f16 store holds), for builders that
/// work on the stored values (the HNSW graph).
std::vector<float> round_to_half(std::span<const float> values);

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
  Storage storage() const { return static_cast<Storage>(header_.element); }
  /// Row i of a float32 store (precondition: storage() == Storage::f32).
  const float* row(std::size_t i) const { return values_.data() + i * header_.dim; }
  /// Row i of a binary16 store (precondition: storage() == Storage::f16).
  const Half* row_f16(std::size_t i) const { return halves_.data() + i * header_.dim; }
  /// Row i as floats, whatever the storage: the row itself, or its exact conversion written to
  /// `scratch` (dim() floats).
  const float* row_floats(std::size_t i, float* scratch) const;
  /// The address of row i's first byte (for prefetching).
  const void* row_address(std::size_t i) const {
    return storage() == Storage::f32 ? static_cast<const void*>(row(i))
                                     : static_cast<const void*>(row_f16(i));
  }
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
  std::span<const Half> halves_;
};

/// Prepares a query for a metric: copies it to `out` and, under cosine, normalises it. Throws
/// Error(invalid_argument) naming `where` for a zero query under cosine.
void prepare_query(Metric metric, std::span<const float> query, float* out, std::string_view where);

}  // namespace tandem::dense
