// Distance kernels, chosen once at run time for the CPU that runs the program (AVX-512, AVX2+FMA,
// or portable code), as FAISS and USearch do. The normal build has no -march flag: the fast
// versions are compiled for their instruction set with __attribute__((target(...))) and called
// only when the CPU reports that set.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tandem::dense {

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
};

/// The best kernels this CPU supports; decided on the first call (thread-safe), then fixed.
const Kernels& kernels();
/// The portable kernels (for tests comparing the SIMD versions against them).
const Kernels& portable_kernels();
/// Kernels by name ("avx512", "avx2", "portable") if the CPU supports them, else nullptr.
const Kernels* kernels_named(std::string_view name);

}  // namespace tandem::dense
