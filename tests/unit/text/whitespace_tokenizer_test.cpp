#include "tandem/text/whitespace_tokenizer.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tandem/core/error.hpp"

namespace tandem::text {
namespace {

using V = std::vector<std::string>;

V tokens(std::string_view text, std::uint32_t max = 255) {
  const WhitespaceTokenizer t(max);
  V out;
  std::string scratch;
  std::size_t pos = 0;
  std::string_view token;
  while (t.next(text, pos, token, scratch)) out.emplace_back(token);
  return out;
}

TEST(WhitespaceTokenizer, SplitsOnJavaWhitespaceOnly) {
  EXPECT_EQ(tokens("  The dog's\ttoys,\nwere\r\nhere  "),
            (V{"The", "dog's", "toys,", "were", "here"}));
  // Ideographic space, line separator, en quad, U+001F are whitespace in Java...
  EXPECT_EQ(tokens("a\u3000b\u2028c\u2000d\x1F"
                   "e"),
            (V{"a", "b", "c", "d", "e"}));
  // ...the no-break spaces, NEL (U+0085) and U+180E are not.
  EXPECT_EQ(tokens("a\u00A0b c\u2007d e\u202Ff g\u0085h i\u180Ej"),
            (V{"a\u00A0b", "c\u2007d", "e\u202Ff", "g\u0085h", "i\u180Ej"}));
  EXPECT_EQ(tokens(""), V{});
  EXPECT_EQ(tokens(" \t "), V{});
}

TEST(WhitespaceTokenizer, CutsAtMaxTokenLengthInUtf16Units) {
  EXPECT_EQ(tokens(std::string(256, 'x')), (V{std::string(255, 'x'), "x"}));
  EXPECT_EQ(tokens("abcdefg", 3), (V{"abc", "def", "g"}));
  // CharTokenizer checks the length after appending a code point: a supplementary character at
  // unit 254 makes a 256-unit token.
  const std::string gothic = "\U00010330";
  EXPECT_EQ(tokens(std::string(254, 'x') + gothic + "y"), (V{std::string(254, 'x') + gothic, "y"}));
}

TEST(WhitespaceTokenizer, MalformedUtf8BecomesReplacementCharacter) {
  EXPECT_EQ(tokens("ab\xFF"
                   "cd \xC3"),
            (V{"ab\uFFFD"
               "cd",
               "\uFFFD"}));
}

TEST(WhitespaceTokenizer, RejectsBadMaxTokenLength) {
  EXPECT_THROW(WhitespaceTokenizer(0), Error);
}

}  // namespace
}  // namespace tandem::text
