// Randomised SVD against matrices with a known spectrum.
#include "tandem/encode/randomized_svd.hpp"

#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "lapack.hpp"

namespace tandem::encode {
namespace {

// A dense rows x cols matrix U diag(s) V^T with random orthonormal U, V (seeded), as CSR.
CsrMatrix with_spectrum(std::size_t rows, std::size_t cols, const std::vector<double>& s,
                        std::uint64_t seed, std::vector<double>* v_out = nullptr) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  const std::size_t r = s.size();
  std::vector<double> u(rows * r), v(cols * r);
  for (auto& x : u) x = normal(rng);
  for (auto& x : v) x = normal(rng);
  detail::orthonormalize_columns(u, rows, r);
  detail::orthonormalize_columns(v, cols, r);
  CsrMatrix a;
  a.rows = rows;
  a.cols = cols;
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = 0; j < cols; ++j) {
      double x = 0;
      for (std::size_t k = 0; k < r; ++k) x += u[i + k * rows] * s[k] * v[j + k * cols];
      a.col.push_back(static_cast<std::uint32_t>(j));
      a.value.push_back(static_cast<float>(x));
    }
    a.row_begin.push_back(a.col.size());
  }
  if (v_out != nullptr) *v_out = v;
  return a;
}

TEST(RandomizedSvd, RecoversAnExactlyLowRankMatrix) {
  const std::vector<double> s = {10, 7, 4, 2, 1};
  std::vector<double> v;
  const CsrMatrix a = with_spectrum(80, 60, s, 7, &v);
  const TruncatedSvd svd = randomized_svd(a, {.rank = 5, .oversample = 5, .seed = 1});
  ASSERT_EQ(svd.rank, 5u);
  for (std::size_t k = 0; k < 5; ++k) EXPECT_NEAR(svd.singular_values[k], s[k], 1e-4) << k;
  // Each right singular vector equals the true one up to sign.
  for (std::size_t k = 0; k < 5; ++k) {
    double dot = 0;
    for (std::size_t j = 0; j < 60; ++j) dot += svd.right_vectors[j * 5 + k] * v[j + k * 60];
    EXPECT_NEAR(std::abs(dot), 1.0, 1e-4) << k;
  }
}

TEST(RandomizedSvd, LeadingValuesOfAFullRankMatrixAreAccurateWithPowerIterations) {
  std::vector<double> s;
  for (int k = 0; k < 40; ++k) s.push_back(std::pow(0.8, k) * 5.0);
  const CsrMatrix a = with_spectrum(100, 70, s, 11);
  const TruncatedSvd svd =
      randomized_svd(a, {.rank = 10, .oversample = 10, .power_iterations = 3, .seed = 3});
  for (std::size_t k = 0; k < 10; ++k) EXPECT_NEAR(svd.singular_values[k], s[k], 1e-3 * s[0]) << k;
  // The same seed gives the same result; another seed gives (nearly) the same values.
  const TruncatedSvd again =
      randomized_svd(a, {.rank = 10, .oversample = 10, .power_iterations = 3, .seed = 3});
  EXPECT_EQ(svd.right_vectors, again.right_vectors);
}

TEST(RandomizedSvd, RankIsCappedByTheMatrix) {
  const CsrMatrix a = with_spectrum(6, 4, {3, 2}, 5);
  const TruncatedSvd svd = randomized_svd(a, {.rank = 10});
  EXPECT_EQ(svd.rank, 4u);
  EXPECT_NEAR(svd.singular_values[0], 3, 1e-5);
  EXPECT_NEAR(svd.singular_values[1], 2, 1e-5);
  EXPECT_NEAR(svd.singular_values[2], 0, 1e-5);
}

}  // namespace
}  // namespace tandem::encode
