// Truncated SVD of a sparse matrix by randomised subspace iteration: Halko, Martinsson and Tropp,
// "Finding structure with randomness", SIAM Review 53(2), 2011 (Algorithm 4.4 for the range, 5.1
// for the SVD of the small factor).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tandem::encode {

/// A sparse rows x cols matrix in compressed rows: row r holds entries
/// [row_begin[r], row_begin[r + 1]) of col / value.
struct CsrMatrix {
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<std::uint64_t> row_begin{0};
  std::vector<std::uint32_t> col;
  std::vector<float> value;
};

struct RandomizedSvdOptions {
  std::size_t rank = 256;
  /// Extra random directions beyond `rank` (the paper's p; 5-10 suffice for a decaying spectrum).
  std::size_t oversample = 10;
  /// Power (subspace) iterations q, each re-orthonormalised; 2 sharpens a slowly decaying spectrum.
  unsigned power_iterations = 2;
  std::uint64_t seed = 42;
  unsigned threads = 1;
};

/// The leading singular values and right singular vectors of A.
struct TruncatedSvd {
  std::size_t rank = 0;                 // min(options.rank, rows, cols)
  std::vector<double> singular_values;  // descending, `rank` of them
  std::vector<double> right_vectors;    // V: cols x rank, row-major (row = a column of A)
};

/// Computes a rank-k approximation A ~ U S V^T with l = k + oversample random Gaussian test
/// vectors (drawn from `seed` with a portable generator, so a seed gives the same result on every
/// machine with the same LAPACK). Cost: O((q + 1) * nnz(A) * l + (rows + cols) * l^2).
TruncatedSvd randomized_svd(const CsrMatrix& a, const RandomizedSvdOptions& options);

}  // namespace tandem::encode
