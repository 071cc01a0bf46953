// Three builds of the same kernels: portable C++, AVX2+FMA and AVX-512, each compiled for its
// instruction set with a target attribute, chosen once by kernels(). Every kernel's contract is the
// plain loop in the portable version; the SIMD ones differ only in summation order (rounding).
#include "tandem/dense/kernels.hpp"

// GCC 12's AVX-512 headers use _mm512_undefined_* inside _mm512_reduce_add_*, which -Wuninitialized
// reports at every use (GCC bug 105593); the values are never read.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

namespace tandem::dense {

namespace {

// ---- portable: eight partial sums, so a compiler can keep them in SSE registers --------------

float dot_portable(const float* a, const float* b, std::size_t d) {
  float s[8] = {};
  std::size_t i = 0;
  for (; i + 8 <= d; i += 8) {
    for (int j = 0; j < 8; ++j) s[j] += a[i + j] * b[i + j];
  }
  float t = 0;
  for (; i < d; ++i) t += a[i] * b[i];
  return ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7])) + t;
}

float l2sq_portable(const float* a, const float* b, std::size_t d) {
  float s[8] = {};
  std::size_t i = 0;
  for (; i + 8 <= d; i += 8) {
    for (int j = 0; j < 8; ++j) {
      const float x = a[i + j] - b[i + j];
      s[j] += x * x;
    }
  }
  float t = 0;
  for (; i < d; ++i) t += (a[i] - b[i]) * (a[i] - b[i]);
  return ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7])) + t;
}

void dot_rows_portable(const float* q, const float* x, std::size_t n, std::size_t d, float* out) {
  for (std::size_t i = 0; i < n; ++i) out[i] = dot_portable(q, x + i * d, d);
}

void l2sq_rows_portable(const float* q, const float* x, std::size_t n, std::size_t d, float* out) {
  for (std::size_t i = 0; i < n; ++i) out[i] = l2sq_portable(q, x + i * d, d);
}

float sum_rows_portable(const float* x, std::size_t n) {
  float s[8] = {};
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (int j = 0; j < 8; ++j) s[j] += x[i + j];
  }
  for (; i < n; ++i) s[0] += x[i];
  return s[0] + s[1] + s[2] + s[3] + s[4] + s[5] + s[6] + s[7];
}

std::uint32_t hamming_portable(const std::uint64_t* a, const std::uint64_t* b, std::size_t w) {
  std::uint32_t s = 0;
  for (std::size_t i = 0; i < w; ++i)
    s += static_cast<std::uint32_t>(__builtin_popcountll(a[i] ^ b[i]));
  return s;
}

std::int32_t dot_u8_portable(const std::uint8_t* a, const std::int8_t* b, std::size_t d) {
  std::int32_t s = 0;
  for (std::size_t i = 0; i < d; ++i) s += static_cast<std::int32_t>(a[i]) * b[i];
  return s;
}

// ---- AVX2 + FMA --------------------------------------------------------------------------------

#define TANDEM_AVX2 __attribute__((target("avx2,fma,popcnt")))

TANDEM_AVX2 inline float hsum256(__m256 v) {
  const __m128 lo = _mm256_castps256_ps128(v);
  const __m128 hi = _mm256_extractf128_ps(v, 1);
  __m128 s = _mm_add_ps(lo, hi);
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
  return _mm_cvtss_f32(s);
}

TANDEM_AVX2 float dot_avx2(const float* a, const float* b, std::size_t d) {
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
  std::size_t i = 0;
  for (; i + 16 <= d; i += 16) {
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
    s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);
  }
  for (; i + 8 <= d; i += 8)
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
  float t = hsum256(_mm256_add_ps(s0, s1));
  for (; i < d; ++i) t += a[i] * b[i];
  return t;
}

TANDEM_AVX2 float l2sq_avx2(const float* a, const float* b, std::size_t d) {
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
  std::size_t i = 0;
  for (; i + 16 <= d; i += 16) {
    const __m256 x0 = _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i));
    const __m256 x1 = _mm256_sub_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8));
    s0 = _mm256_fmadd_ps(x0, x0, s0);
    s1 = _mm256_fmadd_ps(x1, x1, s1);
  }
  for (; i + 8 <= d; i += 8) {
    const __m256 x0 = _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i));
    s0 = _mm256_fmadd_ps(x0, x0, s0);
  }
  float t = hsum256(_mm256_add_ps(s0, s1));
  for (; i < d; ++i) t += (a[i] - b[i]) * (a[i] - b[i]);
  return t;
}

