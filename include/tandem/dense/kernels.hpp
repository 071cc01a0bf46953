// Distance kernels, chosen once at run time for the CPU that runs the program (AVX-512, AVX2+FMA,
// or portable code), as FAISS and USearch do. The normal build has no -march flag: the fast
// versions are compiled for their instruction set with __attribute__((target(...))) and called
// only when the CPU reports that set.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tandem::dense {

/// An IEEE 754 binary16 value (the fp16 storage of dense.vectors), as its bits.
using Half = std::uint16_t;
/// Exact conversion of a binary16 value to float.
float half_to_float(Half h);
/// Rounds a float to the nearest binary16 value (ties to even); beyond the binary16 range the
/// result is infinite (callers refuse such values first).
Half float_to_half(float f);
inline float to_float(float v) {
  return v;
}
inline float to_float(Half v) {
  return half_to_float(v);
}
/// The largest finite binary16 value.
inline constexpr float kHalfMax = 65504.0f;

/// The kernels whose rows are binary16 (queries stay float): same contracts as the float ones,
/// each row value converted exactly to float before use.
struct HalfKernels {
  float (*dot)(const float* q, const Half* x, std::size_t d);
  float (*l2sq)(const float* q, const Half* x, std::size_t d);
  void (*dot_rows)(const float* q, const Half* x, std::size_t n, std::size_t d, float* out);
  void (*l2sq_rows)(const float* q, const Half* x, std::size_t n, std::size_t d, float* out);
  void (*dot_block)(const float* q, std::size_t m, const Half* x, std::size_t n, std::size_t d,
                    float* out, std::size_t ld, float* pack);
};

/// One set of kernels. Pointers are resolved once (see kernels()) and then called per block of
/// work, never re-chosen inside a loop.
struct Kernels {
  std::string_view name;  // "avx512", "avx2" or "portable"
  /// <a, b> over d floats.
  float (*dot)(const float* a, const float* b, std::size_t d);
  /// |a - b|^2 over d floats.
  float (*l2sq)(const float* a, const float* b, std::size_t d);
  /// out[i] = <q, x_i> for n rows of x (row-major, stride d floats): one query against a block of
  /// rows, the scan of exact search for a single query.
  void (*dot_rows)(const float* q, const float* x, std::size_t n, std::size_t d, float* out);
  /// out[i] = |q - x_i|^2 for n rows of x.
  void (*l2sq_rows)(const float* q, const float* x, std::size_t n, std::size_t d, float* out);
  /// sum over i of <q, x_i>, reading every row: the memory-bandwidth probe of the benchmark.
  float (*sum_rows)(const float* x, std::size_t n_floats);
  /// Hamming distance of two bit strings of `words` 64-bit words.
  std::uint32_t (*hamming)(const std::uint64_t* a, const std::uint64_t* b, std::size_t words);
  /// Sum over i of codes[i] * weights[i] (uint8 codes of int8 scalar quantisation against an
  /// int8-quantised query), exact in int32.
  std::int32_t (*dot_u8_s8)(const std::uint8_t* codes, const std::int8_t* weights, std::size_t d);
  /// out[i * ld + j] = <q_i, x_j> for m queries and n rows (both row-major, d floats each): the
  /// blocked matrix product of batched exact search. `pack` is scratch of block_panel * d floats.
  /// Each score is one sequential multiply-add chain over the d dimensions (a rounding error
  /// within gamma_d * sum |q_i x_i|, as for dot).
  void (*dot_block)(const float* q, std::size_t m, const float* x, std::size_t n, std::size_t d,
                    float* out, std::size_t ld, float* pack);
  std::size_t block_panel;  // rows packed together by dot_block
  /// Writes the positions j < n with s[j] >= t to idx in increasing order; returns their count.
  std::size_t (*select_at_least)(const float* s, std::size_t n, float t, std::uint32_t* idx);
  HalfKernels half;  // the same over binary16 rows (F16C / AVX-512 conversions)
};

/// The best kernels this CPU supports; decided on the first call (thread-safe), then fixed.
const Kernels& kernels();
/// The portable kernels (for tests comparing the SIMD versions against them).
const Kernels& portable_kernels();
/// Kernels by name ("avx512", "avx2", "portable") if the CPU supports them, else nullptr.
const Kernels* kernels_named(std::string_view name);

}  // namespace tandem::dense
