// Three builds of the same kernels: portable C++, and one width-templated SIMD body
// (kernels_simd.inc) compiled twice, for AVX2+FMA and for AVX-512, each inside a `#pragma GCC
// target` region; kernels() chooses once. Every kernel's contract is the plain loop in the portable
// version; the SIMD ones differ only in summation order (rounding).
#include "tandem/dense/kernels.hpp"

#include <algorithm>
#include <cstring>

// GCC 12's AVX-512 headers use _mm512_undefined_* inside _mm512_reduce_add_*, which -Wuninitialized
// reports at every use (GCC bug 105593); the values are never read.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <cpuid.h>
#include <immintrin.h>

namespace tandem::dense {

float half_to_float(Half h) {
  const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
  const std::uint32_t exp = (h >> 10) & 0x1fu;
  std::uint32_t mant = h & 0x3ffu;
  std::uint32_t bits;
  if (exp == 0x1f) {
    bits = sign | 0x7f800000u | (mant << 13);  // infinity or NaN
  } else if (exp != 0) {
    bits = sign | ((exp + 112) << 23) | (mant << 13);  // normal: rebias 15 -> 127
  } else if (mant == 0) {
    bits = sign;  // zero
  } else {        // subnormal: normalise
    int e = -1;
    do {
      ++e;
      mant <<= 1;
    } while ((mant & 0x400u) == 0);
    bits = sign | (static_cast<std::uint32_t>(112 - e) << 23) | ((mant & 0x3ffu) << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

Half float_to_half(float f) {
  std::uint32_t x;
  std::memcpy(&x, &f, 4);
  const auto sign = static_cast<Half>((x >> 16) & 0x8000u);
  const std::uint32_t abs = x & 0x7fffffffu;
  if (abs >= 0x7f800000u)  // infinity or NaN
    return static_cast<Half>(sign | 0x7c00u | (abs > 0x7f800000u ? 0x200u : 0u));
  if (abs >= 0x477ff000u) return static_cast<Half>(sign | 0x7c00u);  // rounds beyond 65504
  if (abs < 0x38800000u) {  // below the smallest normal: a subnormal (or zero), ties to even
    if (abs < 0x33000000u) return sign;  // below half the smallest subnormal
    const std::uint32_t e = abs >> 23;
    const std::uint32_t m = (abs & 0x7fffffu) | 0x800000u;
    const std::uint32_t shift = 126 - e;  // value = m * 2^(e - 150); unit 2^-24
    std::uint32_t r = m >> shift;
    const std::uint32_t rem = m & ((1u << shift) - 1), half = 1u << (shift - 1);
    if (rem > half || (rem == half && (r & 1u))) ++r;
    return static_cast<Half>(sign | r);
  }
  // normal: drop 13 mantissa bits, ties to even (a carry into the exponent is correct rounding)
  std::uint32_t r = abs - 0x38000000u;  // rebias 127 -> 15
  const std::uint32_t rem = r & 0x1fffu;
  r >>= 13;
  if (rem > 0x1000u || (rem == 0x1000u && (r & 1u))) ++r;
  return static_cast<Half>(sign | r);
}

namespace {

// ---- portable: eight partial sums, so a compiler can keep them in SSE registers --------------

template <class T>
float dot_portable(const float* a, const T* b, std::size_t d) {
  float s[8] = {};
  std::size_t i = 0;
  for (; i + 8 <= d; i += 8) {
    for (int j = 0; j < 8; ++j) s[j] += a[i + j] * to_float(b[i + j]);
  }
  float t = 0;
  for (; i < d; ++i) t += a[i] * to_float(b[i]);
  return ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7])) + t;
}

template <class T>
float l2sq_portable(const float* a, const T* b, std::size_t d) {
  float s[8] = {};
  std::size_t i = 0;
  for (; i + 8 <= d; i += 8) {
    for (int j = 0; j < 8; ++j) {
      const float x = a[i + j] - to_float(b[i + j]);
      s[j] += x * x;
    }
  }
  float t = 0;
  for (; i < d; ++i) t += (a[i] - to_float(b[i])) * (a[i] - to_float(b[i]));
  return ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7])) + t;
}

