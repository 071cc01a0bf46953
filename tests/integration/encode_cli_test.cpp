// `tandem train` and `tandem encode` end to end: the files they write, the reference BERT outputs
// through the command line, and what bad input gives.
#include <algorithm>
#include <cmath>
#include <cstring>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace tandem {
namespace {

using test::run_command;
using test::TempDir;

using test::tandem;

using test::quote;

std::vector<nlohmann::json> read_jsonl(const std::filesystem::path& path) {
  std::vector<nlohmann::json> out;
  std::istringstream in(test::read_file(path));
  for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
  return out;
}

const char* kCorpus =
    R"({"_id": "d1", "title": "Cats", "text": "Cats purr and cats chase mice."})"
    "\n"
    R"({"_id": "d2", "title": "", "text": "Kittens purr softly; cats nap."})"
    "\n"
    R"({"_id": "d3", "title": "Markets", "text": "Stocks fell as markets feared inflation."})"
    "\n"
    R"({"_id": "d4", "title": "", "text": "Markets rallied and stocks rose."})"
    "\n";

TEST(EncodeCli, TrainLsaThenEncodeToJsonlAndNpy) {
  TempDir dir;
  test::write_file(dir / "corpus.jsonl", kCorpus);
  test::write_file(dir / "queries.tsv", "q1\tcats purr\nq2\tstocks\nq3\tnothing known\n");
  auto r = run_command(tandem() + " train lsa --dims 2 --min-df 1 --corpus " +
                       quote(dir / "corpus.jsonl") + " --out " + quote(dir / "m.lsa"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"model\":\"lsa\""), std::string::npos) << r.out;
  r = run_command(tandem() + " encode --model lsa:" + quote(dir / "m.lsa") + " --input " +
                  quote(dir / "queries.tsv") + " --output " + quote(dir / "q.jsonl") + " --stats " +
                  quote(dir / "stats.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto q = read_jsonl(dir / "q.jsonl");
  ASSERT_EQ(q.size(), 3u);
  EXPECT_EQ(q[0]["id"], "q1");
  ASSERT_EQ(q[0]["vector"].size(), 2u);
  double norm = 0;
  for (const auto& x : q[0]["vector"]) norm += x.get<double>() * x.get<double>();
  EXPECT_NEAR(norm, 1.0, 1e-5);
  EXPECT_EQ(q[2]["vector"][0].get<double>(), 0.0);  // no known term: the zero vector
  const auto stats = nlohmann::json::parse(test::read_file(dir / "stats.json"));
  EXPECT_EQ(stats["records"], 3);

  r = run_command(tandem() + " encode --model " + quote(dir / "m.lsa") + " --input " +
                  quote(dir / "corpus.jsonl") + " --output " + quote(dir / "d.npy"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string npy = test::read_file(dir / "d.npy");
  ASSERT_GT(npy.size(), 10u);
  EXPECT_EQ(npy.substr(0, 6), "\x93NUMPY");
  const std::size_t header =
      10 + (static_cast<unsigned char>(npy[8]) | (static_cast<unsigned char>(npy[9]) << 8));
  EXPECT_EQ(header % 64, 0u);
  EXPECT_NE(npy.find("'shape': (4, 2)"), std::string::npos);
  EXPECT_EQ(npy.size(), header + 4 * 2 * 4);
  EXPECT_EQ(test::read_file(dir / "d.ids.txt"), "d1\nd2\nd3\nd4\n");
}

TEST(EncodeCli, BadModelsAndInputsFailClearly) {
  TempDir dir;
  test::write_file(dir / "junk.model", "not a model");
  test::write_file(dir / "q.tsv", "q1\tx\n");
  auto r = run_command(tandem() + " encode --model " + quote(dir / "junk.model") + " --input " +
                       quote(dir / "q.tsv") + " --output " + quote(dir / "o.jsonl"));
  EXPECT_EQ(r.exit_code, 4) << r.err;  // corruption
  EXPECT_NE(r.err.find("junk.model"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "o.jsonl"));
  r = run_command(tandem() + " encode --model " + quote(dir / "missing") + " --input " +
                  quote(dir / "q.tsv") + " --output " + quote(dir / "o.jsonl"));
  EXPECT_EQ(r.exit_code, 3) << r.err;
}

TEST(EncodeCli, BertOverTokenIdsMatchesTheReference) {
  TANDEM_REQUIRE_SHARED(shared);
  const auto model = shared / "models" / "tiny-random-bert";
  const auto ref = nlohmann::json::parse(test::read_file(model / "reference_outputs.json"));
  TempDir dir;
  std::string input;
  for (std::size_t i = 0; i < ref["input_ids"].size(); ++i) {
    input +=
        nlohmann::json{{"id", "t" + std::to_string(i)}, {"input_ids", ref["input_ids"][i]}}.dump() +
        "\n";
  }
  test::write_file(dir / "ids.jsonl", input);
  // Dense: mean pooling, L2-normalised, two threads, batches of 2.
  auto r = run_command(tandem() + " encode --model " + quote(model) + " --head mean --normalize " +
                       "--threads 2 --batch-size 2 --input " + quote(dir / "ids.jsonl") +
                       " --output " + quote(dir / "dense.jsonl"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto dense = read_jsonl(dir / "dense.jsonl");
  ASSERT_EQ(dense.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(dense[i]["id"], "t" + std::to_string(i));
    for (std::size_t j = 0; j < 32; ++j) {
      EXPECT_NEAR(dense[i]["vector"][j].get<double>(), ref["mean_pooled_l2"][i][j].get<double>(),
                  1e-4);
    }
  }
  // SPLADE, top 20, keys from the bert-base-uncased vocabulary.
  const auto vocab = shared / "models" / "bert-base-uncased-vocab" / "vocab.txt";
  r = run_command(tandem() + " encode --model bert:" + quote(model) +
                  " --head splade --top-k 20 --vocab " + quote(vocab) + " --input " +
                  quote(dir / "ids.jsonl") + " --output " + quote(dir / "sparse.jsonl"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto sparse = read_jsonl(dir / "sparse.jsonl");
  std::vector<std::string> tokens;
  {
    std::istringstream in(test::read_file(vocab));
    for (std::string line; std::getline(in, line);) tokens.push_back(line);
  }
  for (const auto& want : ref["splade"]) {
    if (want["activation"] != "log1p_relu") continue;
    const auto& got = sparse[want["text"].get<std::size_t>()]["vector"];
    ASSERT_EQ(got.size(), 20u);
    for (const auto& pair : want["top20"]) {
      const std::string token = tokens[pair[0].get<std::size_t>()];
      ASSERT_TRUE(got.contains(token)) << token;
      EXPECT_NEAR(got[token].get<double>(), pair[1].get<double>(), 1e-4) << token;
    }
  }
  // A sequence longer than the model's positions is an error naming the record.
  std::string long_input = R"({"id": "long", "input_ids": [101)";
  for (int i = 0; i < 70; ++i) long_input += ", 1996";
  long_input += "]}\n";
  test::write_file(dir / "long.jsonl", long_input);
  r = run_command(tandem() + " encode --model " + quote(model) + " --input " +
                  quote(dir / "long.jsonl") + " --output " + quote(dir / "x.jsonl"));
  EXPECT_EQ(r.exit_code, 7) << r.err;
  EXPECT_NE(r.err.find("'long'"), std::string::npos) << r.err;
}

// Text in, tokenised inside tandem: the reference's three texts as a query TSV and as a BEIR
// corpus (empty titles) give the reference outputs, so WordPiece + [CLS]/[SEP] + the model agree
// with Hugging Face's tokenizer and PyTorch end to end.
TEST(EncodeCli, BertOverTextMatchesTheReference) {
  TANDEM_REQUIRE_SHARED(shared);
  const auto model = shared / "models" / "tiny-random-bert";
  const auto vocab = shared / "models" / "bert-base-uncased-vocab" / "vocab.txt";
  const auto ref = nlohmann::json::parse(test::read_file(model / "reference_outputs.json"));
  ASSERT_EQ(ref["texts"].size(), 3u);
  TempDir dir;
  std::string tsv, corpus;
  for (std::size_t i = 0; i < 3; ++i) {
    const auto text = ref["texts"][i].get<std::string>();
    tsv += "q" + std::to_string(i) + "\t" + text + "\n";
    corpus +=
        nlohmann::json{{"_id", "d" + std::to_string(i)}, {"title", ""}, {"text", text}}.dump() +
        "\n";
  }
  test::write_file(dir / "queries.tsv", tsv);
  test::write_file(dir / "corpus.jsonl", corpus);
  const std::string bert = tandem() + " encode --model bert:" + quote(model) + " --vocab " +
                           quote(vocab) + " --threads 2 --batch-size 2";

  // Dense, mean pooling (not normalised), from the TSV; --stats counts the tokens.
  auto r = run_command(bert + " --head mean --input " + quote(dir / "queries.tsv") + " --output " +
                       quote(dir / "mean.jsonl") + " --stats " + quote(dir / "stats.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto got = read_jsonl(dir / "mean.jsonl");
  ASSERT_EQ(got.size(), 3u);
  std::size_t tokens = 0;
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(got[i]["id"], "q" + std::to_string(i));
    ASSERT_EQ(got[i]["vector"].size(), 32u);
    for (std::size_t j = 0; j < 32; ++j) {
      EXPECT_NEAR(got[i]["vector"][j].get<double>(), ref["mean_pooled"][i][j].get<double>(), 1e-4)
          << i << "," << j;
    }
    tokens += ref["input_ids"][i].size();
  }
  EXPECT_EQ(nlohmann::json::parse(test::read_file(dir / "stats.json"))["tokens"], tokens);

  // Dense, CLS pooling, L2-normalised, from the BEIR corpus.
  r = run_command(bert + " --head cls --normalize --input " + quote(dir / "corpus.jsonl") +
                  " --output " + quote(dir / "cls.jsonl"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  got = read_jsonl(dir / "cls.jsonl");
  ASSERT_EQ(got.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(got[i]["id"], "d" + std::to_string(i));
    for (std::size_t j = 0; j < 32; ++j) {
      EXPECT_NEAR(got[i]["vector"][j].get<double>(), ref["cls_pooled_l2"][i][j].get<double>(), 1e-4)
          << i << "," << j;
    }
  }

  // SPLADE, top 20, both activations; keys are vocabulary tokens.
  std::vector<std::string> tokens_of;
  {
    std::istringstream in(test::read_file(vocab));
    for (std::string line; std::getline(in, line);) tokens_of.push_back(line);
  }
  for (const std::string activation : {"log1p_relu", "log1p_log1p_relu"}) {
    r = run_command(bert + " --head splade --top-k 20 --activation " + activation + " --input " +
                    quote(dir / "queries.tsv") + " --output " + quote(dir / "sparse.jsonl"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto sparse = read_jsonl(dir / "sparse.jsonl");
    ASSERT_EQ(sparse.size(), 3u);
    std::size_t checked = 0;
    for (const auto& want : ref["splade"]) {
      if (want["activation"] != activation) continue;
      const auto& vec = sparse[want["text"].get<std::size_t>()]["vector"];
      ASSERT_EQ(vec.size(), 20u);
      for (const auto& pair : want["top20"]) {
        const std::string token = tokens_of[pair[0].get<std::size_t>()];
        ASSERT_TRUE(vec.contains(token)) << activation << " " << token;
        EXPECT_NEAR(vec[token].get<double>(), pair[1].get<double>(), 1e-4) << token;
      }
      ++checked;
    }
    EXPECT_EQ(checked, 3u) << activation;
  }
}

TEST(EncodeCli, BertOverTextTruncatesAndNeedsAVocabulary) {
  TANDEM_REQUIRE_SHARED(shared);
  const auto model = shared / "models" / "tiny-random-bert";
  const auto vocab = shared / "models" / "bert-base-uncased-vocab" / "vocab.txt";
  TempDir dir;
  // 100 words: longer than the model's 64 positions, truncated instead of rejected.
  std::string words;
  for (int i = 0; i < 100; ++i) words += " the";
  test::write_file(dir / "q.tsv", "long\t" + words + "\nshort\thello\n");
  const std::string bert =
      tandem() + " encode --model " + quote(model) + " --input " + quote(dir / "q.tsv");
  auto r = run_command(bert + " --vocab " + quote(vocab) + " --output " + quote(dir / "a.jsonl") +
                       " --stats " + quote(dir / "a.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(test::read_file(dir / "a.json"))["tokens"], 64 + 3);
  r = run_command(bert + " --vocab " + quote(vocab) + " --max-length 10 --output " +
                  quote(dir / "b.jsonl") + " --stats " + quote(dir / "b.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(test::read_file(dir / "b.json"))["tokens"], 10 + 3);
  // Truncating to 10 tokens changes the long text's vector, not the short one's.
  const auto a = read_jsonl(dir / "a.jsonl"), b = read_jsonl(dir / "b.jsonl");
  const auto max_diff = [](const nlohmann::json& x, const nlohmann::json& y) {
    double d = 0;
    for (std::size_t j = 0; j < x.size(); ++j) {
      d = std::max(d, std::abs(x[j].get<double>() - y[j].get<double>()));
    }
    return d;
  };
  ASSERT_EQ(a.size(), 2u);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_GT(max_diff(a[0]["vector"], b[0]["vector"]), 1e-3);
  EXPECT_LT(max_diff(a[1]["vector"], b[1]["vector"]), 1e-5);
  // --max-length past the model's positions.
  r = run_command(bert + " --vocab " + quote(vocab) + " --max-length 65 --output " +
                  quote(dir / "c.jsonl"));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("max_position_embeddings"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "c.jsonl"));

  // No vocabulary: the tiny model's folder has no vocab.txt, and a given one may be missing.
  r = run_command(bert + " --output " + quote(dir / "d.jsonl"));
  EXPECT_EQ(r.exit_code, 3) << r.err;  // not found
  EXPECT_NE(r.err.find((model / "vocab.txt").string()), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--vocab"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "d.jsonl"));
  r = run_command(bert + " --vocab " + quote(dir / "nope.txt") + " --output " +
                  quote(dir / "d.jsonl"));
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find((dir / "nope.txt").string()), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "d.jsonl"));
}

}  // namespace
}  // namespace tandem
