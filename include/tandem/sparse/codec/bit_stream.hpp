// Scalar bit packing for short runs of integers (tail blocks of fewer than 128 postings).
//
// n values of `bits` bits are written least-significant bit first into ceil(n * bits / 8) bytes.
// Short lists dominate a vocabulary (most terms occur in one to three documents), so tails are
// packed to the bit rather than padded to a SIMD block.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tandem::sparse::codec {

/// Bytes n values of `bits` bits take: ceil(n * bits / 8).
constexpr std::size_t bit_stream_bytes(std::size_t n, unsigned bits) {
  return (n * bits + 7) / 8;
}

/// Writes in[0..n), every value < 2^bits (bits <= 32), as bit_stream_bytes(n, bits) bytes at `out`.
void pack_bits(const std::uint32_t* in, std::size_t n, unsigned bits, std::byte* out);

/// Reads n values of `bits` bits from `in` into out[0..n). Reads exactly bit_stream_bytes(n, bits)
/// bytes at most, never past them.
inline void unpack_bits(const std::byte* in, std::size_t n, unsigned bits, std::uint32_t* out) {
  const std::uint64_t mask = (std::uint64_t{1} << bits) - 1;
  std::uint64_t buffer = 0;
  unsigned held = 0;
  for (std::size_t j = 0; j < n; ++j) {
    while (held < bits) {
      buffer |= static_cast<std::uint64_t>(*in++) << held;
      held += 8;
    }
    out[j] = static_cast<std::uint32_t>(buffer & mask);
    buffer >>= bits;
    held -= bits;
  }
}

}  // namespace tandem::sparse::codec
