// The few LAPACK routines the trained encoders need (OpenBLAS bundles LAPACK), on column-major
// double matrices. Each throws Error(invalid_argument) if LAPACK reports a failure.
#pragma once

#include <cstddef>
#include <vector>

namespace tandem::encode::detail {

/// Replaces the m x n (m >= n) column-major `a` by an orthonormal basis Q of its columns
/// (Householder QR: dgeqrf + dorgqr).
void orthonormalize_columns(std::vector<double>& a, std::size_t m, std::size_t n);

/// Thin SVD of the m x n column-major `a` (m >= n): a = U diag(s) V^T; U is m x n column-major, s
/// descending (dgesdd). `a` is destroyed.
void thin_svd(std::vector<double>& a, std::size_t m, std::size_t n, std::vector<double>& u,
              std::vector<double>& s);

/// Eigen-decomposition of the symmetric n x n `a`: eigenvalues ascending in `w`, eigenvectors as
/// the columns of `a` (dsyevd).
void symmetric_eigen(std::vector<double>& a, std::size_t n, std::vector<double>& w);

}  // namespace tandem::encode::detail
