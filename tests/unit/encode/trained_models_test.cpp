// GloVe-SIF and LSA on small hand-made collections: what the papers' formulas give, save/load
// round trips, and clear errors for broken files.
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tandem/core/error.hpp"
#include "tandem/encode/lsa_model.hpp"
#include "tandem/encode/sif_model.hpp"
#include "tandem/encode/text_encoder.hpp"
#include "tandem/encode/word_vectors.hpp"

#include "test_support.hpp"

namespace tandem::encode {
namespace {

using ::testing::HasSubstr;

std::string word2vec(const std::vector<std::pair<std::string, std::vector<float>>>& entries) {
  std::string out =
      std::to_string(entries.size()) + " " + std::to_string(entries.front().second.size()) + "\n";
  for (const auto& [word, v] : entries) {
    out += word + " ";
    out.append(reinterpret_cast<const char*>(v.data()), v.size() * 4);
    out += "\n";
  }
  return out;
}

double dot(std::span<const float> x, std::span<const float> y) {
  double s = 0;
  for (std::size_t i = 0; i < x.size(); ++i) s += double{x[i]} * y[i];
  return s;
}

TEST(WordVectors, ReadsWord2VecBinaryAndReportsDamage) {
  test::TempDir dir;
  test::write_file(dir / "v.bin", word2vec({{"cat", {1, 0, 0}}, {"dog", {0, 1, 0}}}));
  const auto v = WordVectors::load_word2vec_binary(dir / "v.bin");
  EXPECT_EQ(v.size(), 2u);
  EXPECT_EQ(v.dims(), 3u);
  EXPECT_EQ(v.find("dog"), 1);
  EXPECT_EQ(v.find("cow"), -1);
  EXPECT_EQ(v.vector(1)[1], 1.0f);
  std::string bytes = word2vec({{"cat", {1, 0, 0}}, {"dog", {0, 1, 0}}});
  test::write_file(dir / "t.bin", bytes.substr(0, bytes.size() - 6));
  try {
    WordVectors::load_word2vec_binary(dir / "t.bin");
    FAIL();
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("the vector of 'dog' (entry 2) is truncated"));
  }
  test::write_file(dir / "h.bin", "two 3\n");
  EXPECT_THROW(WordVectors::load_word2vec_binary(dir / "h.bin"), Error);
}

TEST(SifModel, WeightsByInverseFrequencyAndRemovesTheCommonComponent) {
  test::TempDir dir;
  // "the" is frequent; "cat"/"dog"/"fish" rare; all share a common direction (axis 3).
  test::write_file(dir / "v.bin", word2vec({{"the", {0, 0, 0, 2}},
                                            {"cat", {1, 0, 0, 1}},
                                            {"dog", {0, 1, 0, 1}},
                                            {"fish", {0, 0, 1, 1}}}));
  const auto vectors = WordVectors::load_word2vec_binary(dir / "v.bin");
  const std::vector<std::string> texts = {"the cat the dog", "the dog the fish", "the fish",
                                          "the cat", "the the the unknownword"};
  SifOptions options;
  options.a = 0.1;
  const SifModel model = SifModel::train(vectors, texts, options);
  // p(the) = 9 of 16 tokens: weight a / (a + p).
  EXPECT_NEAR(model.weight("the"), 0.1 / (0.1 + 9.0 / 16.0), 1e-6);
  EXPECT_NEAR(model.weight("cat"), 0.1 / (0.1 + 2.0 / 16.0), 1e-6);
  EXPECT_EQ(model.weight("nope"), -1.0f);
  // The common component is dominated by the shared axis.
  EXPECT_GT(std::abs(model.common_component()[3]), 0.9);
  std::vector<float> v(4);
  model.encode("The Cat", v);
  EXPECT_NEAR(dot(v, v), 1.0, 1e-6);
  EXPECT_NEAR(dot(v, model.common_component()), 0.0, 1e-6);  // component removed
  // Save, load through the generic loader, same vectors.
  model.save(dir / "sif.model");
  const auto loaded = load_text_encoder(dir / "sif.model");
  EXPECT_EQ(loaded->kind(), "glove-sif");
  std::vector<float> w(4);
  loaded->encode("The Cat", w);
  EXPECT_EQ(v, w);
  loaded->encode("zebra", w);  // no known word: the zero vector
  EXPECT_EQ(w, std::vector<float>(4, 0.0f));
}

TEST(LsaModel, RelatedTextsAreCloseAndTheModelRoundTrips) {
  std::vector<std::string> texts;
  for (int i = 0; i < 30; ++i) {
    texts.push_back("cats purr and cats chase mice " + std::to_string(i));
    texts.push_back("stocks fell as markets feared inflation " + std::to_string(i));
    texts.push_back("cats and kittens purr softly");
    texts.push_back("markets and stocks rallied");
  }
  LsaOptions options;
  options.dims = 2;  // one direction per topic
  options.min_df = 2;
  const LsaModel model = LsaModel::train(texts, options);
  EXPECT_EQ(model.dims(), 2u);
  EXPECT_TRUE(std::is_sorted(model.singular_values().rbegin(), model.singular_values().rend()));
  std::vector<float> cat(2), kitten(2), market(2);
  model.encode("cats chase mice", cat);
  model.encode("kittens purr", kitten);
  model.encode("inflation worries markets", market);
  EXPECT_GT(dot(cat, kitten), 0.8);
  EXPECT_LT(dot(cat, market), 0.3);
  test::TempDir dir;
  model.save(dir / "lsa.model");
  const auto loaded = load_text_encoder(dir / "lsa.model");
  EXPECT_EQ(loaded->kind(), "lsa");
  std::vector<float> again(2);
  loaded->encode("cats chase mice", again);
  EXPECT_EQ(cat, again);
  // Training is deterministic for a seed.
  const LsaModel twin = LsaModel::train(texts, options);
  std::vector<float> twin_cat(2);
  twin.encode("cats chase mice", twin_cat);
  EXPECT_EQ(cat, twin_cat);
  // Asking for more dimensions than the collection has is an error, not a silent cut.
  options.dims = 1000;
  EXPECT_THROW(LsaModel::train(texts, options), Error);
}

TEST(TextEncoder, BrokenModelFilesAreReportedAsCorrupt) {
  std::vector<std::string> texts(20, "alpha beta gamma delta");
  texts.push_back("alpha epsilon");
  texts.push_back("beta epsilon zeta");
  LsaOptions options;
  options.dims = 2;
  options.min_df = 1;
  const LsaModel model = LsaModel::train(texts, options);
  test::TempDir dir;
  model.save(dir / "m");
  std::string bytes = test::read_file(dir / "m");
  bytes[bytes.size() / 2] ^= 1;
  test::write_file(dir / "flipped", bytes);
  try {
    load_text_encoder(dir / "flipped");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::corruption);
    EXPECT_THAT(e.what(), HasSubstr("checksum"));
  }
  test::write_file(dir / "short", bytes.substr(0, 100));
  EXPECT_THROW(load_text_encoder(dir / "short"), Error);
  EXPECT_THROW(load_text_encoder(dir / "missing"), Error);
}

}  // namespace
}  // namespace tandem::encode
