// Reads dense vectors users already have: NumPy .npy matrices, TEXMEX .fvecs, and JSONL lines
// {"id": ..., "vector": [...]} (Anserini's pre-encoded corpora and topics use "docid"/"qid").
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::io {

/// A row-major float32 matrix with one external id per row (empty ids = row numbers "0", "1"...).
struct VectorSet {
  std::size_t dim = 0;
  std::vector<float> values;     // rows() * dim
  std::vector<std::string> ids;  // rows() entries, or empty when the file has no ids
  std::size_t rows() const { return dim == 0 ? 0 : values.size() / dim; }
  std::span<const float> row(std::size_t i) const { return {values.data() + i * dim, dim}; }
};

/// The element type and shape of a .npy file (format 1.0/2.0/3.0, C order only).
struct NpyHeader {
  enum class Dtype { f32, f16, f64 } dtype = Dtype::f32;
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::size_t data_offset = 0;  // where the little-endian row-major values start
};

/// Parses the header of a .npy file held in `bytes`. Accepts little-endian '<f4', '<f2' and '<f8'
/// 2-d (or 1-d: one row) C-order arrays. Throws Error(invalid_argument) naming `where` otherwise,
/// and when the data is shorter than the shape says (a truncated file).
NpyHeader parse_npy_header(std::span<const std::byte> bytes, std::string_view where);

/// Parses a whole .npy file into `out` (ids left empty). Every value must be finite.
void parse_npy(std::span<const std::byte> bytes, std::string_view where, VectorSet& out);

/// Parses TEXMEX .fvecs bytes: per row an int32 dimension d, then d float32. Every row must have
/// the first row's dimension and finite values; a truncated last row is an error naming the row.
void parse_fvecs(std::span<const std::byte> bytes, std::string_view where, VectorSet& out);

/// One JSONL vector line: the id ("id", "_id", "docid", "qid" or "query_id"; a string or an
/// integer) and the "vector" array of numbers. `id` and `vector` are overwritten. Throws
/// Error(invalid_argument) prefixed with `where` for malformed JSON, a missing id or vector, a
/// non-number element, or a NaN/Inf value.
void parse_vector_line(std::string_view line, std::string_view where, std::string& id,
                       std::vector<float>& vector);

/// Reads a vector file, chosen by its name: *.npy, *.fvecs, else JSONL (plain or gzipped). If
/// `ids_path` is given, ids come from it (one per line; their count must equal the rows) and
/// replace any in the file. Checks: every row has the same dimension, every value is finite, the
/// file is not truncated; errors name the file and row (1-based). An empty file is an error.
VectorSet read_vectors(const std::filesystem::path& path,
                       const std::filesystem::path& ids_path = {});

/// The id of row i of a set: its external id, or the row number when the set has none.
std::string row_id(const VectorSet& set, std::size_t i);

/// Converts IEEE half precision to float (exact).
float half_to_float(std::uint16_t h);
/// Converts float to IEEE half precision, rounding to nearest even (overflow to infinity).
std::uint16_t float_to_half(float f);

}  // namespace tandem::io
