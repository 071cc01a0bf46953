#include "tandem/sparse/codec/bit_stream.hpp"

#include <cassert>

namespace tandem::sparse::codec {

void pack_bits(const std::uint32_t* in, std::size_t n, unsigned bits, std::byte* out,
               std::size_t first_bit) {
  assert(bits <= 32);
  out += first_bit / 8;
  std::uint64_t buffer = 0;
  unsigned held = static_cast<unsigned>(first_bit % 8);  // low bits of *out already in use
  for (std::size_t j = 0; j < n; ++j) {
    assert(bits == 32 || in[j] >> bits == 0);
    buffer |= static_cast<std::uint64_t>(in[j]) << held;
    held += bits;
    while (held >= 8) {
      *out++ |= static_cast<std::byte>(buffer & 0xFF);
      buffer >>= 8;
      held -= 8;
    }
  }
  if (held > 0 && n > 0 && bits > 0) *out |= static_cast<std::byte>(buffer & 0xFF);
}

}  // namespace tandem::sparse::codec
