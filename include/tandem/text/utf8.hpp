// UTF-8 decoding with Java's replacement rules, and the small encoding helpers the analyzers share.
//
// Lucene reads text as Java Strings: the peer decodes its input files with
// `new InputStreamReader(in, StandardCharsets.UTF_8)`, whose decoder replaces every malformed
// sequence with one U+FFFD. How many bytes one U+FFFD covers is the decoder's choice, and Java's
// (sun.nio.cs.UTF_8 in JDK 8-21) differs from Unicode's "maximal subpart" practice in one place: a
// UTF-8 encoded surrogate (ED A0..BF xx) is one malformed sequence of 3 bytes. decode_utf8()
// follows Java, so that a document with broken bytes gives the terms Lucene gives. The rules, for a
// lead byte at p with r bytes left in the text (the end of the text counts as the end of the
// input):
//   00..7F              one code point
//   C2..DF              needs one continuation byte (80..BF), else U+FFFD covering 1 byte
//   E0..EF              3 bytes; second byte wrong (E0 needs A0..BF) -> 1 byte, third wrong -> 2
//                       bytes, a surrogate (ED A0..BF xx) -> 3 bytes; r < 3 and the second byte
//                       is fine -> all r bytes
//   F0..F4              4 bytes; second byte wrong (F0 needs 90..BF, F4 needs 80..8F) -> 1 byte,
//                       third wrong -> 2, fourth wrong -> 3; r < 4 and the bytes so far are fine
//                       -> all r bytes
//   80..C1, F5..FF      U+FFFD covering 1 byte
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tandem::text {

inline constexpr char32_t kReplacementChar = 0xFFFD;

/// One decoded code point and the number of bytes it took (1..4).
struct Decoded {
  char32_t cp;
  std::uint32_t length;
};

namespace detail {
constexpr bool is_continuation(unsigned char b) {
  return (b & 0xC0) == 0x80;
}
Decoded decode_utf8_multibyte(const unsigned char* p, std::size_t remaining) noexcept;
}  // namespace detail

/// Decodes the code point starting at `p` (precondition: remaining >= 1). Never fails: a malformed
/// sequence decodes to U+FFFD with the length Java's decoder gives it (see the file comment).
/// The result is never a surrogate.
inline Decoded decode_utf8(const char* p, std::size_t remaining) noexcept {
  const auto b = static_cast<unsigned char>(*p);
  if (b < 0x80) return {b, 1};
  return detail::decode_utf8_multibyte(reinterpret_cast<const unsigned char*>(p), remaining);
}

/// True if `d`, decoded at `p`, stands for a malformed sequence rather than an encoded U+FFFD.
inline bool is_malformed(const char* p, const Decoded& d) noexcept {
  return d.cp == kReplacementChar &&
         !(d.length == 3 && static_cast<unsigned char>(p[0]) == 0xEF &&
           static_cast<unsigned char>(p[1]) == 0xBF && static_cast<unsigned char>(p[2]) == 0xBD);
}

/// Number of UTF-16 code units of a code point (as Java's String.length() counts it).
constexpr std::uint32_t utf16_length(char32_t cp) {
  return cp >= 0x10000 ? 2 : 1;
}

/// Writes the UTF-8 encoding of `cp` (a scalar value) to `out`; returns the number of bytes (1..4).
inline std::size_t encode_utf8(char32_t cp, char* out) noexcept {
  if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xC0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (cp >> 12));
    out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (cp >> 18));
  out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (cp & 0x3F));
  return 4;
}

/// True if `text` is well-formed UTF-8 (no malformed sequence in the sense above).
bool is_valid_utf8(std::string_view text) noexcept;

/// Appends `text` to `out` with every malformed sequence replaced by U+FFFD, exactly as Java's
/// decoder would read it. Valid text is appended unchanged.
void append_sanitized_utf8(std::string_view text, std::string& out);

/// Length of `text` in UTF-16 code units, after replacement of malformed sequences.
std::size_t utf16_length(std::string_view text) noexcept;

}  // namespace tandem::text
