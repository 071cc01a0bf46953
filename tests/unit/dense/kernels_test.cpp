#include "tandem/dense/kernels.hpp"

#include <cmath>
#include <cstring>
#include <random>

#include <gtest/gtest.h>
#include <immintrin.h>

namespace tandem::dense {
namespace {

__attribute__((target("f16c"))) float hw_half_to_float(Half h) {
  return _cvtsh_ss(h);
}
__attribute__((target("f16c"))) Half hw_float_to_half(float f) {
  return static_cast<Half>(_cvtss_sh(f, _MM_FROUND_TO_NEAREST_INT));
}

// The portable binary16 conversions against the CPU's F16C instructions: every one of the 65,536
// binary16 values, and floats around every binary16 value (ties, subnormals, overflow included).
TEST(Kernels, HalfConversionsMatchF16C) {
  if (!__builtin_cpu_supports("avx2")) GTEST_SKIP() << "no F16C to compare with";
  for (std::uint32_t h = 0; h < 65536; ++h) {
    const float want = hw_half_to_float(static_cast<Half>(h));
    const float got = half_to_float(static_cast<Half>(h));
    if (std::isnan(want)) {
      EXPECT_TRUE(std::isnan(got)) << h;
      continue;
    }
    ASSERT_EQ(std::memcmp(&want, &got, 4), 0) << h;
    // the value itself, and the floats just below, at and above the midpoint to the next
    std::uint32_t bits;
    std::memcpy(&bits, &want, 4);
    for (std::int32_t delta : {0, 1, -1, 4095, 4096, 4097, 8191}) {
      const std::uint32_t b = bits + static_cast<std::uint32_t>(delta);
      float f;
      std::memcpy(&f, &b, 4);
      if (std::isnan(f)) continue;
      ASSERT_EQ(float_to_half(f), hw_float_to_half(f)) << h << " " << delta;
    }
  }
  EXPECT_EQ(float_to_half(1e6f), hw_float_to_half(1e6f));  // infinity
  EXPECT_EQ(float_to_half(65504.0f), 0x7bffu);
}

// The binary16-row kernels equal the float kernels run on the converted rows (to rounding).
TEST(Kernels, HalfRowKernelsAgreeWithFloat) {
  std::mt19937_64 rng(5);
  std::normal_distribution<float> normal;
  for (const char* name : {"portable", "avx2", "avx512"}) {
    const Kernels* k = kernels_named(name);
    if (k == nullptr) continue;
    for (std::size_t d : {1, 9, 16, 100, 130, 257}) {
      const std::size_t n = 37, m = 14;
      std::vector<Half> xh(n * d);
      std::vector<float> xf(n * d), q(m * d), pack(k->block_panel * d);
      for (std::size_t i = 0; i < n * d; ++i) {
        xh[i] = float_to_half(normal(rng));
        xf[i] = half_to_float(xh[i]);
      }
      for (auto& v : q) v = normal(rng);
      const float tol = 1e-4f * static_cast<float>(d);
      EXPECT_NEAR(k->half.dot(q.data(), xh.data(), d), k->dot(q.data(), xf.data(), d), tol);
      EXPECT_NEAR(k->half.l2sq(q.data(), xh.data(), d), k->l2sq(q.data(), xf.data(), d), tol);
      std::vector<float> a(n), b(n), ga(m * n), gb(m * n);
      k->half.dot_rows(q.data(), xh.data(), n, d, a.data());
      k->dot_rows(q.data(), xf.data(), n, d, b.data());
      for (std::size_t i = 0; i < n; ++i) EXPECT_NEAR(a[i], b[i], tol) << name << d;
      k->half.l2sq_rows(q.data(), xh.data(), n, d, a.data());
      k->l2sq_rows(q.data(), xf.data(), n, d, b.data());
      for (std::size_t i = 0; i < n; ++i) EXPECT_NEAR(a[i], b[i], tol) << name << d;
      k->half.dot_block(q.data(), m, xh.data(), n, d, ga.data(), n, pack.data());
      k->dot_block(q.data(), m, xf.data(), n, d, gb.data(), n, pack.data());
      for (std::size_t i = 0; i < m * n; ++i) ASSERT_EQ(ga[i], gb[i]) << name << d;  // same chains
    }
  }
}

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

// The blocked product equals one dot product per pair (to rounding) for query and row counts
// around the register tile (12 x 32, 4 x 16) and dimensions across the 128-dimension slices, and
// the select kernel finds exactly the scores at or above a threshold.
TEST(Kernels, BlockProductAndSelectAgreeWithPortable) {
  std::mt19937_64 rng(11);
  std::normal_distribution<float> normal;
  const Kernels& ref = portable_kernels();
  for (const char* name : {"portable", "avx2", "avx512"}) {
    const Kernels* k = kernels_named(name);
    if (k == nullptr) continue;
    for (std::size_t d : {1, 7, 16, 100, 129, 300}) {
      for (std::size_t m : {1, 5, 13, 25}) {
        for (std::size_t n : {1, 31, 33, 70}) {
          std::vector<float> q(m * d), x(n * d), pack(k->block_panel * d);
          for (auto& v : q) v = normal(rng);
          for (auto& v : x) v = normal(rng);
          const std::size_t ld = n + 3;
          std::vector<float> got(m * ld, -7.0f), want(n);
          k->dot_block(q.data(), m, x.data(), n, d, got.data(), ld, pack.data());
          for (std::size_t i = 0; i < m; ++i) {
            ref.dot_rows(q.data() + i * d, x.data(), n, d, want.data());
            for (std::size_t j = 0; j < n; ++j)
              ASSERT_NEAR(got[i * ld + j], want[j], 1e-4f * static_cast<float>(d))
                  << name << " d=" << d << " m=" << m << " n=" << n;
            for (std::size_t j = n; j < ld; ++j) ASSERT_EQ(got[i * ld + j], -7.0f);  // untouched
          }
        }
      }
    }
    std::vector<float> s(77);
    for (auto& v : s) v = normal(rng);
    std::vector<std::uint32_t> idx(77), want;
    for (std::uint32_t j = 0; j < 77; ++j) {
      if (s[j] >= 0.3f) want.push_back(j);
    }
    const std::size_t c = k->select_at_least(s.data(), 77, 0.3f, idx.data());
    EXPECT_EQ(std::vector<std::uint32_t>(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(c)),
              want)
        << name;
  }
}

}  // namespace
}  // namespace tandem::dense
