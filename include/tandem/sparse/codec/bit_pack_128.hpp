// SIMD-BP128: 128 integers bit-packed at one width in four vertical SSE2 lanes.
//
// Lemire & Boytsov, "Decoding billions of integers per second through vectorization", Software:
// Practice and Experience 45(1), 2015. Integer j of a block lives in lane j % 4 at row j / 4; the
// 32 rows of 4 lanes are packed one after another, `bits` bits per row, into `bits` 16-byte words,
// so unpacking a row is two shifts, an OR and a mask on a whole SSE2 register. Only SSE2 is used
// (baseline x86-64): no -march flag is needed.
//
// Kernels exist for every width 0..32, one template instance per width; the width is dispatched
// once per block through a table (style.md, point 4), never per integer.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tandem::sparse::codec {

/// Integers in one packed block.
inline constexpr std::size_t kPackedInts = 128;

/// Bytes a block of 128 integers takes at `bits` bits each (0..32): 16 * bits.
constexpr std::size_t packed128_bytes(unsigned bits) {
  return 16u * bits;
}

/// Packs in[0..128), every value < 2^bits, into packed128_bytes(bits) bytes at `out`.
/// Precondition: bits <= 32 and each value fits (debug-asserted).
void pack128(const std::uint32_t* in, unsigned bits, std::byte* out);

/// Unpacks 128 integers of `bits` bits from `in` into out[0..128).
void unpack128(const std::byte* in, unsigned bits, std::uint32_t* out);

/// As unpack128, then adds one to each value (frequencies are stored as freq - 1).
void unpack128_plus_one(const std::byte* in, unsigned bits, std::uint32_t* out);

/// Unpacks 128 document gaps g[j] = doc[j] - doc[j-1] - 1 and writes the documents
/// out[j] = base + sum_{i<=j} (g[i] + 1) (mod 2^32), where base is doc[-1]. Equivalent plain loop:
/// `for (j) out[j] = base = base + g[j] + 1;`, done here in SSE2 registers four lanes at a time.
void unpack128_doc_gaps(const std::byte* in, unsigned bits, std::uint32_t base, std::uint32_t* out);

}  // namespace tandem::sparse::codec
