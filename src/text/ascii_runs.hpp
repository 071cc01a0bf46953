// Word-at-a-time scanning of ASCII runs, for the tokenizers' common case. Internal to the text
// layer.
//
// Both functions look at 8 bytes at once (SWAR: "SIMD within a register"; the byte tests are the
// classic ones of Hacker's Delight, ch. 6, "Find first 0-byte"). Only the lowest flagged byte of a
// word is used, which these tests report exactly. Equivalent plain loops are given with each.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace tandem::text::detail {

inline constexpr std::uint64_t kOnes = 0x0101010101010101ull;
inline constexpr std::uint64_t kHighBits = kOnes * 0x80;

/// Number of leading bytes of [p, end) that are ASCII letters A-Z or a-z. Plain loop:
///   while (p < end && std::isalpha(static_cast<unsigned char>(*p)) && *p < 0x80) ++p;
inline std::size_t ascii_letter_run(const char* p, const char* end) {
  const char* const begin = p;
  while (end - p >= 8) {
    std::uint64_t x;
    std::memcpy(&x, p, 8);
    // With no byte >= 0x80, folding case (| 0x20) keeps bytes below 0x80 and the additions
    // below cannot carry from one byte into the next.
    const std::uint64_t lower = x | (kOnes * 0x20);
    const std::uint64_t letters =
        (lower + kOnes * (0x80 - 'a')) & ~(lower + kOnes * (0x80 - 'z' - 1));
    const std::uint64_t stops = ((~letters) & kHighBits) | (x & kHighBits);
    if (stops != 0)
      return static_cast<std::size_t>(p - begin) +
             static_cast<std::size_t>(std::countr_zero(stops) / 8);
    p += 8;
  }
  while (p < end) {
    const auto b = static_cast<unsigned char>(*p);
    if (b >= 0x80 || static_cast<unsigned char>((b | 0x20) - 'a') >= 26) break;
    ++p;
  }
  return static_cast<std::size_t>(p - begin);
}

/// Number of leading bytes of [p, end) in 0x21..0x7F (ASCII other than spaces and controls).
/// Plain loop: while (p < end && *p > 0x20 && *p < 0x80) ++p;
inline std::size_t ascii_visible_run(const char* p, const char* end) {
  const char* const begin = p;
  while (end - p >= 8) {
    std::uint64_t x;
    std::memcpy(&x, p, 8);
    // A byte below 0x21 borrows in x - 0x21 and has its high bit clear in x: flagged. Bytes at
    // or above 0x80 are flagged by their high bit.
    const std::uint64_t stops = ((x - kOnes * 0x21) & ~x & kHighBits) | (x & kHighBits);
    if (stops != 0)
      return static_cast<std::size_t>(p - begin) +
             static_cast<std::size_t>(std::countr_zero(stops) / 8);
    p += 8;
  }
  while (p<end&& static_cast<unsigned char>(*p)> 0x20 && static_cast<unsigned char>(*p) < 0x80) ++p;
  return static_cast<std::size_t>(p - begin);
}

}  // namespace tandem::text::detail
