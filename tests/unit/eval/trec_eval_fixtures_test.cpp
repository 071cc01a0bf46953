// `tandem eval` against outputs of the real trec_eval (tests/data/eval, see its README.md): each
// line of cases.tsv runs the command and compares its stdout byte for byte.
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tandem/eval/evaluate.hpp"
#include "tandem/io/line_reader.hpp"

#include "test_support.hpp"

namespace tandem::eval {
namespace {

struct FixtureCase {
  std::string name;
  std::string args;
};

std::filesystem::path data_dir() {
  return test::source_dir() / "tests" / "data" / "eval";
}

std::vector<FixtureCase> load_cases() {
  std::vector<FixtureCase> cases;
  std::ifstream in(data_dir() / "cases.tsv");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const std::size_t a = line.find('\t');
    const std::size_t b = line.find('\t', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    cases.push_back(FixtureCase{line.substr(0, a), line.substr(b + 1)});
  }
  return cases;
}

// The expected output, decompressed when stored as .txt.gz.
std::string expected_output(const std::string& name) {
  const auto plain = data_dir() / "expected" / (name + ".txt");
  if (std::filesystem::exists(plain)) return test::read_file(plain);
  io::LineReader lines(data_dir() / "expected" / (name + ".txt.gz"));
  std::string out;
  std::string_view line;
  while (lines.next(line)) {
    out += line;
    out += '\n';
  }
  return out;
}

class TrecEvalFixtures : public ::testing::TestWithParam<FixtureCase> {};

TEST_P(TrecEvalFixtures, OutputIsByteIdentical) {
  const FixtureCase& c = GetParam();
  const auto result = test::run_command("cd '" + data_dir().string() + "' && '" +
                                        test::tandem_binary().string() + "' eval " + c.args);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string expected = expected_output(c.name);
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(result.out, expected) << "tandem eval " << c.args;
}

INSTANTIATE_TEST_SUITE_P(Cases, TrecEvalFixtures, ::testing::ValuesIn(load_cases()),
                         [](const ::testing::TestParamInfo<FixtureCase>& param) {
                           std::string name = param.param.name;
                           for (char& ch : name) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return name;
                         });

TEST(TrecEvalFixtures, EveryCaseHasAnExpectedOutput) {
  const auto cases = load_cases();
  EXPECT_GE(cases.size(), 20u);
  for (const FixtureCase& c : cases) {
    EXPECT_TRUE(std::filesystem::exists(data_dir() / "expected" / (c.name + ".txt")) ||
                std::filesystem::exists(data_dir() / "expected" / (c.name + ".txt.gz")))
        << c.name;
  }
}

// Anserini's published BM25 numbers for SciFact (nDCG@10 0.6789, R@100 0.9253), which the Lucene
// peer's run reproduces, through the library rather than the command.
TEST(TrecEvalFixtures, SciFactMatchesAnserinisPublishedNumbers) {
  const Qrels qrels = read_qrels(data_dir() / "qrels" / "scifact.trec");
  const eval::Run run = read_run(data_dir() / "runs" / "scifact.bm25.top100.trec.gz");
  EvalOptions options;
  options.complete = true;
  const Report report =
      evaluate(qrels, run, parse_measures({"ndcg_cut.10", "recall.100"}), options);
  EXPECT_EQ(report.num_queries(), 300u);
  EXPECT_EQ(format_trec_eval(report),
            "recall_100            \tall\t0.9253\nndcg_cut_10           \tall\t0.6789\n");
}

// A run that retrieves the same document twice for a judged query is refused, as trec_eval does.
TEST(TrecEvalFixtures, CommandRefusesDuplicateDocuments) {
  const auto result =
      test::run_command("cd '" + data_dir().string() + "' && '" + test::tandem_binary().string() +
                        "' eval -c -M3 -m map qrels/edge.qrels runs/dup_beyond_cutoff.run");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.out, "");
  EXPECT_NE(
      result.err.find(
          "runs/dup_beyond_cutoff.run: query 'A' retrieves document 'd1' twice (lines 1 and 3)"),
      std::string::npos)
      << result.err;
}

TEST(TrecEvalFixtures, CommandReportsBadInputAndUsage) {
  const std::string tandem =
      "cd '" + data_dir().string() + "' && '" + test::tandem_binary().string() + "' eval ";
  auto r = test::run_command(tandem + "-m map qrels/edge.qrels qrels/edge.qrels");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("qrels/edge.qrels:2: expected 6 fields"), std::string::npos) << r.err;
  r = test::run_command(tandem + "-m nosuch qrels/edge.qrels runs/edge.run");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown measure 'nosuch'"), std::string::npos) << r.err;
  r = test::run_command(tandem + "qrels/edge.qrels");
  EXPECT_EQ(r.exit_code, 2);
  r = test::run_command(tandem + "qrels/none runs/edge.run");
  EXPECT_EQ(r.exit_code, 3);
  r = test::run_command(tandem + "--qrels qrels/edge.qrels --run runs/edge.run -m map --json");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("\"map\":"), std::string::npos);
  r = test::run_command(tandem + "--help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("all_trec"), std::string::npos);
  EXPECT_NE(r.out.find("--complete_rel_info_wanted"), std::string::npos);
}

// trec_eval reads the run from standard input when it is "-"; so does tandem eval.
TEST(TrecEvalFixtures, CommandReadsTheRunFromStandardInput) {
  const std::string tandem =
      "cd '" + data_dir().string() + "' && '" + test::tandem_binary().string() + "' eval ";
  const auto from_file =
      test::run_command(tandem + "-c -q -m all_trec qrels/edge.qrels runs/edge.run");
  const auto from_stdin =
      test::run_command(tandem + "-c -q -m all_trec qrels/edge.qrels - < runs/edge.run");
  EXPECT_EQ(from_stdin.exit_code, 0) << from_stdin.err;
  EXPECT_EQ(from_stdin.out, from_file.out);
  EXPECT_EQ(from_stdin.out, expected_output("edge.all_trec.cq"));
}

}  // namespace
}  // namespace tandem::eval
