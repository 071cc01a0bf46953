// Java's Character.toLowerCase(int) for JDK 17, from ICU's simple lowercase mappings (u_tolower)
// restricted to the characters of Unicode 13.0, the version JDK 17's Character class implements.
// (Characters added later have no mapping in Java 17; they cannot appear inside a StandardTokenizer
// token anyway, whose grammar knows only Unicode 9.0 letters.) The table was checked against a
// dump of Character.toLowerCase over all code points on JDK 17.0.15: 1393 mappings, all equal.
#include "tandem/text/lower_case.hpp"

#include <cstdint>
#include <vector>

#include <unicode/uchar.h>

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

  LowerTable() : block_of(kLimit >> kBlockBits, 0), deltas(kBlockSize, 0) {
    for (char32_t block = 0; block < (kLimit >> kBlockBits); ++block) {
      std::vector<std::int32_t> entries(kBlockSize, 0);
      bool any = false;
      for (char32_t i = 0; i < kBlockSize; ++i) {
        const auto cp = static_cast<UChar32>((block << kBlockBits) | i);
        UVersionInfo age;
        u_charAge(cp, age);
        if (age[0] > 13 || (age[0] == 13 && age[1] > 0)) continue;  // not in Java 17's Unicode 13.0
        const UChar32 lower = u_tolower(cp);
        if (lower != cp) {
          entries[i] = lower - cp;
          any = true;
        }
      }
      if (any) {
        block_of[block] = static_cast<std::uint16_t>(deltas.size());
        deltas.insert(deltas.end(), entries.begin(), entries.end());
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

std::size_t lower_case_utf8(std::string_view term, char* out) noexcept {
  const char* p = term.data();
  const char* const end = p + term.size();
  char* o = out;
  while (p < end) {
    const auto b = static_cast<unsigned char>(*p);
    if (b < 0x80) {
      *o++ = static_cast<char>((b >= 'A' && b <= 'Z') ? b + 32 : b);
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
