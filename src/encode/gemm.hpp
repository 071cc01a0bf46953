// Dense matrix products of the encoders: OpenBLAS sgemm, or plain loops as the reference.
#pragma once

#include <cstddef>

#include "tandem/encode/bert_model.hpp"

namespace tandem::encode::detail {

/// C[m x n] = alpha * A[m x k] * B[n x k]^T (+ C if accumulate); row-major with leading dimensions.
void gemm_nt(GemmBackend backend, std::size_t m, std::size_t n, std::size_t k, float alpha,
             const float* a, std::size_t lda, const float* b, std::size_t ldb, float* c,
             std::size_t ldc);

/// C[m x n] = A[m x k] * B[k x n]; row-major with leading dimensions.
void gemm_nn(GemmBackend backend, std::size_t m, std::size_t n, std::size_t k, const float* a,
             std::size_t lda, const float* b, std::size_t ldb, float* c, std::size_t ldc);

/// A torch Linear layer: Y[rows x out] = X[rows x in] * W^T + bias, with W stored [out x in].
inline void linear(GemmBackend backend, const float* x, std::size_t rows, std::size_t in,
                   const float* w, const float* bias, std::size_t out, float* y) {
  gemm_nt(backend, rows, out, in, 1.0f, x, in, w, in, y, out);
  for (std::size_t r = 0; r < rows; ++r) {
    float* row = y + r * out;
    for (std::size_t j = 0; j < out; ++j) row[j] += bias[j];
  }
}

}  // namespace tandem::encode::detail
