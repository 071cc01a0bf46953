// WhitespaceTokenizer: CharTokenizer.incrementToken of Lucene 8.8 with isTokenChar = !isWhitespace.
#include "tandem/text/whitespace_tokenizer.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

#include "tandem/core/error.hpp"
#include "tandem/text/utf8.hpp"

#include "ascii_runs.hpp"

namespace tandem::text {

WhitespaceTokenizer::WhitespaceTokenizer(std::uint32_t max_token_length)
    : max_token_length_(max_token_length) {
  if (max_token_length < 1 || max_token_length > kMaxTokenLengthLimit) {
    fail(ErrorKind::invalid_argument, "max_token_length must be between 1 and {}, not {}",
         kMaxTokenLengthLimit, max_token_length);
  }
}

namespace {

// For each byte: 1 if it is ASCII whitespace, 2 if it is not ASCII (decode it), else 0.
constexpr std::array<std::uint8_t, 256> kByteKinds = [] {
  std::array<std::uint8_t, 256> kinds{};
  for (std::uint32_t b = 0; b < 256; ++b) {
    kinds[b] = b >= 0x80 ? 2 : is_java_whitespace(static_cast<char32_t>(b)) ? 1 : 0;
  }
  return kinds;
}();

}  // namespace

bool WhitespaceTokenizer::next(std::string_view text, std::size_t& pos, std::string_view& token,
                               std::string& scratch) const {
  const char* const bytes = text.data();
  const std::size_t size = text.size();
  std::size_t at = pos;
  // Skip whitespace.
  while (at < size) {
    const std::uint8_t kind = kByteKinds[static_cast<unsigned char>(bytes[at])];
    if (kind == 0) break;
    if (kind == 1) {
      ++at;
      continue;
    }
    const Decoded d = decode_utf8(bytes + at, size - at);
    if (!is_java_whitespace(d.cp)) break;
    at += d.length;
  }
  if (at >= size) {
    pos = size;
    return false;
  }
  // Take token characters until whitespace, the end, or max_token_length units.
  const std::size_t start = at;
  std::uint32_t units = 0;
  bool malformed = false;
  while (at < size && units < max_token_length_) {
    // A run of ASCII token bytes: one unit each.
    const std::size_t limit = std::min(size, at + (max_token_length_ - units));
    const std::size_t run_start = at;
    at += detail::ascii_visible_run(bytes + at, bytes + limit);
    while (at < limit && kByteKinds[static_cast<unsigned char>(bytes[at])] == 0) ++at;  // controls
    units += static_cast<std::uint32_t>(at - run_start);
    if (at >= limit) break;
    const std::uint8_t kind = kByteKinds[static_cast<unsigned char>(bytes[at])];
    if (kind == 1) break;  // ASCII whitespace
    const Decoded d = decode_utf8(bytes + at, size - at);
    if (is_java_whitespace(d.cp)) break;
    malformed = malformed || is_malformed(bytes + at, d);
    at += d.length;
    units += utf16_length(d.cp);
  }
  pos = at;
  token = text.substr(start, at - start);
  if (malformed) {
    scratch.clear();
    append_sanitized_utf8(token, scratch);
    token = scratch;
  }
  return true;
}

}  // namespace tandem::text
