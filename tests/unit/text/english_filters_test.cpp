// EnglishPossessiveFilter, LowerCaseFilter (Java's Character.toLowerCase) and StopFilter pieces.
#include <string>

#include <gtest/gtest.h>

#include "tandem/text/analyzer.hpp"
#include "tandem/text/english_possessive.hpp"
#include "tandem/text/lower_case.hpp"
#include "tandem/text/stop_set.hpp"

namespace tandem::text {
namespace {

TEST(EnglishPossessive, StripsApostropheS) {
  EXPECT_EQ(strip_english_possessive("dog's"), "dog");
  EXPECT_EQ(strip_english_possessive("dog\u2019s"), "dog");  // RIGHT SINGLE QUOTATION MARK
  EXPECT_EQ(strip_english_possessive("dog\uFF07s"), "dog");  // FULLWIDTH APOSTROPHE
  EXPECT_EQ(strip_english_possessive("DOG'S"), "DOG");       // runs before lower-casing
  EXPECT_EQ(strip_english_possessive("James's"), "James");
  EXPECT_EQ(strip_english_possessive("'s"), "");
}

TEST(EnglishPossessive, LeavesOtherTermsAlone) {
  EXPECT_EQ(strip_english_possessive("dogs'"), "dogs'");
  EXPECT_EQ(strip_english_possessive("dogs"), "dogs");
  EXPECT_EQ(strip_english_possessive("s"), "s");
  EXPECT_EQ(strip_english_possessive("dog\u2018s"),
            "dog\u2018s");  // LEFT quotation mark: not an apostrophe here
  EXPECT_EQ(strip_english_possessive("dog'x"), "dog'x");
  EXPECT_EQ(strip_english_possessive(""), "");
}

std::string lower(std::string_view s) {
  std::string out(lower_case_capacity(s.size()), '\0');
  out.resize(lower_case_utf8(s, out.data()));
  return out;
}

TEST(LowerCase, JavaSimpleMappings) {
  EXPECT_EQ(lower("HeLLo W0RLD"), "hello w0rld");
  EXPECT_EQ(lower("\u0130"), "i");  // İ -> i (simple mapping, no combining dot)
  EXPECT_EQ(lower("\u03A3\u0391\u03A3"), "\u03C3\u03B1\u03C3");  // no final-sigma rule
  EXPECT_EQ(lower("\u1E9E"), "\u00DF");                          // ẞ -> ß
  EXPECT_EQ(lower("\u212A\u2126"), "k\u03C9");                   // KELVIN SIGN, OHM SIGN
  EXPECT_EQ(lower("\u01C5"), "\u01C6");                          // titlecase ǅ -> ǆ
  EXPECT_EQ(lower("\U00010400"), "\U00010428");                  // Deseret, outside the BMP
  EXPECT_EQ(lower("\u023A"), "\u2C65");                          // 2 bytes -> 3 bytes
  EXPECT_EQ(lower("\u00DF\u4E2D1"), "\u00DF\u4E2D1");            // no mapping: unchanged
  EXPECT_EQ(java_to_lower(U'A'), U'a');
  EXPECT_EQ(java_to_lower(0x10FFFF), 0x10FFFFu);
}

TEST(StopSet, LuceneEnglishStopWords) {
  const auto words = AnalyzerConfig::lucene_english_stopwords();
  ASSERT_EQ(words.size(), 33u);
  const StopSet set(words);
  EXPECT_EQ(set.size(), 33u);
  for (const char* w :
       {"a",   "an",    "and",  "are",   "as",    "at",   "be",   "but", "by",  "for",  "if",
        "in",  "into",  "is",   "it",    "no",    "not",  "of",   "on",  "or",  "such", "that",
        "the", "their", "then", "there", "these", "they", "this", "to",  "was", "will", "with"}) {
    EXPECT_TRUE(set.contains(w)) << w;
  }
  // Exact and case-sensitive; "were", "i", "he" are not in Lucene's list.
  for (const char* w : {"The", "them", "th", "", "were", "i", "he", "an ", "wit"})
    EXPECT_FALSE(set.contains(w)) << w;
}

TEST(StopSet, CustomDuplicateAndEmptySets) {
  const StopSet custom(
      {"foo", "foo", "a-very-long-stop-word-that-is-longer-than-sixty-four-bytes-for-sure-yes"});
  EXPECT_EQ(custom.size(), 2u);
  EXPECT_TRUE(custom.contains("foo"));
  EXPECT_TRUE(
      custom.contains("a-very-long-stop-word-that-is-longer-than-sixty-four-bytes-for-sure-yes"));
  EXPECT_FALSE(custom.contains("the"));
  const StopSet empty;
  EXPECT_TRUE(empty.empty());
  EXPECT_FALSE(empty.contains("the"));
  EXPECT_FALSE(StopSet(std::vector<std::string>{}).contains(""));
}

}  // namespace
}  // namespace tandem::text
