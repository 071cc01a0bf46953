// Lower-casing as Lucene's LowerCaseFilter does it: Java's Character.toLowerCase(int) per code
// point.
#pragma once

#include <cstddef>
#include <string_view>

namespace tandem::text {

/// Java's Character.toLowerCase(int) as JDK 17 gives it: the simple (one-to-one) lowercase mapping
/// of UnicodeData.txt for Unicode 13.0; code points without one map to themselves. (Full mappings
/// such as U+0130 -> "i̇" are not used: Java and Lucene map U+0130 to plain 'i'.)
char32_t java_to_lower(char32_t cp) noexcept;

/// Largest output of lower_case_utf8 for an input of `size` bytes: a 2-byte character can
/// lower-case to a 3-byte one (U+023A -> U+2C65), never worse.
constexpr std::size_t lower_case_capacity(std::size_t size) {
  return size + size / 2 + 1;
}

/// Writes the lower-cased `term` to `out` (room for lower_case_capacity(term.size()) bytes; may not
/// overlap `term`) and returns the number of bytes written. Lucene's LowerCaseFilter
/// (CharacterUtils.toLowerCase) maps each code point with Character.toLowerCase; so do we. Bytes
/// that are not well-formed UTF-8 are copied unchanged. ASCII takes a fast path.
std::size_t lower_case_utf8(std::string_view term, char* out) noexcept;

}  // namespace tandem::text
