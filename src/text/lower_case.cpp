// Java's Character.toLowerCase(int) for JDK 17, from ICU's simple lowercase mappings (u_tolower)
// restricted to the characters of Unicode 13.0 (`[:Age=13.0:]`), the version JDK 17's Character
// class implements.
// (Characters added later have no mapping in Java 17; they cannot appear inside a StandardTokenizer
// token anyway, whose grammar knows only Unicode 9.0 letters.) The table was checked against a
// dump of Character.toLowerCase over all code points on JDK 17.0.15: 1393 mappings, all equal.
#include "tandem/text/lower_case.hpp"

#include <cstdint>
#include <cstring>
#include <vector>

#include <unicode/uchar.h>
#include <unicode/uniset.h>
#include <unicode/unistr.h>

#include "tandem/text/utf8.hpp"

namespace tandem::text {

namespace {

constexpr char32_t kLimit = 0x110000;
constexpr std::uint32_t kBlockBits = 7;
constexpr std::uint32_t kBlockSize = 1u << kBlockBits;

// Two-stage table of deltas (lower - cp); blocks without a mapping share block 0 of zeros.
struct LowerTable {
  std::vector<std::uint16_t> block_of;
  std::vector<std::int32_t> deltas;

  // Only characters that change when lower-cased can have a simple lowercase mapping.
  LowerTable() : block_of(kLimit >> kBlockBits, 0), deltas(kBlockSize, 0) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::UnicodeSet changing(
        icu::UnicodeString::fromUTF8("[[:Changes_When_Lowercased:]&[:Age=13.0:]]"), status);
    if (U_FAILURE(status)) return;  // cannot happen with ICU >= 4.4; leaves the ASCII-only mapping
    for (int32_t r = 0; r < changing.getRangeCount(); ++r) {
      for (UChar32 cp = changing.getRangeStart(r); cp <= changing.getRangeEnd(r); ++cp) {
        const UChar32 lower = u_tolower(cp);
        if (lower == cp) continue;
        const auto block = static_cast<std::size_t>(cp) >> kBlockBits;
        if (block_of[block] == 0) {
          block_of[block] = static_cast<std::uint16_t>(deltas.size());
          deltas.resize(deltas.size() + kBlockSize, 0);
        }
        deltas[block_of[block] + (static_cast<std::size_t>(cp) & (kBlockSize - 1))] = lower - cp;
      }
    }
  }
};

const LowerTable& lower_table() {
  static const LowerTable table;
  return table;
}

}  // namespace

char32_t java_to_lower(char32_t cp) noexcept {
  if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
  if (cp >= kLimit) return cp;
  const LowerTable& t = lower_table();
  return static_cast<char32_t>(static_cast<std::int32_t>(cp) +
                               t.deltas[t.block_of[cp >> kBlockBits] + (cp & (kBlockSize - 1))]);
}

namespace {

// Lower-cases 8 ASCII bytes at once: a byte gets 0x20 added when it is in 'A'..'Z'. For bytes below
// 0x80 the two additions cannot carry into the next byte.
std::uint64_t lower_ascii8(std::uint64_t x) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull;
  const std::uint64_t at_least_a = x + kOnes * (0x80 - 'A');
  const std::uint64_t above_z = x + kOnes * (0x80 - 'Z' - 1);
  const std::uint64_t upper = (at_least_a & ~above_z) & (kOnes * 0x80);
  return x | (upper >> 2);
}

}  // namespace

std::size_t lower_case_utf8(std::string_view term, char* out) noexcept {
  const char* p = term.data();
  const char* const end = p + term.size();
  char* o = out;
  // ASCII: 8 bytes at a time, then byte by byte, until the end or the first non-ASCII byte.
  for (; end - p >= 8; p += 8, o += 8) {
    std::uint64_t x;
    std::memcpy(&x, p, 8);
    if ((x & 0x8080808080808080ull) != 0) break;
    x = lower_ascii8(x);
    std::memcpy(o, &x, 8);
  }
  for (; p < end && static_cast<unsigned char>(*p) < 0x80; ++p, ++o) {
    const auto b = static_cast<unsigned char>(*p);
    *o = static_cast<char>(b + ((static_cast<unsigned>(b - 'A') < 26u) ? 32 : 0));
  }
  while (p < end) {
    const auto b = static_cast<unsigned char>(*p);
    if (b < 0x80) {
      *o++ = static_cast<char>(b + ((static_cast<unsigned>(b - 'A') < 26u) ? 32 : 0));
      ++p;
      continue;
    }
    const Decoded d = decode_utf8(p, static_cast<std::size_t>(end - p));
    if (is_malformed(p, d)) {
      for (std::uint32_t i = 0; i < d.length; ++i) *o++ = p[i];
    } else {
      o += encode_utf8(java_to_lower(d.cp), o);
    }
    p += d.length;
  }
  return static_cast<std::size_t>(o - out);
}

}  // namespace tandem::text
