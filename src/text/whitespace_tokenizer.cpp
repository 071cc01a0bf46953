// WhitespaceTokenizer: CharTokenizer.incrementToken of Lucene 8.8 with isTokenChar = !isWhitespace.
#include "tandem/text/whitespace_tokenizer.hpp"

#include "tandem/core/error.hpp"
#include "tandem/text/utf8.hpp"

namespace tandem::text {

WhitespaceTokenizer::WhitespaceTokenizer(std::uint32_t max_token_length)
    : max_token_length_(max_token_length) {
  if (max_token_length < 1 || max_token_length > kMaxTokenLengthLimit) {
    fail(ErrorKind::invalid_argument, "max_token_length must be between 1 and {}, not {}",
         kMaxTokenLengthLimit, max_token_length);
  }
}

bool WhitespaceTokenizer::next(std::string_view text, std::size_t& pos, std::string_view& token,
                               std::string& scratch) const {
  const char* const bytes = text.data();
  const std::size_t size = text.size();
  std::size_t at = pos;
  // Skip whitespace.
  while (at < size) {
    const auto b = static_cast<unsigned char>(bytes[at]);
    if (b < 0x80) {
      if (!is_java_whitespace(b)) break;
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
    const auto b = static_cast<unsigned char>(bytes[at]);
    if (b < 0x80) {
      if (is_java_whitespace(b)) break;
      ++at;
      ++units;
      continue;
    }
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
