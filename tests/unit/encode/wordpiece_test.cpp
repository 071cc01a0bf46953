// The WordPiece tokenizer against the Hugging Face reference ids of every case in
// ../shared/models/bert-base-uncased-vocab/tokenizer-testcases, small hand-made vocabularies, and
// the idf query encoder.
#include "tandem/text/wordpiece.hpp"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "tandem/core/error.hpp"
#include "tandem/encode/idf_query_encoder.hpp"

#include "test_support.hpp"

namespace tandem {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(WordPiece, EveryReferenceTestCase) {
  TANDEM_REQUIRE_SHARED(shared);
  const fs::path dir = shared / "models" / "bert-base-uncased-vocab";
  const auto tokenizer = text::WordPieceTokenizer::from_file(dir / "vocab.txt");
  ASSERT_EQ(tokenizer.size(), 30522u);
  const std::string inp = slurp(dir / "tokenizer-testcases" / "bge-small-en-v1.5.inp");
  const std::string out = slurp(dir / "tokenizer-testcases" / "bge-small-en-v1.5.out");
  const std::string sep = "\n__ggml_vocab_test__\n";
  std::vector<std::string> texts;
  for (std::size_t pos = 0;;) {
    const std::size_t next = inp.find(sep, pos);
    if (next == std::string::npos) break;
    texts.push_back(inp.substr(pos, next - pos));
    pos = next + sep.size();
  }
  std::vector<std::vector<std::uint32_t>> expected;
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream ids(line);
    std::vector<std::uint32_t> v;
    for (std::uint32_t id; ids >> id;) v.push_back(id);
    expected.push_back(v);
  }
  ASSERT_EQ(texts.size(), expected.size());
  ASSERT_GE(texts.size(), 46u);
  for (std::size_t i = 0; i < texts.size(); ++i) {
    std::vector<std::uint32_t> got;
    tokenizer.encode(texts[i], got);
    EXPECT_EQ(got, expected[i]) << "case " << i << ": '" << texts[i] << "'";
  }
}

text::WordPieceTokenizer small_vocab() {
  return text::WordPieceTokenizer(
      {"[PAD]", "[UNK]", "un", "##aff", "##able", "aff", "!", "cafe", "##s", "a"});
}

TEST(WordPiece, LongestMatchFirstWithContinuations) {
  const auto t = small_vocab();
  std::vector<std::uint32_t> ids;
  t.encode("Unaffable affs! CAFÉ", ids);
  // unaffable -> un ##aff ##able; affs -> aff ##s; ! ; café -> cafe (accent stripped).
  EXPECT_EQ(ids, (std::vector<std::uint32_t>{2, 3, 4, 5, 8, 6, 7}));
}

TEST(WordPiece, UnknownWordsAndOverlongWordsAreUnk) {
  const auto t = small_vocab();
  std::vector<std::uint32_t> ids;
  t.encode("unx " + std::string(101, 'a') + " a", ids);
  EXPECT_EQ(ids, (std::vector<std::uint32_t>{1, 1, 9}));
}

TEST(WordPiece, ControlCharactersAndInvalidUtf8AreDropped) {
  const auto t = small_vocab();
  std::vector<std::uint32_t> ids;
  t.encode(std::string("ca\x01"
                       "fe \xff") +
               "\x7f!",
           ids);
  EXPECT_EQ(ids, (std::vector<std::uint32_t>{7, 6}));
}

TEST(WordPiece, VocabularyNeedsUnkAndDistinctTokens) {
  EXPECT_THROW(text::WordPieceTokenizer({"a", "b"}), Error);
  EXPECT_THROW(text::WordPieceTokenizer({"[UNK]", "a", "a"}), Error);
}

TEST(IdfQueryEncoder, DistinctTokensWeightedByTheTable) {
  test::TempDir dir;
  {
    std::ofstream out(dir / "idf.json");
    out << R"({"[PAD]": 1.0, "[UNK]": 1.0, "un": 2.5, "##aff": 3.0, "##able": 0.5, "aff": 4.0,
               "!": 0.0, "cafe": 6.0, "##s": 1.5, "a": 0.25})";
  }
  const auto e = encode::IdfQueryEncoder::from_spec("idf:" + (dir / "idf.json").string());
  const auto terms = e.encode("unaffable cafe! cafe aff");
  ASSERT_EQ(terms.size(), 5u);  // "!" has weight 0; the second "cafe" repeats
  EXPECT_EQ(terms[0].term, "un");
  EXPECT_EQ(terms[0].weight, 2.5f);
  EXPECT_EQ(terms[1].term, "##aff");
  EXPECT_EQ(terms[2].term, "##able");
  EXPECT_EQ(terms[3].term, "cafe");
  EXPECT_EQ(terms[3].weight, 6.0f);
  EXPECT_EQ(terms[4].term, "aff");
  // A directory holding idf.json works too.
  EXPECT_EQ(encode::IdfQueryEncoder::from_spec("idf:" + dir.path().string()).encode("a").size(),
            1u);
}

TEST(IdfQueryEncoder, BadTablesAreRefusedNamingTheFile) {
  test::TempDir dir;
  {
    std::ofstream out(dir / "idf.json");
    out << R"({"[UNK]": 1.0, "a": -2})";
  }
  try {
    encode::IdfQueryEncoder::open(dir / "idf.json");
    FAIL() << "a negative weight was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("idf.json"), std::string::npos) << e.what();
  }
  EXPECT_THROW(encode::IdfQueryEncoder::from_spec("bert:x"), Error);
  EXPECT_THROW(encode::IdfQueryEncoder::open(dir / "missing.json"), Error);
}

TEST(IdfQueryEncoder, RealTableMatchesTheVocabulary) {
  TANDEM_REQUIRE_SHARED(shared);
  const auto e = encode::IdfQueryEncoder::from_spec(
      "idf:" + (shared / "models" / "opensearch-neural-sparse-idf").string() +
      ",vocab=" + (shared / "models" / "bert-base-uncased-vocab" / "vocab.txt").string());
  const auto terms = e.encode("What is the Python search engine?");
  ASSERT_FALSE(terms.empty());
  // The table's documented examples: what 2.77, the 0.135, search 4.62, python 7.94.
  for (const auto& t : terms) {
    if (t.term == "the") {
      EXPECT_NEAR(t.weight, 0.135, 0.001);
    } else if (t.term == "search") {
      EXPECT_NEAR(t.weight, 4.62, 0.01);
    } else if (t.term == "python") {
      EXPECT_NEAR(t.weight, 7.94, 0.01);
    }
  }
}

}  // namespace
}  // namespace tandem
