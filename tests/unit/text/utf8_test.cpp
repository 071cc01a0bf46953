// UTF-8 decoding with the replacement rules of Java's decoder (sun.nio.cs.UTF_8, JDK 17).
#include "tandem/text/utf8.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace tandem::text {
namespace {

// The code points Java's InputStreamReader would read from `bytes`.
std::vector<char32_t> decode_all(std::string_view bytes) {
  std::vector<char32_t> out;
  for (std::size_t at = 0; at < bytes.size();) {
    const Decoded d = decode_utf8(bytes.data() + at, bytes.size() - at);
    out.push_back(d.cp);
    at += d.length;
  }
  return out;
}

using C = std::vector<char32_t>;
constexpr char32_t R = kReplacementChar;

TEST(Utf8, WellFormed) {
  EXPECT_EQ(decode_all("a\u00E9\u4E2D\U0001F600"), (C{U'a', 0xE9, 0x4E2D, 0x1F600}));
  EXPECT_EQ(decode_all("\xEF\xBB\xBF"
                       "A"),
            (C{0xFEFF, U'A'}));  // a BOM is a character
}

TEST(Utf8, BadLeadAndContinuationBytes) {
  EXPECT_EQ(decode_all("\x80"), (C{R}));
  EXPECT_EQ(decode_all("\xC0\x80"), (C{R, R}));  // overlong lead C0: each byte alone
  EXPECT_EQ(decode_all("\xC2"
                       "A"),
            (C{R, U'A'}));
  EXPECT_EQ(decode_all("\xFF\xFE"), (C{R, R}));
  EXPECT_EQ(decode_all("\xF8\x88\x80\x80\x80"), (C{R, R, R, R, R}));
}

TEST(Utf8, ThreeByteSequences) {
  EXPECT_EQ(decode_all("\xE0\x80\x80"), (C{R, R, R}));  // overlong: the lead alone, then each byte
  EXPECT_EQ(decode_all("\xE2\x28\xA1"), (C{R, U'(', R}));
  EXPECT_EQ(decode_all("\xE2\x82"
                       "A"),
            (C{R, U'A'}));  // two good bytes: one replacement
  // Java's own rule: an encoded surrogate is one malformed sequence of three bytes.
  EXPECT_EQ(decode_all("\xED\xA0\x80"
                       "A"),
            (C{R, U'A'}));
  EXPECT_EQ(decode_all("\xED\xA0"
                       "A"),
            (C{R, U'A'}));
}

TEST(Utf8, FourByteSequences) {
  EXPECT_EQ(decode_all("\xF0\x9F\x98"
                       "A"),
            (C{R, U'A'}));
  EXPECT_EQ(decode_all("\xF0\x9F"
                       "AB"),
            (C{R, U'A', U'B'}));
  EXPECT_EQ(decode_all("\xF4\x90\x80\x80"), (C{R, R, R, R}));  // above U+10FFFF
  EXPECT_EQ(decode_all("\xF5\x80\x80\x80"), (C{R, R, R, R}));
  EXPECT_EQ(decode_all("\xF0\x80\x80\x80"), (C{R, R, R, R}));  // overlong
  EXPECT_EQ(decode_all("\xF0\x9F\x98\x80\x80"), (C{0x1F600, R}));
}

TEST(Utf8, TruncatedAtTheEndIsOneReplacement) {
  EXPECT_EQ(decode_all("\xC2"), (C{R}));
  EXPECT_EQ(decode_all("\xE2\x82"), (C{R}));
  EXPECT_EQ(decode_all("\xED\xA0"), (C{R}));
  EXPECT_EQ(decode_all("\xF0\x9F\x98"), (C{R}));
  EXPECT_EQ(decode_all("\xF4\x8F\xBF"), (C{R}));
  EXPECT_EQ(decode_all("\xE0\x80"), (C{R, R}));  // unless the second byte is already wrong
}

TEST(Utf8, SanitizeAndValidate) {
  std::string out;
  append_sanitized_utf8("ok \xC3(\xE2\x82", out);
  EXPECT_EQ(out, "ok \uFFFD(\uFFFD");
  EXPECT_TRUE(is_valid_utf8("caf\u00E9 \uFFFD"));
  EXPECT_FALSE(is_valid_utf8("caf\xC3"));
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));
  EXPECT_EQ(utf16_length("a\u00E9\U0001F600"), 4u);
  char buf[4];
  EXPECT_EQ(std::string(buf, encode_utf8(0x10FFFF, buf)), "\xF4\x8F\xBF\xBF");
}

}  // namespace
}  // namespace tandem::text
