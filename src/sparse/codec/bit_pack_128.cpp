// SIMD-BP128 kernels (Lemire & Boytsov 2015), SSE2 only. See bit_pack_128.hpp for the layout.
#include "tandem/sparse/codec/bit_pack_128.hpp"

#include <array>
#include <cassert>
#include <utility>

#include <emmintrin.h>

namespace tandem::sparse::codec {
namespace {

constexpr unsigned kRows = 32;  // 128 integers in 4 lanes

// Row R of a block packed at B bits: its bit offset inside a lane is R * B, so it starts in word
// (R * B) / 32 at bit (R * B) % 32 and may spill into the next word. All shifts are immediates.
template <unsigned B, unsigned R>
inline __m128i extract_row(const __m128i* words) {
  constexpr unsigned kStart = R * B;
  constexpr unsigned kWord = kStart / 32;
  constexpr unsigned kOffset = kStart % 32;
  __m128i v = _mm_srli_epi32(words[kWord], static_cast<int>(kOffset));
  if constexpr (kOffset + B > 32) {
    v = _mm_or_si128(v, _mm_slli_epi32(words[kWord + 1], static_cast<int>(32 - kOffset)));
  }
  if constexpr (kOffset + B != 32) {
    v = _mm_and_si128(v, _mm_set1_epi32(static_cast<int>((std::uint32_t{1} << B) - 1)));
  }
  return v;
}

// Sinks receive the 32 unpacked rows in order and write them out.
struct StoreRows {
  std::uint32_t* out;
  void put(unsigned row, __m128i v) const {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 4 * row), v);
  }
};

struct StoreRowsPlusOne {
  std::uint32_t* out;
  void put(unsigned row, __m128i v) const {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 4 * row),
                     _mm_add_epi32(v, _mm_set1_epi32(1)));
  }
};

// Running sum of (gap + 1): a 4-lane inclusive prefix sum (two shifted adds) plus the carry of the
// previous row broadcast to all lanes.
struct StoreDocs {
  std::uint32_t* out;
  __m128i carry;
  void put(unsigned row, __m128i v) {
    v = _mm_add_epi32(v, _mm_set1_epi32(1));
    v = _mm_add_epi32(v, _mm_slli_si128(v, 4));
    v = _mm_add_epi32(v, _mm_slli_si128(v, 8));
    v = _mm_add_epi32(v, carry);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 4 * row), v);
    carry = _mm_shuffle_epi32(v, 0xFF);
  }
};

template <unsigned B, typename Sink, std::size_t... R>
inline void unpack_rows(const __m128i* words, Sink& sink, std::index_sequence<R...>) {
  (sink.put(R, extract_row<B, R>(words)), ...);
}

template <unsigned B, typename Sink>
void unpack_block(const std::byte* in, Sink& sink) {
  if constexpr (B == 0) {
    for (unsigned r = 0; r < kRows; ++r) sink.put(r, _mm_setzero_si128());
  } else {
    // Load all B words first: the stores of the sink cannot alias them then.
    __m128i words[B];
    for (unsigned w = 0; w < B; ++w) {
      words[w] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in) + w);
    }
    if constexpr (B == 32) {
      for (unsigned r = 0; r < kRows; ++r) sink.put(r, words[r]);
    } else {
      unpack_rows<B>(words, sink, std::make_index_sequence<kRows>{});
    }
  }
}

template <unsigned B>
void pack_block(const std::uint32_t* in, std::byte* out) {
  if constexpr (B > 0) {
    __m128i words[B];
    for (unsigned w = 0; w < B; ++w) words[w] = _mm_setzero_si128();
    for (unsigned r = 0; r < kRows; ++r) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + 4 * r));
      const unsigned start = r * B;
      const unsigned word = start / 32;
      const unsigned offset = start % 32;
      // Shift counts in a register (_mm_sll_epi32) since encoding is not the hot path.
      words[word] =
          _mm_or_si128(words[word], _mm_sll_epi32(v, _mm_cvtsi32_si128(static_cast<int>(offset))));
      if (offset + B > 32) {
        words[word + 1] = _mm_or_si128(
            words[word + 1], _mm_srl_epi32(v, _mm_cvtsi32_si128(static_cast<int>(32 - offset))));
      }
    }
    for (unsigned w = 0; w < B; ++w) {
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out) + w, words[w]);
    }
  }
}

template <unsigned B>
void unpack_plain(const std::byte* in, std::uint32_t* out) {
  StoreRows sink{out};
  unpack_block<B>(in, sink);
}
template <unsigned B>
void unpack_plus_one(const std::byte* in, std::uint32_t* out) {
  StoreRowsPlusOne sink{out};
  unpack_block<B>(in, sink);
}
template <unsigned B>
void unpack_docs(const std::byte* in, std::uint32_t base, std::uint32_t* out) {
  StoreDocs sink{out, _mm_set1_epi32(static_cast<int>(base))};
  unpack_block<B>(in, sink);
}

using PackFn = void (*)(const std::uint32_t*, std::byte*);
using UnpackFn = void (*)(const std::byte*, std::uint32_t*);
using UnpackDocsFn = void (*)(const std::byte*, std::uint32_t, std::uint32_t*);

template <std::size_t... B>
constexpr std::array<PackFn, sizeof...(B)> pack_table(std::index_sequence<B...>) {
  return {&pack_block<B>...};
}
template <std::size_t... B>
constexpr std::array<UnpackFn, sizeof...(B)> unpack_table(std::index_sequence<B...>) {
  return {&unpack_plain<B>...};
}
template <std::size_t... B>
constexpr std::array<UnpackFn, sizeof...(B)> unpack_plus_one_table(std::index_sequence<B...>) {
  return {&unpack_plus_one<B>...};
}
template <std::size_t... B>
constexpr std::array<UnpackDocsFn, sizeof...(B)> unpack_docs_table(std::index_sequence<B...>) {
  return {&unpack_docs<B>...};
}

constexpr auto kWidths = std::make_index_sequence<33>{};
constexpr auto kPack = pack_table(kWidths);
constexpr auto kUnpack = unpack_table(kWidths);
constexpr auto kUnpackPlusOne = unpack_plus_one_table(kWidths);
constexpr auto kUnpackDocs = unpack_docs_table(kWidths);

}  // namespace

void pack128(const std::uint32_t* in, unsigned bits, std::byte* out) {
  assert(bits <= 32);
#ifndef NDEBUG
  for (std::size_t j = 0; j < kPackedInts; ++j) assert(bits == 32 || in[j] >> bits == 0);
#endif
  kPack[bits](in, out);
}

void unpack128(const std::byte* in, unsigned bits, std::uint32_t* out) {
  assert(bits <= 32);
  kUnpack[bits](in, out);
}

void unpack128_plus_one(const std::byte* in, unsigned bits, std::uint32_t* out) {
  assert(bits <= 32);
  kUnpackPlusOne[bits](in, out);
}

void unpack128_doc_gaps(const std::byte* in, unsigned bits, std::uint32_t base,
                        std::uint32_t* out) {
  assert(bits <= 32);
  kUnpackDocs[bits](in, base, out);
}

}  // namespace tandem::sparse::codec
