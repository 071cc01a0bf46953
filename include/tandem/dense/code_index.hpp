// Compressed codes of a dense field, searched in memory to pick candidates that are then re-ranked
// with the full-precision vectors of the memory-mapped store (two-tier, "bi-granular" search):
//
//  - sq8: int8 scalar quantisation, one byte per dimension on a per-dimension [min, max] grid;
//    scored against an int8-quantised query with an exact integer dot product (4x smaller).
//  - binary: one sign bit per dimension of x - mean (32x smaller), searched either by the
//    asymmetric score <q, b> of the float query against the +-1 code b (default: a lookup table of
//    256 partial sums per code byte, as in asymmetric distance computation; the query is not
//    binarised, which keeps far more of the ranking), or by Hamming distance between sign codes.
//  - pq: product quantisation (Jegou, Douze & Schmid, "Product quantization for nearest neighbor
//    search", TPAMI 2011): the vector is cut into M sub-vectors, each replaced by the id of its
//    nearest of 256 k-means centroids (seeded); scored by asymmetric distance computation, a
//    lookup table of query-to-centroid scores per sub-space (dim*4/M times smaller).
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "tandem/core/types.hpp"
#include "tandem/dense/dense_field.hpp"
#include "tandem/dense/flat_search.hpp"
#include "tandem/dense/vector_store.hpp"
#include "tandem/io/file_format.hpp"

namespace tandem::dense {

/// Trains (for pq) and encodes every row of `store`, and writes the codes atomically.
void build_codes(const std::filesystem::path& path, CodeKind kind, const VectorStore& store,
                 std::uint32_t pq_m, std::uint64_t seed, unsigned threads);

/// How binary codes are scored in the first tier.
enum class BinaryScoring { asymmetric, hamming };

/// The default re-ranking depth for a kind of code and k: chosen so that recall@10 after
/// re-ranking is within 0.005 of exact search on GloVe-100 (docs/dense.md has the measurements):
/// sq8 max(100, 10k); pq max(200, 20k); binary asymmetric max(2000, 200k), Hamming
/// max(10000, 1000k).
std::size_t default_rerank(CodeKind kind, BinaryScoring binary, std::size_t k);

/// Scratch of one code search (query tables, candidate heap); reuse one per thread.
struct CodeContext {
  std::vector<float> table;
  std::vector<std::int8_t> weights;
  std::vector<std::uint64_t> bits;
  std::vector<float> query;
  std::vector<Hit> candidates;
};

/// Codes read from a file. Immutable and thread-safe.
class CodeIndex {
 public:
  CodeIndex(const std::filesystem::path& path, const VectorStore& vectors);

  CodeKind kind() const { return kind_; }
  /// Bytes of code per vector held in memory while searching.
  std::size_t bytes_per_vector() const { return code_bytes_; }
  /// Bytes of the whole file (codes plus quantiser tables).
  std::uint64_t file_bytes() const { return file_bytes_; }

  /// Two-tier search of a prepared query: the best `candidates` rows by code score (ties by row),
  /// then the best `k` of them by exact_score() from the full vectors, in result order.
  void search(const float* query, std::size_t k, std::size_t candidates, CodeContext& ctx,
              std::vector<Hit>& out, RowFilter filter = {},
              BinaryScoring binary = BinaryScoring::asymmetric) const;

  /// Only the first tier: candidate rows with their approximate scores (larger is better).
  void candidates(const float* query, std::size_t count, CodeContext& ctx, std::vector<Hit>& out,
                  RowFilter filter = {}, BinaryScoring binary = BinaryScoring::asymmetric) const;

  void verify() const;

 private:
  const VectorStore* vectors_;
  io::CheckedFile file_;
  CodeKind kind_ = CodeKind::sq8;
  std::size_t dim_ = 0, rows_ = 0, code_bytes_ = 0, m_ = 0, dsub_ = 0;
  std::span<const float> params_;  // sq8: min[dim], step[dim]; binary: mean[dim]; pq: centroids
  std::span<const std::uint8_t> codes_;
  std::uint64_t file_bytes_ = 0;
};

}  // namespace tandem::dense
