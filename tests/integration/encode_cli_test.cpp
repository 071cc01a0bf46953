// `tandem train` and `tandem encode` end to end: the files they write, the reference BERT outputs
// through the command line, and what bad input gives.
#include <cmath>
#include <cstring>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace tandem {
namespace {

using test::run_command;
using test::TempDir;

std::string tandem() {
  return test::tandem_binary().string();
}

std::string quote(const std::filesystem::path& p) {
  return "'" + p.string() + "'";
}

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

}  // namespace
}  // namespace tandem
