#include <string>

#include <gtest/gtest.h>

#include "tandem/core/error.hpp"
#include "tandem/text/analyzer.hpp"

namespace tandem::text {
namespace {

// The message of the Error that `f` throws (fails the test if it throws none).
template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::invalid_argument);
    return e.what();
  }
  ADD_FAILURE() << "no tandem::Error thrown";
  return {};
}

TEST(AnalyzerConfig, Presets) {
  const AnalyzerConfig english = AnalyzerConfig::preset("english");
  EXPECT_EQ(english, AnalyzerConfig{});
  EXPECT_EQ(english.tokenizer, AnalyzerConfig::Tokenizer::standard);
  EXPECT_TRUE(english.possessive);
  EXPECT_TRUE(english.lowercase);
  EXPECT_EQ(english.stopwords.size(), 33u);
  EXPECT_EQ(english.stemmer, AnalyzerConfig::Stemmer::porter);
  EXPECT_EQ(english.max_token_length, 255u);

  const AnalyzerConfig nostem = AnalyzerConfig::preset("english-nostem");
  EXPECT_EQ(nostem.stemmer, AnalyzerConfig::Stemmer::none);
  EXPECT_EQ(nostem.stopwords, english.stopwords);

  const AnalyzerConfig ws = AnalyzerConfig::preset("whitespace");
  EXPECT_EQ(ws.tokenizer, AnalyzerConfig::Tokenizer::whitespace);
  EXPECT_FALSE(ws.possessive);
  EXPECT_FALSE(ws.lowercase);
  EXPECT_TRUE(ws.stopwords.empty());
  EXPECT_EQ(ws.stemmer, AnalyzerConfig::Stemmer::none);
}

TEST(AnalyzerConfig, UnknownPresetListsTheKnownOnes) {
  const std::string message = error_of([] { AnalyzerConfig::preset("bm25"); });
  EXPECT_NE(message.find("'bm25'"), std::string::npos) << message;
  EXPECT_NE(message.find("english, english-nostem, whitespace"), std::string::npos) << message;
}

TEST(AnalyzerConfig, JsonRoundTrip) {
  AnalyzerConfig custom;
  custom.tokenizer = AnalyzerConfig::Tokenizer::whitespace;
  custom.possessive = false;
  custom.stopwords = {"x", "caf\u00E9", "quote\"d"};
  custom.stemmer = AnalyzerConfig::Stemmer::none;
  custom.max_token_length = 1000;
  for (const AnalyzerConfig& c :
       {AnalyzerConfig::preset("english"), AnalyzerConfig::preset("english-nostem"),
        AnalyzerConfig::preset("whitespace"), custom}) {
    EXPECT_EQ(AnalyzerConfig::from_json(c.to_json()), c) << c.to_json();
  }
}

TEST(AnalyzerConfig, JsonSpellsEveryField) {
  EXPECT_EQ(AnalyzerConfig::preset("whitespace").to_json(),
            R"({"tokenizer":"whitespace","possessive":false,"lowercase":false,"stopwords":[],)"
            R"("stemmer":"none","max_token_length":255})");
}

TEST(AnalyzerConfig, MissingFieldsComeFromThePreset) {
  EXPECT_EQ(AnalyzerConfig::from_json("{}"), AnalyzerConfig::preset("english"));
  EXPECT_EQ(AnalyzerConfig::from_json(R"({"preset": "whitespace"})"),
            AnalyzerConfig::preset("whitespace"));
  AnalyzerConfig expected = AnalyzerConfig::preset("whitespace");
  expected.lowercase = true;
  EXPECT_EQ(AnalyzerConfig::from_json(R"({"lowercase": true, "preset": "whitespace"})"), expected);
}

TEST(AnalyzerConfig, JsonErrorsNameTheProblem) {
  std::string m = error_of([] { AnalyzerConfig::from_json(R"({"stemer": "porter"})"); });
  EXPECT_NE(m.find("unknown field 'stemer'"), std::string::npos) << m;
  EXPECT_NE(m.find("known fields: preset, tokenizer, possessive, lowercase, stopwords, stemmer, "
                   "max_token_length"),
            std::string::npos)
      << m;

  m = error_of([] { AnalyzerConfig::from_json(R"({"stemmer": "snowball"})"); });
  EXPECT_NE(m.find("'stemmer'"), std::string::npos) << m;
  EXPECT_NE(m.find("\"porter\" or \"none\""), std::string::npos) << m;

  m = error_of([] { AnalyzerConfig::from_json(R"({"lowercase": "yes"})"); });
  EXPECT_NE(m.find("'lowercase' must be true or false"), std::string::npos) << m;

  m = error_of([] { AnalyzerConfig::from_json(R"({"stopwords": ["a", 1]})"); });
  EXPECT_NE(m.find("'stopwords'"), std::string::npos) << m;

  m = error_of([] { AnalyzerConfig::from_json(R"({"max_token_length": 0})"); });
  EXPECT_NE(m.find("'max_token_length'"), std::string::npos) << m;
  error_of([] { AnalyzerConfig::from_json(R"({"max_token_length": 2000000})"); });
  error_of([] { AnalyzerConfig::from_json(R"({"max_token_length": -3})"); });
  error_of([] { AnalyzerConfig::from_json(R"({"tokenizer": "icu"})"); });
  error_of([] { AnalyzerConfig::from_json(R"({"preset": "nope"})"); });

  m = error_of([] { AnalyzerConfig::from_json("{not json"); });
  EXPECT_NE(m.find("not valid JSON"), std::string::npos) << m;
  m = error_of([] { AnalyzerConfig::from_json("[1, 2]"); });
  EXPECT_NE(m.find("must be a JSON object"), std::string::npos) << m;
}

}  // namespace
}  // namespace tandem::text
