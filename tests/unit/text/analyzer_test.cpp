// The analysis chains end to end, on sentences worked out by hand.
#include "tandem/text/analyzer.hpp"

#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace tandem::text {
namespace {

using V = std::vector<std::string>;

V analyze(const std::string& preset, std::string_view text) {
  const auto analyzer = make_analyzer(AnalyzerConfig::preset(preset));
  TermList terms;
  analyzer->analyze(text, terms);
  V out;
  for (std::size_t i = 0; i < terms.size(); ++i) out.emplace_back(terms[i]);
  return out;
}

constexpr std::string_view kSentence = "The dog's toys were running happily";

TEST(Analyzer, EnglishChain) {
  // possessive: dog's -> dog; lower-case; "the" is a stop word ("were" is not in Lucene's list);
  // Porter: toys -> toy -> toi (1c), running -> runn -> run, happily -> happili.
  EXPECT_EQ(analyze("english", kSentence), (V{"dog", "toi", "were", "run", "happili"}));
}

TEST(Analyzer, EnglishNoStem) {
  EXPECT_EQ(analyze("english-nostem", kSentence), (V{"dog", "toys", "were", "running", "happily"}));
}

TEST(Analyzer, Whitespace) {
  EXPECT_EQ(analyze("whitespace", "The dog's  toys,\twere"), (V{"The", "dog's", "toys,", "were"}));
}

TEST(Analyzer, PossessiveRunsBeforeLowerCaseAndStopWordsAfter) {
  // "IT'S" -> "IT" -> "it", a stop word. "A" -> "a", a stop word.
  EXPECT_EQ(analyze("english", "IT'S A Test"), (V{"test"}));
  // Stop words are compared after lower-casing.
  EXPECT_EQ(analyze("english", "THIS Thing is"), (V{"thing"}));
}

TEST(Analyzer, EmptyAndStopwordOnlyTextGivesNoTerms) {
  EXPECT_EQ(analyze("english", ""), V{});
  EXPECT_EQ(analyze("english", "the and of to"), V{});
  EXPECT_EQ(analyze("whitespace", " \n\t "), V{});
}

TEST(Analyzer, AppendsToTheTermList) {
  const auto analyzer = make_analyzer(AnalyzerConfig::preset("english"));
  TermList terms;
  analyzer->analyze("first", terms);
  analyzer->analyze("second", terms);
  ASSERT_EQ(terms.size(), 2u);
  EXPECT_EQ(terms[0], "first");
  EXPECT_EQ(terms[1], "second");
}

TEST(Analyzer, ConfigurableChain) {
  AnalyzerConfig c;
  c.stopwords = {"dog"};
  c.stemmer = AnalyzerConfig::Stemmer::none;
  c.lowercase = false;
  c.max_token_length = 5;
  const auto analyzer = make_analyzer(c);
  TermList terms;
  analyzer->analyze("The dog's Elephants", terms);
  // "dog's" -> "dog" (a stop word here); "Elephants" is cut into "Eleph", "ants" by the 5-unit
  // window.
  V got;
  for (std::size_t i = 0; i < terms.size(); ++i) got.emplace_back(terms[i]);
  EXPECT_EQ(got, (V{"The", "Eleph", "ants"}));
  EXPECT_EQ(analyzer->config(), c);
}

TEST(Analyzer, WhitespaceWithPossessiveDropsEmptyTerms) {
  AnalyzerConfig c = AnalyzerConfig::preset("whitespace");
  c.possessive = true;
  const auto analyzer = make_analyzer(c);
  TermList terms;
  analyzer->analyze("'s x's", terms);
  ASSERT_EQ(terms.size(), 1u);
  EXPECT_EQ(terms[0], "x");
}

TEST(Analyzer, SharedAcrossThreads) {
  const auto analyzer = make_analyzer(AnalyzerConfig::preset("english"));
  std::string text;
  for (int i = 0; i < 200; ++i)
    text += "Generalizations about oscillators' relational databases 3.14 ";
  TermList expected;
  analyzer->analyze(text, expected);
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      TermList terms;
      for (int round = 0; round < 20; ++round) {
        terms.clear();
        analyzer->analyze(text, terms);
      }
      bool same = terms.size() == expected.size();
      for (std::size_t i = 0; same && i < terms.size(); ++i) same = terms[i] == expected[i];
      ok[static_cast<std::size_t>(t)] = same ? 1 : 0;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok, (std::vector<int>{1, 1, 1, 1}));
  EXPECT_EQ(expected[0], "gener");
}

}  // namespace
}  // namespace tandem::text