template <class T>
void dot_rows_portable(const float* q, const T* x, std::size_t n, std::size_t d, float* out) {
  for (std::size_t i = 0; i < n; ++i) out[i] = dot_portable(q, x + i * d, d);
}

template <class T>
void l2sq_rows_portable(const float* q, const T* x, std::size_t n, std::size_t d, float* out) {
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

template <class T>
void dot_block_portable(const float* q, std::size_t m, const T* x, std::size_t n, std::size_t d,
                        float* out, std::size_t ld, float*) {
  for (std::size_t i = 0; i < m; ++i) dot_rows_portable(q + i * d, x, n, d, out + i * ld);
}

std::size_t select_at_least_portable(const float* s, std::size_t n, float t, std::uint32_t* idx) {
  std::size_t c = 0;
  for (std::size_t j = 0; j < n; ++j) {
    if (s[j] >= t) idx[c++] = static_cast<std::uint32_t>(j);
  }
  return c;
}

// ---- AVX2 + FMA: 8 float lanes -----------------------------------------------------------------

#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,fma,popcnt,f16c"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2,fma,popcnt,f16c")
#endif
namespace avx2 {

struct V {
  using F = __m256;
  using I = __m256i;
  static constexpr std::size_t kLanes = 8;
  static F zero() { return _mm256_setzero_ps(); }
  static F loadu(const float* p) { return _mm256_loadu_ps(p); }
  static F load_partial(const float* p, std::size_t n) {
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(n)), lane);
    return _mm256_maskload_ps(p, mask);
  }
  static F loadu(const Half* p) {
    return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
  }
  static F load_partial(const Half* p, std::size_t n) {
    alignas(16) Half tmp[8] = {};
    std::copy(p, p + n, tmp);
    return _mm256_cvtph_ps(_mm_load_si128(reinterpret_cast<const __m128i*>(tmp)));
  }
  static float to_float(float v) { return v; }
  static float to_float(Half v) { return _cvtsh_ss(v); }
  static F set1(float x) { return _mm256_set1_ps(x); }
  static void storeu(float* p, F v) { _mm256_storeu_ps(p, v); }
  static F add(F a, F b) { return _mm256_add_ps(a, b); }
  static F sub(F a, F b) { return _mm256_sub_ps(a, b); }
  static F fmadd(F a, F b, F c) { return _mm256_fmadd_ps(a, b, c); }
  static float reduce(F v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
    return _mm_cvtss_f32(s);
  }
  static unsigned mask_ge(F v, F t) {
    return static_cast<unsigned>(_mm256_movemask_ps(_mm256_cmp_ps(v, t, _CMP_GE_OQ)));
  }
  static I izero() { return _mm256_setzero_si256(); }
  static I dot_u8_s8_step(I acc, const std::uint8_t* a, const std::int8_t* b) {
    const __m256i x = _mm256_cvtepu8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a)));
    const __m256i y = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b)));
    return _mm256_add_epi32(acc, _mm256_madd_epi16(x, y));
  }
  static std::int32_t ireduce(I v) {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4e));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xb1));
    return _mm_cvtsi128_si32(s);
  }
};

constexpr std::string_view kName = "avx2";
// 16 registers: a tile of 4 queries x 16 rows (8 accumulators, 2 row loads, 1 broadcast).
constexpr std::size_t kTileQueries = 4, kTileVectors = 2;

#include "kernels_simd.inc"

}  // namespace avx2
#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

// ---- AVX-512 (F, BW, VL, DQ): 16 float lanes ---------------------------------------------------

