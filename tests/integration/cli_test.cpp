// The command-line tool end to end: index, search, eval, info, verify, and what it does with bad
// input. Each test runs the built binary in a temporary directory.
#include <fstream>
#include <regex>

#include <gtest/gtest.h>
#include <zlib.h>

#include "test_support.hpp"

namespace tandem {
namespace {

using test::run_command;
using test::TempDir;

using test::tandem;

using test::quote;

const char* kCorpus =
    R"({"_id": "d3", "title": "Brown foxes", "text": "The quick brown fox jumps over the lazy dog."})"
    "\n"
    R"({"_id": "d1", "title": "", "text": "A brown dog sleeps. The dog's bed is brown."})"
    "\n"
    R"({"_id": "d2", "title": "Cats", "text": "Cats chase mice; mice fear cats."})"
    "\n"
    R"({"_id": "d4", "title": "", "text": ""})"
    "\n"
    R"({"_id": "d5", "title": "", "text": "the and of to a"})"
    "\n";

TEST(Cli, IndexSearchEvalRoundTrip) {
  TempDir dir;
  test::write_file(dir / "corpus.jsonl", kCorpus);
  test::write_file(dir / "queries.tsv", "q1\tbrown dog\nq2\tcats\nq3\tthe\n");
  test::write_file(dir / "qrels.txt", "q1 0 d1 1\nq1 0 d3 1\nq2 0 d2 2\nq3 0 d5 1\n");
  auto r = run_command(tandem() + " index --corpus " + quote(dir / "corpus.jsonl") + " --index " +
                       quote(dir / "idx"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("indexed 5 documents"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2 documents have no indexed terms"), std::string::npos) << r.out;

  r = run_command(tandem() + " search --index " + quote(dir / "idx") + " --queries " +
                  quote(dir / "queries.tsv") + " --run " + quote(dir / "run.txt") + " --stats " +
                  quote(dir / "stats.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string run = test::read_file(dir / "run.txt");
  // "brown dog": d1 has both terms twice (brown x2, dog x2), d3 has both once: d1 first.
  EXPECT_EQ(run.substr(0, run.find('\n')).substr(0, 10), "q1 Q0 d1 1");
  EXPECT_NE(run.find("q1 Q0 d3 2 "), std::string::npos) << run;
  EXPECT_NE(run.find("q2 Q0 d2 1 "), std::string::npos) << run;
  EXPECT_EQ(run.find("q3 "), std::string::npos) << "a stop-word query matches nothing";
  const std::string stats = test::read_file(dir / "stats.json");
  for (const char* key :
       {"\"queries\": 3", "\"qps\"", "\"mean\"", "\"p50\"", "\"p99\"", "\"k1\"", "\"algorithm\""}) {
    EXPECT_NE(stats.find(key), std::string::npos) << key << " in " << stats;
  }

  r = run_command(tandem() + " eval -c -m P.1 -m num_q " + quote(dir / "qrels.txt") + " " +
                  quote(dir / "run.txt"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("num_q"), std::string::npos);
  EXPECT_NE(r.out.find("\tall\t3"), std::string::npos)
      << r.out;  // -c counts q3, which has no results
  EXPECT_NE(r.out.find("P_1"), std::string::npos) << r.out;
  // P@1 = (1 + 1 + 0) / 3 = 0.6667
  EXPECT_NE(r.out.find("0.6667"), std::string::npos) << r.out;
}

TEST(Cli, SingleQueryShowsDocuments) {
  TempDir dir;
  test::write_file(dir / "corpus.jsonl", kCorpus);
  ASSERT_EQ(run_command(tandem() + " index -q --corpus " + quote(dir / "corpus.jsonl") +
                        " --index " + quote(dir / "idx"))
                .exit_code,
            0);
  const auto r = run_command(tandem() + " search --index " + quote(dir / "idx") +
                             " --query 'lazy foxes' --k 3");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("d3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Brown foxes"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("settings:"), std::string::npos) << r.out;
}

TEST(Cli, GzipAndDirectoryCorporaGiveTheSameIndex) {
  TempDir dir;
  std::filesystem::create_directory(dir / "parts");
  const std::string corpus = kCorpus;
  const auto mid = corpus.find('\n', corpus.size() / 2) + 1;
  test::write_file(dir / "parts" / "a.jsonl", corpus.substr(0, mid));
  gzFile gz = gzopen((dir / "parts" / "b.jsonl.gz").c_str(), "wb");
  gzwrite(gz, corpus.data() + mid, static_cast<unsigned>(corpus.size() - mid));
  gzclose(gz);
  test::write_file(dir / "corpus.jsonl", kCorpus);
  ASSERT_EQ(run_command(tandem() + " index -q --corpus " + quote(dir / "parts") + " --index " +
                        quote(dir / "i1"))
                .exit_code,
            0);
  ASSERT_EQ(run_command(tandem() + " index -q --threads 1 --corpus " + quote(dir / "corpus.jsonl") +
                        " --index " + quote(dir / "i2"))
                .exit_code,
            0);
  // Same documents, any reading order or thread count: byte-identical segment files.
  for (const char* f :
       {"ids", "store", "contents.terms", "contents.postings", "contents.lengths"}) {
    EXPECT_EQ(test::read_file(dir / "i1" / "seg-000001" / f),
              test::read_file(dir / "i2" / "seg-000001" / f))
        << f;
  }
}

TEST(Cli, MalformedLineStopsWithFileAndLine) {
  TempDir dir;
  test::write_file(dir / "c.jsonl",
                   std::string(kCorpus) + "{\"_id\": \"x\", \"text\": \"unterminated}\n" + kCorpus);
  const auto r = run_command(tandem() + " index --corpus " + quote(dir / "c.jsonl") + " --index " +
                             quote(dir / "idx"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("c.jsonl:6"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--skip-bad"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "idx" / "manifest.json"));
}

TEST(Cli, SkipBadCountsMalformedLinesAndDuplicates) {
  TempDir dir;
  test::write_file(dir / "c.jsonl", std::string(kCorpus) + "not json\n" +
                                        R"({"_id": "d1", "text": "again"})"
                                        "\n");
  auto r = run_command(tandem() + " index --corpus " + quote(dir / "c.jsonl") + " --index " +
                       quote(dir / "idx"));
  EXPECT_EQ(r.exit_code, 2);
  r = run_command(tandem() + " index --skip-bad --json --corpus " + quote(dir / "c.jsonl") +
                  " --index " + quote(dir / "idx"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"skipped_lines\":1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"skipped_duplicates\":1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"documents\":5"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("c.jsonl:6"), std::string::npos) << r.out;
  // The first occurrence of d1 wins.
  r = run_command(tandem() + " search --index " + quote(dir / "idx") + " --query again");
  EXPECT_NE(r.out.find("no document matches"), std::string::npos) << r.out;
}

TEST(Cli, DuplicateIdsAreReportedWithBothLocations) {
  TempDir dir;
  test::write_file(dir / "c.jsonl", std::string(kCorpus) + R"({"_id": "d2", "text": "again"})"
                                                           "\n");
  const auto r = run_command(tandem() + " index --corpus " + quote(dir / "c.jsonl") + " --index " +
                             quote(dir / "idx"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("duplicate id 'd2' at"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("c.jsonl:6"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("c.jsonl:3"), std::string::npos) << r.err;
}

TEST(Cli, RefusesToOverwriteUnlessAsked) {
  TempDir dir;
  test::write_file(dir / "c.jsonl", kCorpus);
  const std::string index =
      tandem() + " index -q --corpus " + quote(dir / "c.jsonl") + " --index " + quote(dir / "idx");
  ASSERT_EQ(run_command(index).exit_code, 0);
  auto r = run_command(index);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--overwrite"), std::string::npos) << r.err;
  r = run_command(index + " --overwrite");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(dir / "idx" / "seg-000002"));
  EXPECT_FALSE(std::filesystem::exists(dir / "idx" / "seg-000001"));
  std::filesystem::create_directories(dir / "foreign");
  test::write_file(dir / "foreign" / "notes.txt", "x");
  r = run_command(tandem() + " index -q --corpus " + quote(dir / "c.jsonl") + " --index " +
                  quote(dir / "foreign"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not a tandem index"), std::string::npos) << r.err;
}

TEST(Cli, VerifyFindsDamageAndNamesTheFile) {
  TempDir dir;
  test::write_file(dir / "c.jsonl", kCorpus);
  ASSERT_EQ(run_command(tandem() + " index -q --corpus " + quote(dir / "c.jsonl") + " --index " +
                        quote(dir / "idx"))
                .exit_code,
            0);
  auto r = run_command(tandem() + " verify --index " + quote(dir / "idx"));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("OK"), std::string::npos);
  const auto postings = dir / "idx" / "seg-000001" / "contents.postings";
  {
    std::fstream f(postings, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(40);
    f.put('\x13');
  }
  r = run_command(tandem() + " verify --index " + quote(dir / "idx"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("contents.postings"), std::string::npos) << r.out;
  std::filesystem::resize_file(postings, 20);
  r = run_command(tandem() + " search --index " + quote(dir / "idx") + " --query fox");
  EXPECT_EQ(r.exit_code, 4) << r.out;
  EXPECT_NE(r.err.find("contents.postings"), std::string::npos) << r.err;
}

TEST(Cli, MultifieldAndExactModes) {
  TempDir dir;
  test::write_file(dir / "c.jsonl", kCorpus);
  auto r = run_command(tandem() + " index -q --fields multifield --corpus " +
                       quote(dir / "c.jsonl") + " --index " + quote(dir / "idx"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_command(tandem() + " info --json --index " + quote(dir / "idx"));
  EXPECT_NE(r.out.find("\"title\""), std::string::npos) << r.out;
  test::write_file(dir / "q.tsv", "q1\tbrown\n");
  r = run_command(tandem() + " search --index " + quote(dir / "idx") + " --queries " +
                  quote(dir / "q.tsv") + " --run " + quote(dir / "run") +
                  " --fields title=2 contents=1 --exact");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // d3 has "brown" in its title (weight 2) and text; exact mode writes unrounded scores.
  const std::string run = test::read_file(dir / "run");
  EXPECT_EQ(run.substr(0, 10), "q1 Q0 d3 1") << run;
  r = run_command(tandem() + " search --index " + quote(dir / "idx") +
                  " --query brown --fields nosuchfield");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("no field 'nosuchfield'"), std::string::npos) << r.err;
}

TEST(Cli, ClearErrorsForBadArguments) {
  TempDir dir;
  auto r = run_command(tandem() + " search --index " + quote(dir / "missing") + " --query x");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("no such index directory"), std::string::npos) << r.err;
  r = run_command(tandem() + " index --corpus " + quote(dir / "nope.jsonl") + " --index " +
                  quote(dir / "i"));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("nope.jsonl"), std::string::npos) << r.err;
  test::write_file(dir / "c.jsonl", kCorpus);
  ASSERT_EQ(run_command(tandem() + " index -q --corpus " + quote(dir / "c.jsonl") + " --index " +
                        quote(dir / "idx"))
                .exit_code,
            0);
  r = run_command(tandem() + " search --index " + quote(dir / "idx") +
                  " --query x --algorithm fastest");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("block_max_wand"), std::string::npos) << "lists the valid names: " << r.err;
  r = run_command(tandem() + " search --index " + quote(dir / "idx") + " --query x --k1 -1");
  EXPECT_EQ(r.exit_code, 2) << r.err;
}

TEST(Cli, HelpIsComplete) {
  for (const char* cmd : {"index", "search", "eval", "info", "verify", "analyze"}) {
    const auto r = run_command(tandem() + " " + cmd + " --help");
    EXPECT_EQ(r.exit_code, 0) << cmd;
    EXPECT_GT(r.out.size(), 200u) << cmd;
    EXPECT_EQ(r.out.find("not implemented"), std::string::npos) << cmd;
  }
}

}  // namespace
}  // namespace tandem
