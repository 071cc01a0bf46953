// Porter stemmer: the examples of Porter's 1980 paper (steps 1a-5b) carried through all steps,
// and the places where Lucene's PorterStemmer departs from the paper.
#include "tandem/text/porter_stemmer.hpp"

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace tandem::text {
namespace {

void expect_stems(const std::vector<std::pair<std::string, std::string>>& cases) {
  for (const auto& [word, stem] : cases)
    EXPECT_EQ(PorterStemmer::stem(word), stem) << "stem of " << word;
}

TEST(PorterStemmer, Step1aPlurals) {
  expect_stems({{"caresses", "caress"},
                {"ponies", "poni"},
                {"ties", "ti"},
                {"caress", "caress"},
                {"cats", "cat"}});
}

TEST(PorterStemmer, Step1bEdAndIng) {
  // feed: m(f) = 0 keeps -eed; agreed -> agree, then step 5a drops the e (m = 1, not *o).
  expect_stems({{"feed", "feed"},
                {"agreed", "agre"},
                {"plastered", "plaster"},
                {"bled", "bled"},
                {"motoring", "motor"},
                {"sing", "sing"}});
  // After removing -ed/-ing: -at, -bl, -iz get an e; double consonants lose one unless l, s, z;
  // a short cvc stem gets an e. Later steps then apply (conflate -> conflat by 5a).
  expect_stems({{"conflated", "conflat"},
                {"troubled", "troubl"},
                {"sized", "size"},
                {"hopping", "hop"},
                {"tanned", "tan"},
                {"falling", "fall"},
                {"hissing", "hiss"},
                {"fizzed", "fizz"},
                {"failing", "fail"},
                {"filing", "file"}});
}

TEST(PorterStemmer, Step1cYToI) {
  expect_stems({{"happy", "happi"}, {"sky", "sky"}});
}

TEST(PorterStemmer, Step2DoubleSuffixes) {
  expect_stems(
      {{"relational", "relat"},    {"conditional", "condit"}, {"rational", "ration"},
       {"valenci", "valenc"},      {"hesitanci", "hesit"},    {"digitizer", "digit"},
       {"conformabli", "conform"}, {"radicalli", "radic"},    {"differentli", "differ"},
       {"vileli", "vile"},         {"analogousli", "analog"}, {"vietnamization", "vietnam"},
       {"predication", "predic"},  {"operator", "oper"},      {"feudalism", "feudal"},
       {"decisiveness", "decis"},  {"hopefulness", "hope"},   {"callousness", "callous"},
       {"formaliti", "formal"},    {"sensitiviti", "sensit"}, {"sensibiliti", "sensibl"}});
}

TEST(PorterStemmer, Step3) {
  expect_stems({{"triplicate", "triplic"},
                {"formative", "form"},
                {"formalize", "formal"},
                {"electriciti", "electr"},
                {"electrical", "electr"},
                {"hopeful", "hope"},
                {"goodness", "good"}});
}

TEST(PorterStemmer, Step4) {
  expect_stems({{"revival", "reviv"},
                {"allowance", "allow"},
                {"inference", "infer"},
                {"airliner", "airlin"},
                {"gyroscopic", "gyroscop"},
                {"adjustable", "adjust"},
                {"defensible", "defens"},
                {"irritant", "irrit"},
                {"replacement", "replac"},
                {"adjustment", "adjust"},
                {"dependent", "depend"},
                {"adoption", "adopt"},
                {"homologou", "homolog"},
                {"communism", "commun"},
                {"activate", "activ"},
                {"angulariti", "angular"},
                {"homologous", "homolog"},
                {"effective", "effect"},
                {"bowdlerize", "bowdler"}});
}

TEST(PorterStemmer, Step5) {
  expect_stems({{"probate", "probat"},
                {"rate", "rate"},
                {"cease", "ceas"},
                {"controll", "control"},
                {"roll", "roll"}});
}

TEST(PorterStemmer, LuceneDeparturesFromThePaper) {
  // -bli -> -ble (the paper has -abli -> -able): possibli -> possible -> possibl.
  EXPECT_EQ(PorterStemmer::stem("possibli"), "possibl");
  // The extra rule -logi -> -log.
  EXPECT_EQ(PorterStemmer::stem("analogi"), "analog");
  EXPECT_EQ(PorterStemmer::stem("analogies"), "analog");
  // The first suffix found ends the step even when its condition fails: "agreement" ends in
  // -ement with m(agre) = 1, so nothing is removed, although -ent would leave m(agreem) = 2.
  EXPECT_EQ(PorterStemmer::stem("agreement"), "agreement");
  // -ion only after s or t.
  EXPECT_EQ(PorterStemmer::stem("opinion"), "opinion");
}

TEST(PorterStemmer, ShortWordsAndNonLetters) {
  // One or two UTF-16 units: untouched, even "is" and "as".
  expect_stems({{"is", "is"}, {"as", "as"}, {"ed", "ed"}, {"s", "s"}, {"", ""}});
  // Three units and up are stemmed; "ies" -> "i".
  expect_stems({{"ies", "i"}, {"sss", "sss"}, {"bed", "bed"}});
  // Capitals and digits are consonants: nothing matches lower-case suffixes.
  expect_stems({{"RUNNING", "RUNNING"}, {"1990s", "1990"}});
  // Lengths are UTF-16 units: "és" has two (kept), "𐐨s" three (the s goes).
  expect_stems(
      {{"\u00E9s", "\u00E9s"}, {"caf\u00E9s", "caf\u00E9"}, {"\U00010428s", "\U00010428"}});
  // Non-ASCII letters are consonants: na-ï-v-e has m = 1 and no cvc before the e.
  EXPECT_EQ(PorterStemmer::stem("na\u00EFve"), "na\u00EFv");
}

TEST(PorterStemmer, YIsAConsonantAtTheStartAndAfterAVowel) {
  // "toys" -> "toy"; the y follows a vowel, so it is a consonant and the stem "to" has a vowel:
  // step 1c makes it "toi".
  EXPECT_EQ(PorterStemmer::stem("toys"), "toi");
  // "syzygy": y after s is a vowel, so the final y -> i.
  EXPECT_EQ(PorterStemmer::stem("syzygy"), "syzygi");
}

TEST(PorterStemmer, InPlaceFormNeverGrows) {
  std::string s = "generalizations";
  s.resize(PorterStemmer::stem(s.data(), s.size()));
  EXPECT_EQ(s, "gener");
}

}  // namespace
}  // namespace tandem::text
