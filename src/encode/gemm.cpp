#include "gemm.hpp"

#include <cblas.h>

namespace tandem::encode::detail {

void gemm_nt(GemmBackend backend, std::size_t m, std::size_t n, std::size_t k, float alpha,
             const float* a, std::size_t lda, const float* b, std::size_t ldb, float* c,
             std::size_t ldc) {
  if (m == 0 || n == 0) return;
  if (backend == GemmBackend::blas) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(m), static_cast<int>(n),
                static_cast<int>(k), alpha, a, static_cast<int>(lda), b, static_cast<int>(ldb),
                0.0f, c, static_cast<int>(ldc));
    return;
  }
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      float sum = 0;
      for (std::size_t p = 0; p < k; ++p) sum += a[i * lda + p] * b[j * ldb + p];
      c[i * ldc + j] = alpha * sum;
    }
  }
}

void gemm_nn(GemmBackend backend, std::size_t m, std::size_t n, std::size_t k, const float* a,
             std::size_t lda, const float* b, std::size_t ldb, float* c, std::size_t ldc) {
  if (m == 0 || n == 0) return;
  if (backend == GemmBackend::blas) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(m), static_cast<int>(n),
                static_cast<int>(k), 1.0f, a, static_cast<int>(lda), b, static_cast<int>(ldb), 0.0f,
                c, static_cast<int>(ldc));
    return;
  }
  for (std::size_t i = 0; i < m; ++i) {
    float* row = c + i * ldc;
    for (std::size_t j = 0; j < n; ++j) row[j] = 0;
    for (std::size_t p = 0; p < k; ++p) {
      const float aip = a[i * lda + p];
      const float* brow = b + p * ldb;
      for (std::size_t j = 0; j < n; ++j) row[j] += aip * brow[j];
    }
  }
}

}  // namespace tandem::encode::detail

namespace tandem::encode {

void set_blas_threads(int threads) {
  openblas_set_num_threads(threads);
}

}  // namespace tandem::encode
