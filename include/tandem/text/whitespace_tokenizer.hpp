// Lucene's WhitespaceTokenizer: tokens are the runs of characters that are not Java whitespace.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tandem::text {

/// Java's Character.isWhitespace(int): the space separators except the no-break ones (U+00A0,
/// U+2007, U+202F), the line and paragraph separators, and U+0009..000D, U+001C..001F.
constexpr bool is_java_whitespace(char32_t cp) {
  if (cp <= 0x20) return cp == 0x20 || (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x1F);
  return cp == 0x1680 || (cp >= 0x2000 && cp <= 0x2006) || (cp >= 0x2008 && cp <= 0x200A) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0x205F || cp == 0x3000;
}

/// Splits text as org.apache.lucene.analysis.core.WhitespaceTokenizer (a CharTokenizer) of Lucene
/// 8.8 does: a token is a maximal run of non-whitespace code points, cut once it reaches
/// max_token_length UTF-16 code units (CharTokenizer checks after appending a code point, so a
/// supplementary character can make a piece max_token_length + 1 units long); the rest of the run
/// continues as the next token. Malformed UTF-8 reads as U+FFFD, which is a token character.
class WhitespaceTokenizer {
 public:
  static constexpr std::uint32_t kDefaultMaxTokenLength =
      255;  // CharTokenizer.DEFAULT_MAX_WORD_LEN
  static constexpr std::uint32_t kMaxTokenLengthLimit = 1024 * 1024;

  /// Throws Error(invalid_argument) unless 1 <= max_token_length <= kMaxTokenLengthLimit.
  explicit WhitespaceTokenizer(std::uint32_t max_token_length = kDefaultMaxTokenLength);

  /// Finds the next token at or after byte offset `pos` (start with 0): sets `token`, moves `pos`
  /// past it and returns true, or returns false at the end. `token` views `text`, or `scratch`
  /// when the token holds malformed UTF-8 (then written there with U+FFFD replacements).
  bool next(std::string_view text, std::size_t& pos, std::string_view& token,
            std::string& scratch) const;

  std::uint32_t max_token_length() const { return max_token_length_; }

 private:
  std::uint32_t max_token_length_;
};

}  // namespace tandem::text