#if defined(__clang__)
#pragma clang attribute push(                                                           \
    __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx2,fma,popcnt,f16c"))), \
    apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx512f,avx512bw,avx512vl,avx512dq,avx2,fma,popcnt,f16c")
#endif
namespace avx512 {

struct V {
  using F = __m512;
  using I = __m512i;
  static constexpr std::size_t kLanes = 16;
  static F zero() { return _mm512_setzero_ps(); }
  static F loadu(const float* p) { return _mm512_loadu_ps(p); }
  static F load_partial(const float* p, std::size_t n) {
    return _mm512_maskz_loadu_ps(static_cast<__mmask16>((1u << n) - 1), p);
  }
  static F loadu(const Half* p) {
    return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
  }
  static F load_partial(const Half* p, std::size_t n) {
    return _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(static_cast<__mmask16>((1u << n) - 1), p));
  }
  static float to_float(float v) { return v; }
  static float to_float(Half v) { return _cvtsh_ss(v); }
  static F set1(float x) { return _mm512_set1_ps(x); }
  static void storeu(float* p, F v) { _mm512_storeu_ps(p, v); }
  static F add(F a, F b) { return _mm512_add_ps(a, b); }
  static F sub(F a, F b) { return _mm512_sub_ps(a, b); }
  static F fmadd(F a, F b, F c) { return _mm512_fmadd_ps(a, b, c); }
  static float reduce(F v) { return _mm512_reduce_add_ps(v); }
  static unsigned mask_ge(F v, F t) { return _mm512_cmp_ps_mask(v, t, _CMP_GE_OQ); }
  static I izero() { return _mm512_setzero_si512(); }
  static I dot_u8_s8_step(I acc, const std::uint8_t* a, const std::int8_t* b) {
    const __m512i x = _mm512_cvtepu8_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(a)));
    const __m512i y = _mm512_cvtepi8_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(b)));
    return _mm512_add_epi32(acc, _mm512_madd_epi16(x, y));
  }
  static std::int32_t ireduce(I v) { return _mm512_reduce_add_epi32(v); }
};

constexpr std::string_view kName = "avx512";
// 32 registers: a tile of 12 queries x 32 rows (24 accumulators, 2 row loads, 1 broadcast).
constexpr std::size_t kTileQueries = 12, kTileVectors = 2;

#include "kernels_simd.inc"

}  // namespace avx512
#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

constexpr Kernels kPortable{"portable",
                            dot_portable<float>,
                            l2sq_portable<float>,
                            dot_rows_portable<float>,
                            l2sq_rows_portable<float>,
                            sum_rows_portable,
                            hamming_portable,
                            dot_u8_portable,
                            dot_block_portable<float>,
                            1,
                            select_at_least_portable,
                            {dot_portable<Half>, l2sq_portable<Half>, dot_rows_portable<Half>,
                             l2sq_rows_portable<Half>, dot_block_portable<Half>}};

// CPUID leaf 1, ECX bit 29 (GCC 12's __builtin_cpu_supports does not report F16C).
bool has_f16c() {
  unsigned a = 0, b = 0, c = 0, d = 0;
  return __get_cpuid(1, &a, &b, &c, &d) != 0 && (c & (1u << 29)) != 0;
}

bool has_avx512() {
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") && has_f16c();
}
bool has_avx2() {
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
         __builtin_cpu_supports("popcnt") && has_f16c();
}

}  // namespace

const Kernels& kernels() {
  static const Kernels& chosen = has_avx512() ? avx512::kTable
                                 : has_avx2() ? avx2::kTable
                                              : kPortable;
  return chosen;
}

const Kernels& portable_kernels() {
  return kPortable;
}

const Kernels* kernels_named(std::string_view name) {
  if (name == "portable") return &kPortable;
  if (name == "avx2") return has_avx2() ? &avx2::kTable : nullptr;
  if (name == "avx512") return has_avx512() ? &avx512::kTable : nullptr;
  return nullptr;
}

}  // namespace tandem::dense
