// UTF-8 decoding with Java's replacement rules (see include/tandem/text/utf8.hpp). The lengths of
// malformed sequences follow JDK 17's sun.nio.cs.UTF_8.Decoder (decodeArrayLoop, malformedN) and
// CharsetDecoder.decode(in, out, endOfInput=true), which turns a sequence cut off by the end of the
// input into one malformed sequence of all the remaining bytes.
#include "tandem/text/utf8.hpp"

namespace tandem::text {
namespace detail {

namespace {

constexpr Decoded bad(std::uint32_t length) {
  return {kReplacementChar, length};
}

// Second byte of a 3-byte sequence that makes the sequence malformed after the lead byte alone.
constexpr bool bad_second_of_3(unsigned char b1, unsigned char b2) {
  return (b1 == 0xE0 && (b2 & 0xE0) == 0x80) || !is_continuation(b2);
}

// Second byte of a 4-byte sequence that makes it malformed after the lead byte alone (overlong
// F0 80..8F, above U+10FFFF with F4 90..BF, or not a continuation byte).
constexpr bool bad_second_of_4(unsigned char b1, unsigned char b2) {
  return (b1 == 0xF0 && (b2 < 0x90 || b2 > 0xBF)) || (b1 == 0xF4 && (b2 & 0xF0) != 0x80) ||
         !is_continuation(b2);
}

Decoded decode2(const unsigned char* p, std::size_t remaining) {
  if (remaining < 2) return bad(static_cast<std::uint32_t>(remaining));
  if (!is_continuation(p[1])) return bad(1);
  return {static_cast<char32_t>(((p[0] & 0x1F) << 6) | (p[1] & 0x3F)), 2};
}

Decoded decode3(const unsigned char* p, std::size_t remaining) {
  if (remaining < 3) {
    if (remaining > 1 && bad_second_of_3(p[0], p[1])) return bad(1);
    return bad(static_cast<std::uint32_t>(remaining));
  }
  if (bad_second_of_3(p[0], p[1])) return bad(1);
  if (!is_continuation(p[2])) return bad(2);
  const char32_t cp =
      static_cast<char32_t>(((p[0] & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F));
  if (cp >= 0xD800 && cp <= 0xDFFF) return bad(3);  // Java: one malformed sequence of 3 bytes
  return {cp, 3};
}

Decoded decode4(const unsigned char* p, std::size_t remaining) {
  if (p[0] > 0xF4) return bad(1);
  if (remaining < 4) {
    if (remaining > 1 && bad_second_of_4(p[0], p[1])) return bad(1);
    if (remaining > 2 && !is_continuation(p[2])) return bad(2);
    return bad(static_cast<std::uint32_t>(remaining));
  }
  if (bad_second_of_4(p[0], p[1])) return bad(1);
  if (!is_continuation(p[2])) return bad(2);
  if (!is_continuation(p[3])) return bad(3);
  return {static_cast<char32_t>(((p[0] & 0x07) << 18) | ((p[1] & 0x3F) << 12) |
                                ((p[2] & 0x3F) << 6) | (p[3] & 0x3F)),
          4};
}

}  // namespace

Decoded decode_utf8_multibyte(const unsigned char* p, std::size_t remaining) noexcept {
  const unsigned char b = p[0];
  if (b >= 0xC2 && b <= 0xDF) return decode2(p, remaining);
  if (b >= 0xE0 && b <= 0xEF) return decode3(p, remaining);
  if (b >= 0xF0 && b <= 0xF7) return decode4(p, remaining);
  return bad(1);  // 80..C1 (continuation or overlong lead), F8..FF
}

}  // namespace detail

bool is_valid_utf8(std::string_view text) noexcept {
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    if (static_cast<unsigned char>(*p) < 0x80) {
      ++p;
      continue;
    }
    const Decoded d = decode_utf8(p, static_cast<std::size_t>(end - p));
    if (is_malformed(p, d)) return false;
    p += d.length;
  }
  return true;
}

void append_sanitized_utf8(std::string_view text, std::string& out) {
  const char* p = text.data();
  const char* end = p + text.size();
  const char* run = p;  // start of the pending well-formed run, copied in one go
  while (p < end) {
    if (static_cast<unsigned char>(*p) < 0x80) {
      ++p;
      continue;
    }
    const Decoded d = decode_utf8(p, static_cast<std::size_t>(end - p));
    if (is_malformed(p, d)) {
      out.append(run, p);
      out.append("\xEF\xBF\xBD");
      run = p + d.length;
    }
    p += d.length;
  }
  out.append(run, end);
}

std::size_t utf16_length(std::string_view text) noexcept {
  std::size_t units = 0;
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    const Decoded d = decode_utf8(p, static_cast<std::size_t>(end - p));
    units += utf16_length(d.cp);
    p += d.length;
  }
  return units;
}

}  // namespace tandem::text