TANDEM_AVX2 void dot_rows_avx2(const float* q, const float* x, std::size_t n, std::size_t d,
                               float* out) {
  for (std::size_t i = 0; i < n; ++i) out[i] = dot_avx2(q, x + i * d, d);
}

TANDEM_AVX2 void l2sq_rows_avx2(const float* q, const float* x, std::size_t n, std::size_t d,
                                float* out) {
  for (std::size_t i = 0; i < n; ++i) out[i] = l2sq_avx2(q, x + i * d, d);
}

TANDEM_AVX2 float sum_rows_avx2(const float* x, std::size_t n) {
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(),
         s3 = _mm256_setzero_ps();
  std::size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    s0 = _mm256_add_ps(s0, _mm256_loadu_ps(x + i));
    s1 = _mm256_add_ps(s1, _mm256_loadu_ps(x + i + 8));
    s2 = _mm256_add_ps(s2, _mm256_loadu_ps(x + i + 16));
    s3 = _mm256_add_ps(s3, _mm256_loadu_ps(x + i + 24));
  }
  float t = hsum256(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
  for (; i < n; ++i) t += x[i];
  return t;
}

TANDEM_AVX2 std::uint32_t hamming_avx2(const std::uint64_t* a, const std::uint64_t* b,
                                       std::size_t w) {
  std::uint64_t s = 0;
  for (std::size_t i = 0; i < w; ++i) s += static_cast<std::uint64_t>(_mm_popcnt_u64(a[i] ^ b[i]));
  return static_cast<std::uint32_t>(s);
}

TANDEM_AVX2 std::int32_t dot_u8_avx2(const std::uint8_t* a, const std::int8_t* b, std::size_t d) {
  __m256i acc = _mm256_setzero_si256();
  std::size_t i = 0;
  for (; i + 16 <= d; i += 16) {
    const __m256i x =
        _mm256_cvtepu8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a + i)));
    const __m256i y =
        _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b + i)));
    acc = _mm256_add_epi32(acc, _mm256_madd_epi16(x, y));
  }
  alignas(32) std::int32_t lanes[8];
  _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), acc);
  std::int32_t s = 0;
  for (int j = 0; j < 8; ++j) s += lanes[j];
  for (; i < d; ++i) s += static_cast<std::int32_t>(a[i]) * b[i];
  return s;
}

// ---- AVX-512 (F, BW, VL, DQ; with VPOPCNTDQ where present only through the scalar popcnt) ------

#define TANDEM_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx2,fma,popcnt")))

TANDEM_AVX512 float dot_avx512(const float* a, const float* b, std::size_t d) {
  __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
  std::size_t i = 0;
  for (; i + 32 <= d; i += 32) {
    s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), s0);
    s1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16), s1);
  }
  for (; i + 16 <= d; i += 16)
    s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), s0);
  if (i < d) {
    const __mmask16 m = static_cast<__mmask16>((1u << (d - i)) - 1);
    s1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i), s1);
  }
  return _mm512_reduce_add_ps(_mm512_add_ps(s0, s1));
}

TANDEM_AVX512 float l2sq_avx512(const float* a, const float* b, std::size_t d) {
  __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
  std::size_t i = 0;
  for (; i + 32 <= d; i += 32) {
    const __m512 x0 = _mm512_sub_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i));
    const __m512 x1 = _mm512_sub_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16));
    s0 = _mm512_fmadd_ps(x0, x0, s0);
    s1 = _mm512_fmadd_ps(x1, x1, s1);
  }
  for (; i + 16 <= d; i += 16) {
    const __m512 x0 = _mm512_sub_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i));
    s0 = _mm512_fmadd_ps(x0, x0, s0);
  }
  if (i < d) {
    const __mmask16 m = static_cast<__mmask16>((1u << (d - i)) - 1);
    const __m512 x =
        _mm512_sub_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i));
    s1 = _mm512_fmadd_ps(x, x, s1);
  }
  return _mm512_reduce_add_ps(_mm512_add_ps(s0, s1));
}

