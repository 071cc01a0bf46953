#include "lapack.hpp"

#include <algorithm>

#include "tandem/core/error.hpp"

// Fortran LAPACK, with gfortran's hidden lengths of character arguments at the end. The names
// are LAPACK's.
// NOLINTBEGIN(readability-identifier-naming)
extern "C" {
void dgeqrf_(const int* m, const int* n, double* a, const int* lda, double* tau, double* work,
             const int* lwork, int* info);
void dorgqr_(const int* m, const int* n, const int* k, double* a, const int* lda, const double* tau,
             double* work, const int* lwork, int* info);
void dgesdd_(const char* jobz, const int* m, const int* n, double* a, const int* lda, double* s,
             double* u, const int* ldu, double* vt, const int* ldvt, double* work, const int* lwork,
             int* iwork, int* info, std::size_t jobz_len);
void dsyevd_(const char* jobz, const char* uplo, const int* n, double* a, const int* lda, double* w,
             double* work, const int* lwork, int* iwork, const int* liwork, int* info,
             std::size_t jobz_len, std::size_t uplo_len);
}
// NOLINTEND(readability-identifier-naming)

namespace tandem::encode::detail {

namespace {

void check(int info, const char* routine) {
  if (info != 0) fail(ErrorKind::invalid_argument, "LAPACK {} failed (info {})", routine, info);
}

int as_int(std::size_t v) {
  if (v > 0x7fffffff) fail(ErrorKind::limit_exceeded, "matrix dimension {} is over 2^31", v);
  return static_cast<int>(v);
}

}  // namespace

void orthonormalize_columns(std::vector<double>& a, std::size_t m, std::size_t n) {
  const int mi = as_int(m), ni = as_int(n), lda = std::max(1, mi);
  as_int(m * n);
  std::vector<double> tau(std::max<std::size_t>(n, 1));
  int info = 0, lwork = -1;
  double query = 0;
  dgeqrf_(&mi, &ni, a.data(), &lda, tau.data(), &query, &lwork, &info);
  check(info, "dgeqrf");
  std::vector<double> work(static_cast<std::size_t>(query) + 1);
  lwork = static_cast<int>(work.size());
  dgeqrf_(&mi, &ni, a.data(), &lda, tau.data(), work.data(), &lwork, &info);
  check(info, "dgeqrf");
  lwork = -1;
  dorgqr_(&mi, &ni, &ni, a.data(), &lda, tau.data(), &query, &lwork, &info);
  check(info, "dorgqr");
  work.assign(static_cast<std::size_t>(query) + 1, 0.0);
  lwork = static_cast<int>(work.size());
  dorgqr_(&mi, &ni, &ni, a.data(), &lda, tau.data(), work.data(), &lwork, &info);
  check(info, "dorgqr");
}

void thin_svd(std::vector<double>& a, std::size_t m, std::size_t n, std::vector<double>& u,
              std::vector<double>& s) {
  const int mi = as_int(m), ni = as_int(n), lda = std::max(1, mi), ldvt = std::max(1, ni);
  u.assign(m * n, 0.0);
  s.assign(n, 0.0);
  std::vector<double> vt(n * n);
  std::vector<int> iwork(8 * n + 1);
  int info = 0, lwork = -1;
  double query = 0;
  const char jobz = 'S';
  dgesdd_(&jobz, &mi, &ni, a.data(), &lda, s.data(), u.data(), &lda, vt.data(), &ldvt, &query,
          &lwork, iwork.data(), &info, 1);
  check(info, "dgesdd");
  std::vector<double> work(static_cast<std::size_t>(query) + 1);
  lwork = static_cast<int>(work.size());
  dgesdd_(&jobz, &mi, &ni, a.data(), &lda, s.data(), u.data(), &lda, vt.data(), &ldvt, work.data(),
          &lwork, iwork.data(), &info, 1);
  check(info, "dgesdd");
}

void symmetric_eigen(std::vector<double>& a, std::size_t n, std::vector<double>& w) {
  const int ni = as_int(n), lda = std::max(1, ni);
  w.assign(n, 0.0);
  int info = 0, lwork = -1, liwork = -1, iquery = 0;
  double query = 0;
  const char jobz = 'V', uplo = 'L';
  dsyevd_(&jobz, &uplo, &ni, a.data(), &lda, w.data(), &query, &lwork, &iquery, &liwork, &info, 1,
          1);
  check(info, "dsyevd");
  std::vector<double> work(static_cast<std::size_t>(query) + 1);
  std::vector<int> iwork(static_cast<std::size_t>(iquery) + 1);
  lwork = static_cast<int>(work.size());
  liwork = static_cast<int>(iwork.size());
  dsyevd_(&jobz, &uplo, &ni, a.data(), &lda, w.data(), work.data(), &lwork, iwork.data(), &liwork,
          &info, 1, 1);
  check(info, "dsyevd");
}

}  // namespace tandem::encode::detail
