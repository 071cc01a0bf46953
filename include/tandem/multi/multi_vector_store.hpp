// The multi-vector field of one segment (file "multivec"): each document's token vectors, for
// late-interaction re-ranking (ColBERT's MaxSim, Khattab & Zaharia, SIGIR 2020). Stored as float32,
// or as int8 codes with one scale per dimension (value = code * scale[c], scale[c] = max |x_c| /
// 127 over the segment's tokens).
//
// Payload layout (docs/format.md, "multivec"; little-endian, offsets from the payload start):
//   MultiVectorHeader (32 bytes): u32 dim, u32 encoding (0 f32, 1 int8), u64 rows, u64 tokens,
//                                 u64 reserved
//   u32 row_doc[rows]            DocId of each row, strictly increasing
//   (zero padding to 8 bytes)
//   u64 offsets[rows + 1]        row r's tokens are offsets[r] .. offsets[r+1]-1; offsets[0] = 0,
//                                non-decreasing, offsets[rows] = tokens
//   (zero padding to 64 bytes)
//   f32 max_norm[rows]           the largest |token| of each row (as decoded), for bounds
//   (zero padding to 64 bytes)
//   f32 scale[dim]               int8 only
//   (zero padding to 64 bytes)
//   values                       tokens * dim f32, or tokens * dim i8
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "tandem/core/types.hpp"
#include "tandem/io/file_format.hpp"

namespace tandem::multi {

enum class TokenEncoding : std::uint32_t { f32 = 0, int8 = 1 };
std::string_view to_string(TokenEncoding encoding);
/// "f32" (or "none") / "int8"; throws Error(invalid_argument).
TokenEncoding parse_token_encoding(std::string_view name);

/// Settings of a multi-vector field, kept in the manifest.
struct MultiVectorSettings {
  std::uint32_t dim = 0;
  TokenEncoding encoding = TokenEncoding::f32;
};

struct MultiVectorHeader {
  std::uint32_t dim = 0;
  std::uint32_t encoding = 0;
  std::uint64_t rows = 0;
  std::uint64_t tokens = 0;
  std::uint64_t reserved = 0;
};
static_assert(sizeof(MultiVectorHeader) == 32);

/// Writes a store atomically. `offsets` has row_doc.size() + 1 entries (token offsets), `values`
/// offsets.back() * dim floats. Throws Error(invalid_argument) on inconsistent sizes or a
/// non-finite value.
void write_multi_vector_store(const std::filesystem::path& path, std::size_t dim,
                              TokenEncoding encoding, std::span<const DocId> row_doc,
                              std::span<const std::uint64_t> offsets,
                              std::span<const float> values);

/// An open, memory-mapped store. Immutable and thread-safe.
class MultiVectorStore {
 public:
  MultiVectorStore() = default;
  /// Maps the file and checks header and table sizes; throws Error(corruption) naming the file.
  explicit MultiVectorStore(const std::filesystem::path& path);

  std::size_t dim() const { return header_.dim; }
  TokenEncoding encoding() const { return static_cast<TokenEncoding>(header_.encoding); }
  std::size_t rows() const { return row_doc_.size(); }
  std::uint64_t tokens() const { return header_.tokens; }
  std::span<const DocId> row_doc() const { return row_doc_; }
  /// The row of a document, or nullopt if it has no token vectors.
  std::optional<std::size_t> row_of(DocId doc) const;
  std::size_t token_count(std::size_t row) const { return offsets_[row + 1] - offsets_[row]; }
  float max_norm(std::size_t row) const { return max_norms_[row]; }
  /// The float tokens of a row (f32 stores only), token_count(row) * dim() values.
  const float* f32_tokens(std::size_t row) const {
    return f32_values_.data() + offsets_[row] * header_.dim;
  }
  /// The int8 codes of a row (int8 stores only).
  const std::int8_t* int8_tokens(std::size_t row) const {
    return i8_values_.data() + offsets_[row] * header_.dim;
  }
  /// Per-dimension scales (int8 stores only).
  std::span<const float> scales() const { return scales_; }
  /// Token j of a row, decoded to `out` (dim() floats).
  void decode(std::size_t row, std::size_t j, float* out) const;
  const std::string& path() const { return file_.path(); }
  std::uint64_t file_bytes() const {
    return file_.payload().size() + io::kHeaderSize + io::kFooterSize;
  }
  /// Checksum, rows in range and increasing, values finite, norms equal to the data.
  void verify(std::uint32_t num_docs) const;

 private:
  io::CheckedFile file_;
  MultiVectorHeader header_;
  std::span<const DocId> row_doc_;
  std::span<const std::uint64_t> offsets_;
  std::span<const float> max_norms_;
  std::span<const float> scales_;
  std::span<const float> f32_values_;
  std::span<const std::int8_t> i8_values_;
};

}  // namespace tandem::multi