// Four rows at a time share each load of the query: 4 accumulators, 5 loads per 4 FMAs.
TANDEM_AVX512 void dot_rows_avx512(const float* q, const float* x, std::size_t n, std::size_t d,
                                   float* out) {
  std::size_t r = 0;
  const std::size_t full = d & ~std::size_t{15};
  const __mmask16 m = static_cast<__mmask16>((1u << (d - full)) - 1);
  for (; r + 4 <= n; r += 4) {
    const float* x0 = x + r * d;
    const float* x1 = x0 + d;
    const float* x2 = x1 + d;
    const float* x3 = x2 + d;
    __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps(), a2 = _mm512_setzero_ps(),
           a3 = _mm512_setzero_ps();
    std::size_t i = 0;
    for (; i < full; i += 16) {
      const __m512 v = _mm512_loadu_ps(q + i);
      a0 = _mm512_fmadd_ps(v, _mm512_loadu_ps(x0 + i), a0);
      a1 = _mm512_fmadd_ps(v, _mm512_loadu_ps(x1 + i), a1);
      a2 = _mm512_fmadd_ps(v, _mm512_loadu_ps(x2 + i), a2);
      a3 = _mm512_fmadd_ps(v, _mm512_loadu_ps(x3 + i), a3);
    }
    if (i < d) {
      const __m512 v = _mm512_maskz_loadu_ps(m, q + i);
      a0 = _mm512_fmadd_ps(v, _mm512_maskz_loadu_ps(m, x0 + i), a0);
      a1 = _mm512_fmadd_ps(v, _mm512_maskz_loadu_ps(m, x1 + i), a1);
      a2 = _mm512_fmadd_ps(v, _mm512_maskz_loadu_ps(m, x2 + i), a2);
      a3 = _mm512_fmadd_ps(v, _mm512_maskz_loadu_ps(m, x3 + i), a3);
    }
    out[r] = _mm512_reduce_add_ps(a0);
    out[r + 1] = _mm512_reduce_add_ps(a1);
    out[r + 2] = _mm512_reduce_add_ps(a2);
    out[r + 3] = _mm512_reduce_add_ps(a3);
  }
  for (; r < n; ++r) out[r] = dot_avx512(q, x + r * d, d);
}

TANDEM_AVX512 void l2sq_rows_avx512(const float* q, const float* x, std::size_t n, std::size_t d,
                                    float* out) {
  for (std::size_t r = 0; r < n; ++r) out[r] = l2sq_avx512(q, x + r * d, d);
}

TANDEM_AVX512 float sum_rows_avx512(const float* x, std::size_t n) {
  __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps(), s2 = _mm512_setzero_ps(),
         s3 = _mm512_setzero_ps();
  std::size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    s0 = _mm512_add_ps(s0, _mm512_loadu_ps(x + i));
    s1 = _mm512_add_ps(s1, _mm512_loadu_ps(x + i + 16));
    s2 = _mm512_add_ps(s2, _mm512_loadu_ps(x + i + 32));
    s3 = _mm512_add_ps(s3, _mm512_loadu_ps(x + i + 48));
  }
  float t = _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(s0, s1), _mm512_add_ps(s2, s3)));
  for (; i < n; ++i) t += x[i];
  return t;
}

TANDEM_AVX512 std::int32_t dot_u8_avx512(const std::uint8_t* a, const std::int8_t* b,
                                         std::size_t d) {
  __m512i acc = _mm512_setzero_si512();
  std::size_t i = 0;
  for (; i + 32 <= d; i += 32) {
    const __m512i x =
        _mm512_cvtepu8_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + i)));
    const __m512i y =
        _mm512_cvtepi8_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + i)));
    acc = _mm512_add_epi32(acc, _mm512_madd_epi16(x, y));
  }
  std::int32_t s = _mm512_reduce_add_epi32(acc);
  for (; i < d; ++i) s += static_cast<std::int32_t>(a[i]) * b[i];
  return s;
}

constexpr Kernels kPortable{"portable",        dot_portable,       l2sq_portable,
                            dot_rows_portable, l2sq_rows_portable, sum_rows_portable,
                            hamming_portable,  dot_u8_portable};
constexpr Kernels kAvx2{"avx2",         dot_avx2,      l2sq_avx2,    dot_rows_avx2,
                        l2sq_rows_avx2, sum_rows_avx2, hamming_avx2, dot_u8_avx2};
constexpr Kernels kAvx512{"avx512",         dot_avx512,      l2sq_avx512,  dot_rows_avx512,
                          l2sq_rows_avx512, sum_rows_avx512, hamming_avx2, dot_u8_avx512};

bool has_avx512() {
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq");
}
bool has_avx2() {
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
         __builtin_cpu_supports("popcnt");
}

}  // namespace

const Kernels& kernels() {
  static const Kernels& chosen = has_avx512() ? kAvx512 : has_avx2() ? kAvx2 : kPortable;
  return chosen;
}

const Kernels& portable_kernels() {
  return kPortable;
}

const Kernels* kernels_named(std::string_view name) {
  if (name == "portable") return &kPortable;
  if (name == "avx2") return has_avx2() ? &kAvx2 : nullptr;
  if (name == "avx512") return has_avx512() ? &kAvx512 : nullptr;
  return nullptr;
}

}  // namespace tandem::dense
