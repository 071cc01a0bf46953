// The dense side of the command-line tool end to end: dense-only and text+dense indexes, every
// dense retriever, Anserini's pre-encoded topics, verify, and the errors bad vector files get.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace tandem {
namespace {

using test::run_command;
using test::TempDir;

using test::tandem;

using test::quote;

const char* kDocs =
    "{\"id\": \"d1\", \"vector\": [1, 0, 0, 0]}\n"
    "{\"id\": \"d2\", \"vector\": [0.9, 0.1, 0, 0]}\n"
    "{\"id\": \"d3\", \"vector\": [0, 1, 0, 0]}\n"
    "{\"id\": \"d4\", \"vector\": [0, 0, 1, 0.5]}\n"
    "{\"id\": \"d5\", \"vector\": [0, 0, 0, 2]}\n";

TEST(DenseCli, DenseOnlyIndexEveryRetrieverAndVerify) {
  TempDir dir;
  test::write_file(dir / "docs.jsonl", kDocs);
  test::write_file(dir / "q.jsonl",
                   "{\"qid\": \"q1\", \"vector\": [1, 0.05, 0, 0]}\n"
                   "{\"qid\": \"q2\", \"vector\": [0, 0, 0.1, 1]}\n");
  auto r = run_command(tandem() + " index --dense " + quote(dir / "docs.jsonl") +
                       " --metric cosine --hnsw --deterministic --codes sq8,binary,pq --pq-m 2 " +
                       "--index " + quote(dir / "idx"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("indexed 5 documents"), std::string::npos) << r.out;
  for (const char* retriever : {"dense-exact", "hnsw", "sq8", "binary", "pq"}) {
    r = run_command(tandem() + " search --index " + quote(dir / "idx") + " --retriever " +
                    retriever + " --queries " + quote(dir / "q.jsonl") + " --run " +
                    quote(dir / "run.txt") + " --stats " + quote(dir / "stats.json") +
                    " --k 2 --rerank 5 -q");
    ASSERT_EQ(r.exit_code, 0) << retriever << ": " << r.err;
    const std::string run = test::read_file(dir / "run.txt");
    EXPECT_EQ(run.substr(0, run.find(' ', 6)), "q1 Q0 d1") << retriever << "\n" << run;
    EXPECT_NE(run.find("q2 Q0 d5 1 "), std::string::npos) << retriever << "\n" << run;
    const std::string stats = test::read_file(dir / "stats.json");
    for (const char* key : {"\"queries\": 2", "\"qps\"", "\"p50\"", "\"p99\"", "\"mean\""})
      EXPECT_NE(stats.find(key), std::string::npos) << retriever << ": " << key << "\n" << stats;
  }
  r = run_command(tandem() + " verify --index " + quote(dir / "idx"));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

// --dense-storage fp16: every retriever finds the same documents as over fp32, the manifest records
// the storage, verify passes, --binary-hamming is accepted, and a value beyond the binary16 range
// is refused.
TEST(DenseCli, Fp16StorageEveryRetriever) {
  TempDir dir;
  test::write_file(dir / "docs.jsonl", kDocs);
  test::write_file(dir / "q.jsonl",
                   "{\"qid\": \"q1\", \"vector\": [1, 0.05, 0, 0]}\n"
                   "{\"qid\": \"q2\", \"vector\": [0, 0, 0.1, 1]}\n");
  auto r = run_command(tandem() + " index --dense " + quote(dir / "docs.jsonl") +
                       " --metric cosine --dense-storage fp16 --hnsw --deterministic --codes "
                       "sq8,binary,pq --pq-m 2 --index " +
                       quote(dir / "idx"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(test::read_file(dir / "idx" / "manifest.json").find("\"storage\": \"fp16\""),
            std::string::npos);
  for (const char* retriever : {"dense-exact", "hnsw", "sq8", "binary", "pq"}) {
    for (const char* extra : {"", " --binary-hamming"}) {
      r = run_command(tandem() + " search --index " + quote(dir / "idx") + " --retriever " +
                      retriever + " --queries " + quote(dir / "q.jsonl") + " --run " +
                      quote(dir / "run.txt") + " --k 2 --rerank 5 -q" + extra);
      ASSERT_EQ(r.exit_code, 0) << retriever << ": " << r.err;
      const std::string run = test::read_file(dir / "run.txt");
      EXPECT_EQ(run.substr(0, run.find(' ', 6)), "q1 Q0 d1") << retriever << "\n" << run;
      EXPECT_NE(run.find("q2 Q0 d5 1 "), std::string::npos) << retriever << "\n" << run;
    }
  }
  r = run_command(tandem() + " verify --index " + quote(dir / "idx"));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  test::write_file(dir / "big.jsonl", "{\"id\": \"a\", \"vector\": [1, 70000]}\n");
  r = run_command(tandem() + " index --dense " + quote(dir / "big.jsonl") +
                  " --metric ip --dense-storage fp16 --index " + quote(dir / "big"));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("float16 range"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "big" / "manifest.json"));
}

TEST(DenseCli, TextAndDenseInOneIndex) {
  TempDir dir;
  test::write_file(dir / "corpus.jsonl",
                   "{\"_id\": \"d1\", \"title\": \"\", \"text\": \"brown dog\"}\n"
                   "{\"_id\": \"d2\", \"title\": \"\", \"text\": \"cats\"}\n"
                   "{\"_id\": \"d3\", \"title\": \"\", \"text\": \"no vector here\"}\n");
  test::write_file(dir / "v.jsonl",
                   "{\"id\": \"d2\", \"vector\": [0, 1]}\n{\"id\": \"d1\", \"vector\": [1, 0]}\n");
  auto r = run_command(tandem() + " index --corpus " + quote(dir / "corpus.jsonl") + " --dense " +
                       quote(dir / "v.jsonl") + " --metric ip --index " + quote(dir / "idx"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  test::write_file(dir / "qv.jsonl", "{\"qid\": \"1\", \"vector\": [0.2, 0.9]}\n");
  r = run_command(tandem() + " search --index " + quote(dir / "idx") +
                  " --retriever dense-exact --queries " + quote(dir / "qv.jsonl") + " --run " +
                  quote(dir / "run.txt") + " -q");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(test::read_file(dir / "run.txt"), "1 Q0 d2 1 0.9 tandem\n1 Q0 d1 2 0.2 tandem\n");
  test::write_file(dir / "q.tsv", "1\tcats\n");
  r = run_command(tandem() + " search --index " + quote(dir / "idx") + " --queries " +
                  quote(dir / "q.tsv") + " --run " + quote(dir / "bm25.txt") + " -q");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(test::read_file(dir / "bm25.txt").substr(0, 8), "1 Q0 d2 ");
  r = run_command(tandem() + " verify --index " + quote(dir / "idx"));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  // A vector whose id is not a document is refused, naming the file, row and id.
  test::write_file(dir / "bad.jsonl",
                   "{\"id\": \"d1\", \"vector\": [1, 0]}\n{\"id\": \"dx\", \"vector\": [1, 0]}\n");
  r = run_command(tandem() + " index --corpus " + quote(dir / "corpus.jsonl") + " --dense " +
                  quote(dir / "bad.jsonl") + " --index " + quote(dir / "idx2"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad.jsonl: row 2: id 'dx' is not a document"), std::string::npos) << r.err;
}

using namespace std::string_literals;

struct BadInput {
  const char* name;
  std::string content;
  const char* metric;
  const char* expected;  // part of the message
};

TEST(DenseCli, BadVectorFilesGetClearErrorsAndNoIndex) {
  const BadInput cases[] = {
      {"dim.jsonl", "{\"id\": \"a\", \"vector\": [1, 2]}\n{\"id\": \"b\", \"vector\": [1]}\n", "ip",
       "dim.jsonl:2: row 2 ('b') has dimension 1, but row 1 has 2"},
      {"nan.jsonl", "{\"id\": \"a\", \"vector\": [1, NaN]}\n", "ip",
       "nan.jsonl:1: element 1 of \"vector\" is not a number"},
      {"inf.jsonl", "{\"id\": \"a\", \"vector\": [1, 1e99]}\n", "ip", "inf.jsonl:1: element 1 is"},
      {"zero.jsonl", "{\"id\": \"a\", \"vector\": [1, 2]}\n{\"id\": \"z\", \"vector\": [0, 0]}\n",
       "cosine", "zero.jsonl: row 2 ('z') is a zero vector"},
      {"dup.jsonl", "{\"id\": \"a\", \"vector\": [1]}\n{\"id\": \"a\", \"vector\": [2]}\n", "ip",
       "duplicate id 'a' at rows 1 and 2"},
      {"trunc.fvecs", "\x02\x00\x00\x00\x00\x00\x80\x3f\x00\x00"s, "ip",
       "trunc.fvecs: row 1: truncated"},
  };
  for (const auto& c : cases) {
    TempDir dir;
    test::write_file(dir / c.name, c.content);
    const auto r = run_command(tandem() + " index --dense " + quote(dir / c.name) + " --metric " +
                               c.metric + " --index " + quote(dir / "idx"));
    EXPECT_EQ(r.exit_code, 2) << c.name << ": " << r.err;
    EXPECT_NE(r.err.find(c.expected), std::string::npos) << c.name << ": " << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir / "idx" / "manifest.json")) << c.name;
  }
  // Queries of the wrong dimension, and a zero query under cosine.
  TempDir dir;
  test::write_file(dir / "docs.jsonl", kDocs);
  auto r = run_command(tandem() + " index --dense " + quote(dir / "docs.jsonl") +
                       " --metric cosine --index " + quote(dir / "idx"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  test::write_file(dir / "q3.jsonl", "{\"qid\": \"1\", \"vector\": [1, 2, 3]}\n");
  r = run_command(tandem() + " search --index " + quote(dir / "idx") +
                  " --retriever dense-exact --queries " + quote(dir / "q3.jsonl") + " --run " +
                  quote(dir / "run.txt"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("q3.jsonl: queries have dimension 3, the index's vectors 4"),
            std::string::npos)
      << r.err;
  test::write_file(dir / "q0.jsonl", "{\"qid\": \"1\", \"vector\": [0, 0, 0, 0]}\n");
  r = run_command(tandem() + " search --index " + quote(dir / "idx") +
                  " --retriever dense-exact --queries " + quote(dir / "q0.jsonl") + " --run " +
                  quote(dir / "run.txt"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("q0.jsonl: query row 1: zero vector under the cosine metric"),
            std::string::npos)
      << r.err;
  r = run_command(tandem() + " search --index " + quote(dir / "idx") + " --retriever hnsw " +
                  "--queries " + quote(dir / "q0.jsonl") + " --run " + quote(dir / "run.txt"));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("no HNSW graph (build it with --hnsw)"), std::string::npos) << r.err;
}

// Anserini's pre-encoded MS MARCO topics (BGE, 768-d JSONL with "qid"/"vector", gzipped) read as
// queries: exact search of the topics against themselves puts each topic first.
TEST(DenseCli, AnseriniPreEncodedTopics) {
  TANDEM_REQUIRE_SHARED(shared);
  const auto topics =
      shared / "data/msmarco-passage-topics-qrels/topics.dl19-passage.bge-base-en-v1.5.jsonl.gz";
  if (!std::filesystem::exists(topics)) GTEST_SKIP() << "no " << topics;
  TempDir dir;
  auto r = run_command(tandem() + " index --dense " + quote(topics) + " --metric ip --index " +
                       quote(dir / "idx") + " -q");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_command(tandem() + " search --index " + quote(dir / "idx") +
                  " --retriever dense-exact --queries " + quote(topics) + " --run " +
                  quote(dir / "run.txt") + " --k 1 -q");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string run = test::read_file(dir / "run.txt");
  std::size_t lines = 0, self = 0;
  for (std::size_t at = 0; at < run.size();) {
    const std::size_t nl = run.find('\n', at);
    const std::string line = run.substr(at, nl - at);
    const std::string qid = line.substr(0, line.find(' '));
    ++lines;
    self += line.find(" Q0 " + qid + " 1 ") != std::string::npos;
    at = nl + 1;
  }
  EXPECT_EQ(lines, 43u);
  EXPECT_EQ(self, 43u);
}

}  // namespace
}  // namespace tandem
