// StandardTokenizer on hand-worked cases. Each expectation follows from the UAX #29 rules as
// Lucene 8.8's grammar states them (rule numbers in the comments), not from running the code.
#include "tandem/text/standard_tokenizer.hpp"

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "tandem/core/error.hpp"

namespace tandem::text {
namespace {

using Typed = std::vector<std::pair<std::string, TokenType>>;

std::vector<std::string> words(std::string_view text, std::uint32_t max = 255) {
  std::vector<std::string> out;
  StandardTokenizer(max).tokenize(text, [&](const Token& t) { out.emplace_back(t.text); });
  return out;
}

Typed typed(std::string_view text) {
  Typed out;
  StandardTokenizer().tokenize(
      text, [&](const Token& t) { out.emplace_back(std::string(t.text), t.type); });
  return out;
}

using V = std::vector<std::string>;
constexpr auto kAlnum = TokenType::alphanum;
constexpr auto kNum = TokenType::num;

TEST(StandardTokenizer, SplitsOnSpacesAndPunctuation) {
  EXPECT_EQ(words("The quick brown fox."), (V{"The", "quick", "brown", "fox"}));
  EXPECT_EQ(words("hello,world!(x)"), (V{"hello", "world", "x"}));
}

TEST(StandardTokenizer, EmptyAndWhitespaceOnlyGiveNothing) {
  EXPECT_EQ(words(""), V{});
  EXPECT_EQ(words(" \t\r\n\u00A0\u3000"), V{});
  EXPECT_EQ(words("... --- !!!"), V{});
}

TEST(StandardTokenizer, ApostrophesJoinLettersOnly) {
  // WB6/WB7: ' (Single_Quote), ’ and ＇ (MidNumLet) join letters on both sides.
  EXPECT_EQ(words("don't O'Neil dog's dog\u2019s dog\uFF07s"),
            (V{"don't", "O'Neil", "dog's", "dog\u2019s", "dog\uFF07s"}));
  // Leading or trailing apostrophes have no letter on one side (WB999).
  EXPECT_EQ(words("'quoted' dogs' rock 'n' roll"), (V{"quoted", "dogs", "rock", "n", "roll"}));
}

TEST(StandardTokenizer, Numbers) {
  // WB11/WB12: "," and "." (MidNum, MidNumLet) between digits.
  EXPECT_EQ(typed("1,000.50 3.14 1.2.3"),
            (Typed{{"1,000.50", kNum}, {"3.14", kNum}, {"1.2.3", kNum}}));
  // WB9/WB10: digits and letters join, which makes the token a word.
  EXPECT_EQ(typed("2.5x abc123 123abc"),
            (Typed{{"2.5x", kAlnum}, {"abc123", kAlnum}, {"123abc", kAlnum}}));
  // ':' is MidLetter: it joins letters, not digits. '%', '$', '-' are Other.
  EXPECT_EQ(words("12:30 a:b 10% $100 -5 1,000,"),
            (V{"12", "30", "a:b", "10", "100", "5", "1,000"}));
  // Fullwidth digits are numeric too (the grammar adds Halfwidth-and-Fullwidth Nd).
  EXPECT_EQ(typed("\uFF11\uFF12\uFF13"), (Typed{{"\uFF11\uFF12\uFF13", kNum}}));
}

TEST(StandardTokenizer, HyphensSplitUnderscoresJoin) {
  EXPECT_EQ(words("state-of-the-art e-mail"), (V{"state", "of", "the", "art", "e", "mail"}));
  // '_' is ExtendNumLet (WB13a/b), kept at either end of a word too; alone it is no word.
  EXPECT_EQ(words("foo_bar _foo_ __ a_1"), (V{"foo_bar", "_foo_", "a_1"}));
}

TEST(StandardTokenizer, EmailsAndUrlsAreSplit) {
  // '@', ':', '/' , '?' and '=' break; '.' between letters does not (MidNumLet).
  EXPECT_EQ(words("test@example.com"), (V{"test", "example.com"}));
  EXPECT_EQ(words("http://www.apache.org/x?y=z"), (V{"http", "www.apache.org", "x", "y", "z"}));
  EXPECT_EQ(words("U.S.A."), (V{"U.S.A"}));
}

TEST(StandardTokenizer, HanIsOneTokenPerCharacter) {
  EXPECT_EQ(typed("\u4E2D\u6587\u5B57"), (Typed{{"\u4E2D", TokenType::ideographic},
                                                {"\u6587", TokenType::ideographic},
                                                {"\u5B57", TokenType::ideographic}}));
}

TEST(StandardTokenizer, HiraganaSingleKatakanaAndHangulRuns) {
  EXPECT_EQ(typed("\u3072\u3089"),
            (Typed{{"\u3072", TokenType::hiragana}, {"\u3089", TokenType::hiragana}}));
  // WB13: katakana runs; the prolonged sound mark U+30FC is Katakana.
  EXPECT_EQ(typed("\u30E9\u30FC\u30E1\u30F3\u6F22"),
            (Typed{{"\u30E9\u30FC\u30E1\u30F3", TokenType::katakana},
                   {"\u6F22", TokenType::ideographic}}));
  EXPECT_EQ(typed("\uD55C\uAD6D\uC5B4"), (Typed{{"\uD55C\uAD6D\uC5B4", TokenType::hangul}}));
  // Hangul syllables are ALetter: followed by Latin letters the longer word match wins.
  EXPECT_EQ(typed("\uD55C\uAD6Dabc"), (Typed{{"\uD55C\uAD6Dabc", kAlnum}}));
  // Katakana and Latin letters do not join (no rule between them).
  EXPECT_EQ(words("abc\u30AB\u30BF"), (V{"abc", "\u30AB\u30BF"}));
}

TEST(StandardTokenizer, ThaiRunsStayWhole) {
  EXPECT_EQ(typed("\u0E20\u0E32\u0E29\u0E32\u0E44\u0E17\u0E22 abc"),
            (Typed{{"\u0E20\u0E32\u0E29\u0E32\u0E44\u0E17\u0E22", TokenType::southeast_asian},
                   {"abc", kAlnum}}));
}

TEST(StandardTokenizer, EmojiSequences) {
  constexpr auto kEmoji = TokenType::emoji;
  EXPECT_EQ(typed("\U0001F600\U0001F600"), (Typed{{"\U0001F600", kEmoji}, {"\U0001F600", kEmoji}}));
  // ZWJ sequence (family), modifier sequence, presentation sequence: one token each.
  EXPECT_EQ(typed("\U0001F468\u200D\U0001F469\u200D\U0001F467 \U0001F44D\U0001F3FD \u2764\uFE0F"),
            (Typed{{"\U0001F468\u200D\U0001F469\u200D\U0001F467", kEmoji},
                   {"\U0001F44D\U0001F3FD", kEmoji},
                   {"\u2764\uFE0F", kEmoji}}));
  // A lone skin-tone modifier is an emoji too; © is Extended_Pictographic.
  EXPECT_EQ(typed("\U0001F3FD \u00A9"), (Typed{{"\U0001F3FD", kEmoji}, {"\u00A9", kEmoji}}));
  // Keycaps, with or without U+FE0F; '#' alone is nothing, a digit alone a number.
  EXPECT_EQ(typed("1\uFE0F\u20E3 #\u20E3 # 7"),
            (Typed{{"1\uFE0F\u20E3", kEmoji}, {"#\u20E3", kEmoji}, {"7", kNum}}));
  // Tag sequence (flag of England).
  const std::string england =
      "\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F";
  EXPECT_EQ(typed(england), (Typed{{england, kEmoji}}));
}

TEST(StandardTokenizer, RegionalIndicatorsPairUp) {
  const std::string us = "\U0001F1FA\U0001F1F8";
  const std::string gb = "\U0001F1EC\U0001F1E7";
  EXPECT_EQ(words(us + gb), (V{us, gb}));
  EXPECT_EQ(words(us + "\U0001F1EC"), (V{us}));  // a lone indicator is dropped
}

TEST(StandardTokenizer, ExtendAndFormatCharactersStayWithTheirBase) {
  // WB4: e + COMBINING ACUTE is one letter; a mark with nothing before it is dropped.
  EXPECT_EQ(words("cafe\u0301 \u0301abc ab\u0301c"), (V{"cafe\u0301", "abc", "ab\u0301c"}));
  // ZWJ, soft hyphen and ZWNJ inside a word; ZWSP (U+200B, Other) splits.
  EXPECT_EQ(words("a\u200Db co\u00ADop a\u200Cb x\u200By"),
            (V{"a\u200Db", "co\u00ADop", "a\u200Cb", "x", "y"}));
}

TEST(StandardTokenizer, HebrewQuotes) {
  // WB7b/c: Hebrew " Hebrew; WB7a: Hebrew followed by '.
  EXPECT_EQ(words("\u05E6\u05D4\"\u05DC \u05D0' a\"b"),
            (V{"\u05E6\u05D4\"\u05DC", "\u05D0'", "a", "b"}));
}

TEST(StandardTokenizer, MaxTokenLengthCutsLongWords) {
  // Lucene's scanner buffer holds 255 UTF-16 units: a longer word comes out in pieces.
  EXPECT_EQ(words(std::string(255, 'a')), (V{std::string(255, 'a')}));
  EXPECT_EQ(words(std::string(256, 'a')), (V{std::string(255, 'a'), "a"}));
  EXPECT_EQ(words(std::string(600, 'a')),
            (V{std::string(255, 'a'), std::string(255, 'a'), std::string(90, 'a')}));
  EXPECT_EQ(words(std::string(300, '1')), (V{std::string(255, '1'), std::string(45, '1')}));
  EXPECT_EQ(words("abcdefgh", 5), (V{"abcde", "fgh"}));
}

TEST(StandardTokenizer, MaxTokenLengthCountsUtf16Units) {
  const std::string gothic = "\U00010330";  // ALetter, two UTF-16 units
  // 253 + 2 = 255 units fit; at 254 the pair would straddle the end, so it starts the next piece.
  EXPECT_EQ(words(std::string(253, 'a') + gothic), (V{std::string(253, 'a') + gothic}));
  EXPECT_EQ(words(std::string(254, 'a') + gothic), (V{std::string(254, 'a'), gothic}));
  // "é" is one unit but two bytes: 255 of them are one token.
  std::string e255;
  for (int i = 0; i < 255; ++i) e255 += "\u00E9";
  EXPECT_EQ(words(e255 + "\u00E9"), (V{e255, "\u00E9"}));
  // The window ends after the '.', which cannot end a word: the match falls back before it.
  EXPECT_EQ(words(std::string(254, 'a') + ".b"), (V{std::string(254, 'a'), "b"}));
}

TEST(StandardTokenizer, MalformedUtf8ActsAsABreak) {
  EXPECT_EQ(words("ab\xFF"
                  "cd ef\xC3"),
            (V{"ab", "cd", "ef"}));
  EXPECT_EQ(words("\xED\xA0\x80x"), (V{"x"}));
}

TEST(StandardTokenizer, BatchesEqualOneByOne) {
  std::string text;
  for (int i = 0; i < 50; ++i) text += "Don't 3.14 \u4E2D\u6587 a_b \U0001F600 x\u0301y, ";
  text += std::string(300, 'z');
  const StandardTokenizer t;
  V one_by_one;
  std::size_t pos = 0;
  Token token{};
  while (t.next(text, pos, token)) one_by_one.emplace_back(token.text);
  for (std::size_t capacity : {1u, 2u, 7u, 64u, 1000u}) {
    V batched;
    std::vector<Token> batch(capacity);
    pos = 0;
    while (const std::size_t n = t.next_batch(text, pos, batch.data(), capacity)) {
      for (std::size_t i = 0; i < n; ++i) batched.emplace_back(batch[i].text);
    }
    EXPECT_EQ(batched, one_by_one) << "capacity " << capacity;
  }
  EXPECT_EQ(one_by_one.size(), 50u * 7 + 2);  // Don't 3.14 中 文 a_b 😀 x́y; 255 + 45 z
}

TEST(StandardTokenizer, RejectsBadMaxTokenLength) {
  EXPECT_THROW(StandardTokenizer(0), Error);
  EXPECT_THROW(StandardTokenizer(StandardTokenizer::kMaxTokenLengthLimit + 1), Error);
}

TEST(StandardTokenizer, NextIsACursor) {
  const StandardTokenizer t;
  const std::string text = "one two";
  std::size_t pos = 0;
  Token token{};
  ASSERT_TRUE(t.next(text, pos, token));
  EXPECT_EQ(token.text, "one");
  EXPECT_EQ(pos, 3u);
  ASSERT_TRUE(t.next(text, pos, token));
  EXPECT_EQ(token.text, "two");
  EXPECT_FALSE(t.next(text, pos, token));
  EXPECT_EQ(pos, text.size());
  EXPECT_EQ(to_string(TokenType::southeast_asian), "<SOUTHEAST_ASIAN>");
}

}  // namespace
}  // namespace tandem::text
