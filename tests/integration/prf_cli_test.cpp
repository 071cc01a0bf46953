// End-to-end: `tandem search --rm3 / --rocchio / --maxsim` and `tandem index --multivec`, run like
// a user would, with their errors.
#include <algorithm>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace tandem {
namespace {

using test::run_command;

using test::quote;
using test::tandem;

class PrfCli : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string corpus;
    for (int i = 0; i < 30; ++i)
      corpus += fmt::format("{{\"id\":\"d{:02}\",\"contents\":\"zebra w{} lion{} savanna\"}}\n", i,
                            i, i % 3);
    test::write_file(dir_ / "c.jsonl", corpus);
    test::write_file(dir_ / "q.tsv", "q1\tzebra lion1\n");
    test::write_file(dir_ / "mv.jsonl",
                     "{\"id\":\"d01\",\"vectors\":[[1,0],[0,1]]}\n"
                     "{\"id\":\"d02\",\"vectors\":[[1,1]]}\n");
    test::write_file(dir_ / "qt.jsonl", "{\"id\":\"q1\",\"vectors\":[[1,0]]}\n");
  }
  test::TempDir dir_;
};

TEST_F(PrfCli, Rm3AndRocchioRunsCarryTheirSettings) {
  auto r = run_command(tandem() + " index --corpus " + quote(dir_ / "c.jsonl") + " --index " +
                       quote(dir_ / "idx") + " -q");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* flag : {"--rm3", "--rocchio"}) {
    r = run_command(tandem() + " search --index " + quote(dir_ / "idx") + " --queries " +
                    quote(dir_ / "q.tsv") + " --run " + quote(dir_ / "run") + " --stats " +
                    quote(dir_ / "stats.json") + " -q " + flag);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string stats = test::read_file(dir_ / "stats.json");
    EXPECT_NE(stats.find(std::string("\"kind\": \"") + (flag + 2) + "\""), std::string::npos)
        << stats;
    EXPECT_NE(test::read_file(dir_ / "run").find("q1 Q0 d"), std::string::npos);
  }
  r = run_command(tandem() + " search --index " + quote(dir_ / "idx") +
                  " --query zebra --rm3 --rocchio");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("not both"), std::string::npos) << r.err;
  r = run_command(tandem() + " search --index " + quote(dir_ / "idx") +
                  " --query zebra --rm3 --original-query-weight 2");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("[0, 1]"), std::string::npos) << r.err;
}

TEST_F(PrfCli, FeedbackNeedsStoredDocuments) {
  auto r = run_command(tandem() + " index --corpus " + quote(dir_ / "c.jsonl") + " --index " +
                       quote(dir_ / "bare") + " --no-store -q");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_command(tandem() + " search --index " + quote(dir_ / "bare") + " --query zebra --rm3");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("--no-store"), std::string::npos) << r.err;
}

TEST_F(PrfCli, MultivecIndexAndMaxSimSearch) {
  test::write_file(dir_ / "bad.jsonl", "{\"id\":\"d01\",\"vectors\":[[1,0],[1]]}\n");
  auto r = run_command(tandem() + " index --corpus " + quote(dir_ / "c.jsonl") + " --index " +
                       quote(dir_ / "mv") + " --multivec " + quote(dir_ / "bad.jsonl") + " -q");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("bad.jsonl:1: token 2 has 1 values, expected 2"), std::string::npos)
      << r.err;
  r = run_command(tandem() + " index --corpus " + quote(dir_ / "c.jsonl") + " --index " +
                  quote(dir_ / "mv") + " --multivec " + quote(dir_ / "mv.jsonl") +
                  " --multivec-encoding int8 -q");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_command(tandem() + " verify --index " + quote(dir_ / "mv"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // q1 = (1, 0): MaxSim d01 = max(1, 0) = 1, d02 = 1 (int8: 1 within a step); only these two
  // documents have token vectors, so the re-ranked run holds exactly them.
  r = run_command(tandem() + " search --index " + quote(dir_ / "mv") + " --queries " +
                  quote(dir_ / "q.tsv") + " --run " + quote(dir_ / "mrun") + " --k 5 --maxsim " +
                  quote(dir_ / "qt.jsonl") + " --stats " + quote(dir_ / "ms.json") + " -q");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string run = test::read_file(dir_ / "mrun");
  EXPECT_NE(run.find(" d01 "), std::string::npos) << run;
  EXPECT_NE(run.find(" d02 "), std::string::npos) << run;
  EXPECT_EQ(std::count(run.begin(), run.end(), '\n'), 2) << run;
  EXPECT_NE(test::read_file(dir_ / "ms.json").find("\"missing_vectors\": 28"), std::string::npos);
}

}  // namespace
}  // namespace tandem
