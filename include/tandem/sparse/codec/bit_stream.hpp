// Scalar bit packing for short runs of integers (tail blocks of fewer than 128 postings).
//
// Values of `bits` bits are written least-significant bit first: value j of a run starting at bit
// `first_bit` occupies bits [first_bit + j * bits, first_bit + (j + 1) * bits) of the stream, bit i
// being bit i % 8 of byte i / 8. Short lists dominate a vocabulary (most terms occur in one to
// three documents), so tails are packed to the bit rather than padded to a SIMD block, and a tail's
// document gaps and frequencies share one stream (no padding between them).
#pragma once

#include <cstddef>
#include <cstdint>

namespace tandem::sparse::codec {

/// Bytes n values of `bits` bits take: ceil(n * bits / 8).
constexpr std::size_t bit_stream_bytes(std::size_t n, unsigned bits) {
  return (n * bits + 7) / 8;
}

/// ORs in[0..n), every value < 2^bits (bits <= 32), into the stream at `out` from bit `first_bit`
/// on. The bytes it touches, [first_bit / 8, ceil((first_bit + n * bits) / 8)), must hold zeros
/// in the bits it writes.
void pack_bits(const std::uint32_t* in, std::size_t n, unsigned bits, std::byte* out,
               std::size_t first_bit = 0);

/// Reads n values of `bits` bits starting at bit `first_bit` of the stream at `in` into
/// out[0..n). Reads only bytes [first_bit / 8, ceil((first_bit + n * bits) / 8)), never past them.
inline void unpack_bits(const std::byte* in, std::size_t n, unsigned bits, std::uint32_t* out,
                        std::size_t first_bit = 0) {
  const std::uint64_t mask = (std::uint64_t{1} << bits) - 1;
  in += first_bit / 8;
  const unsigned skip = static_cast<unsigned>(first_bit % 8);
  std::uint64_t buffer = 0;
  unsigned held = 0;
  if (skip != 0 && n != 0 && bits != 0) {
    buffer = static_cast<std::uint64_t>(*in++) >> skip;
    held = 8 - skip;
  }
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
