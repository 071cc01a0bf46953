#include "tandem/dense/kernels.hpp"

#include <cmath>
#include <random>

#include <gtest/gtest.h>

namespace tandem::dense {
namespace {

// Every SIMD level this CPU has agrees with the portable kernels (to float rounding), for every
// length from 1 to 130, so the masked and scalar tails are covered.
TEST(Kernels, SimdLevelsAgreeWithPortable) {
  std::mt19937_64 rng(7);
  std::normal_distribution<float> normal;
  const Kernels& ref = portable_kernels();
  for (const char* name : {"avx2", "avx512"}) {
    const Kernels* k = kernels_named(name);
    if (k == nullptr) continue;
    for (std::size_t d = 1; d <= 130; ++d) {
      std::vector<float> a(5 * d), b(d);
      for (auto& v : a) v = normal(rng);
      for (auto& v : b) v = normal(rng);
      const float tol = 1e-4f * static_cast<float>(d);
      EXPECT_NEAR(k->dot(a.data(), b.data(), d), ref.dot(a.data(), b.data(), d), tol) << name << d;
      EXPECT_NEAR(k->l2sq(a.data(), b.data(), d), ref.l2sq(a.data(), b.data(), d), tol)
          << name << d;
      std::vector<float> o1(5), o2(5);
      k->dot_rows(b.data(), a.data(), 5, d, o1.data());
      ref.dot_rows(b.data(), a.data(), 5, d, o2.data());
      for (int i = 0; i < 5; ++i) EXPECT_NEAR(o1[i], o2[i], tol) << name << d;
      k->l2sq_rows(b.data(), a.data(), 5, d, o1.data());
      ref.l2sq_rows(b.data(), a.data(), 5, d, o2.data());
      for (int i = 0; i < 5; ++i) EXPECT_NEAR(o1[i], o2[i], tol) << name << d;
      EXPECT_NEAR(k->sum_rows(a.data(), a.size()), ref.sum_rows(a.data(), a.size()), tol);
      std::vector<std::uint8_t> c(d);
      std::vector<std::int8_t> w(d);
      for (std::size_t i = 0; i < d; ++i) {
        c[i] = static_cast<std::uint8_t>(rng());
        w[i] = static_cast<std::int8_t>(rng());
      }
      EXPECT_EQ(k->dot_u8_s8(c.data(), w.data(), d), ref.dot_u8_s8(c.data(), w.data(), d));
      std::vector<std::uint64_t> x(3), y(3);
      for (auto& v : x) v = rng();
      for (auto& v : y) v = rng();
      EXPECT_EQ(k->hamming(x.data(), y.data(), 3), ref.hamming(x.data(), y.data(), 3));
    }
  }
  EXPECT_FALSE(kernels().name.empty());
}

}  // namespace
}  // namespace tandem::dense
