#include "tandem/encode/randomized_svd.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "tandem/core/error.hpp"
#include "tandem/core/parallel.hpp"

#include "lapack.hpp"

namespace tandem::encode {

namespace {

// SplitMix64 (Steele, Lea and Flood, OOPSLA 2014): a tiny portable generator.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // Uniform in (0, 1].
  double uniform() { return (static_cast<double>(next() >> 11) + 1.0) * 0x1.0p-53; }
  // Standard normal by Box-Muller (one of the pair).
  double normal() {
    const double u = uniform(), v = uniform();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * std::numbers::pi * v);
  }

 private:
  std::uint64_t state_;
};

CsrMatrix transpose(const CsrMatrix& a) {
  CsrMatrix t;
  t.rows = a.cols;
  t.cols = a.rows;
  t.row_begin.assign(a.cols + 1, 0);
  for (const auto c : a.col) ++t.row_begin[c + 1];
  for (std::size_t c = 0; c < a.cols; ++c) t.row_begin[c + 1] += t.row_begin[c];
  t.col.resize(a.col.size());
  t.value.resize(a.value.size());
  std::vector<std::uint64_t> fill(t.row_begin.begin(), t.row_begin.end() - 1);
  for (std::size_t r = 0; r < a.rows; ++r) {
    for (std::uint64_t i = a.row_begin[r]; i < a.row_begin[r + 1]; ++i) {
      const std::uint64_t at = fill[a.col[i]]++;
      t.col[at] = static_cast<std::uint32_t>(r);
      t.value[at] = a.value[i];
    }
  }
  return t;
}

// out (a.rows x l) = A * b, b is a.cols x l; both column-major (as LAPACK wants them). The
// product runs on row-major copies, so that each sparse entry touches contiguous memory.
void multiply(const CsrMatrix& a, const std::vector<double>& b, std::size_t l,
              std::vector<double>& out, unsigned threads) {
  std::vector<double> b_rows(a.cols * l), out_rows(a.rows * l, 0.0);
  for (std::size_t c = 0; c < a.cols; ++c) {
    for (std::size_t j = 0; j < l; ++j) b_rows[c * l + j] = b[c + j * a.cols];
  }
  parallel_for(
      a.rows, threads,
      [&](std::size_t r, unsigned) {
        double* dst = out_rows.data() + r * l;
        for (std::uint64_t i = a.row_begin[r]; i < a.row_begin[r + 1]; ++i) {
          const double v = a.value[i];
          const double* src = b_rows.data() + std::size_t{a.col[i]} * l;
          for (std::size_t j = 0; j < l; ++j) dst[j] += v * src[j];
        }
      },
      256);
  out.resize(a.rows * l);
  for (std::size_t r = 0; r < a.rows; ++r) {
    for (std::size_t j = 0; j < l; ++j) out[r + j * a.rows] = out_rows[r * l + j];
  }
}

}  // namespace

TruncatedSvd randomized_svd(const CsrMatrix& a, const RandomizedSvdOptions& options) {
  if (a.row_begin.size() != a.rows + 1 || a.col.size() != a.value.size()) {
    fail(ErrorKind::invalid_argument, "randomized_svd: malformed CSR matrix");
  }
  const std::size_t k = std::min({options.rank, a.rows, a.cols});
  const std::size_t l = std::min({options.rank + options.oversample, a.rows, a.cols});
  TruncatedSvd result;
  result.rank = k;
  if (k == 0) return result;
  const CsrMatrix at = transpose(a);

  SplitMix64 rng(options.seed);
  std::vector<double> omega(a.cols * l);  // column-major cols x l
  for (auto& x : omega) x = rng.normal();
  std::vector<double> y, z;
  multiply(a, omega, l, y, options.threads);  // Y = A Omega
  detail::orthonormalize_columns(y, a.rows, l);
  for (unsigned q = 0; q < options.power_iterations; ++q) {
    multiply(at, y, l, z, options.threads);  // Z = A^T Q
    detail::orthonormalize_columns(z, a.cols, l);
    multiply(a, z, l, y, options.threads);  // Y = A Z
    detail::orthonormalize_columns(y, a.rows, l);
  }
  multiply(at, y, l, z, options.threads);  // Z = A^T Q = B^T, cols x l
  // B^T = U_z S V_z^T, so B = V_z S U_z^T and A ~ Q B = (Q V_z) S U_z^T: A's right singular
  // vectors are U_z's columns and its singular values are S.
  std::vector<double> u, s;
  detail::thin_svd(z, a.cols, l, u, s);
  result.singular_values.assign(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(k));
  result.right_vectors.assign(a.cols * k, 0.0);
  for (std::size_t c = 0; c < a.cols; ++c) {
    for (std::size_t j = 0; j < k; ++j) result.right_vectors[c * k + j] = u[c + j * a.cols];
  }
  // Fix each vector's sign (the largest-magnitude entry positive) so results do not depend on
  // LAPACK's choice.
  for (std::size_t j = 0; j < k; ++j) {
    std::size_t arg = 0;
    for (std::size_t c = 1; c < a.cols; ++c) {
      if (std::abs(result.right_vectors[c * k + j]) > std::abs(result.right_vectors[arg * k + j])) {
        arg = c;
      }
    }
    if (result.right_vectors[arg * k + j] < 0) {
      for (std::size_t c = 0; c < a.cols; ++c) result.right_vectors[c * k + j] *= -1;
    }
  }
  return result;
}

}  // namespace tandem::encode
