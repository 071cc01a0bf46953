#include "tandem/eval/run.hpp"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "tandem/core/error.hpp"

#include "test_support.hpp"

namespace tandem::eval {
namespace {

std::string error_of(std::string_view text) {
  try {
    parse_run(text, "r.txt");
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::invalid_argument);
    return e.what();
  }
  return "no error";
}

TEST(Run, ReadsTrecRunsAndTakesTheLastTagAsRunId) {
  const eval::Run r = parse_run(
      "# comment\n  # indented comment\n\nq1 Q0 d1 1 2.5 first\nq1 Q0 d2 2 +1e0 first extra "
      "fields\n"
      "q2\tQ0\td1\t1\t-3\tlast\r\nq1 Q0 d3 3 -0.5 last\n");
  ASSERT_EQ(r.num_queries(), 2u);
  EXPECT_EQ(r.num_hits(), 4u);
  EXPECT_EQ(r.run_id(), "last");
  ASSERT_EQ(r.hits(0).size(), 3u);
  EXPECT_EQ(r.hits(0)[0].doc, "d1");
  EXPECT_EQ(r.hits(0)[0].score, 2.5);
  EXPECT_EQ(r.hits(0)[0].line, 4u);
  EXPECT_EQ(r.hits(0)[1].score, 1.0);
  EXPECT_EQ(r.hits(0)[2].score, -0.5);  // hits keep input order; evaluate() ranks them
  EXPECT_EQ(r.hits(1)[0].score, -3.0);
  EXPECT_EQ(r.find("q2"), std::optional<std::size_t>(1));
}

TEST(Run, ScoresParseLikeAtof) {
  const eval::Run r =
      parse_run("q Q0 a 1 0.1 t\nq Q0 b 1 1e400 t\nq Q0 c 1 -inf t\nq Q0 d 1 1e-400 t\n");
  EXPECT_EQ(r.hits(0)[0].score, 0.1);
  EXPECT_EQ(r.hits(0)[1].score,
            std::numeric_limits<double>::infinity());  // strtod overflows to inf
  EXPECT_EQ(r.hits(0)[2].score, -std::numeric_limits<double>::infinity());
  EXPECT_EQ(r.hits(0)[3].score, 0.0);
}

TEST(Run, ErrorsNameFileAndLine) {
  EXPECT_NE(error_of("q Q0 d 1 2 t\nq Q0 d 1 2\n").find("r.txt:2: expected 6 fields"),
            std::string::npos);
  EXPECT_NE(error_of("q Q0 d 1 high t\n").find("r.txt:1: score 'high' is not a number"),
            std::string::npos);
  EXPECT_NE(error_of("q Q0 d 1 nan t\n").find("r.txt:1: score 'nan'"), std::string::npos);
  EXPECT_NE(error_of("q Q0 d 1 1.5x t\n").find("r.txt:1: score '1.5x'"), std::string::npos);
  EXPECT_NE(error_of("q Q0 d 1 +-1 t\n").find("r.txt:1: score '+-1'"), std::string::npos);
  EXPECT_NE(error_of(std::string_view("q Q0 d\0 1 1 t\n", 14)).find("r.txt:1: line holds a NUL"),
            std::string::npos);
}

TEST(Run, EmptyTextIsAnEmptyRun) {
  const eval::Run r = parse_run("");
  EXPECT_EQ(r.num_queries(), 0u);
  EXPECT_EQ(r.run_id(), "");
}

TEST(Run, BuildsFromMemoryAndRefusesNaN) {
  eval::Run r("engine");
  r.set_run_id("tandem-bm25");
  r.add("q1", "d1", 1.0);
  r.add("q2", "d1", 2.0);
  r.add("q1", "d2", 0.5);
  EXPECT_EQ(r.num_queries(), 2u);
  EXPECT_EQ(r.hits(0).size(), 2u);
  EXPECT_EQ(r.hits(0)[1].doc, "d2");
  try {
    r.add("q1", "d3", std::nan(""));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("engine: NaN score for query 'q1', document 'd3'"),
              std::string::npos);
  }
}

TEST(Run, MovedFromRunStaysUsableAndViewsStayValid) {
  eval::Run a;
  a.add("q", "first-document", 1);
  eval::Run b = std::move(a);
  a.add("q2", "other", 2);  // must not write into b's storage
  EXPECT_EQ(b.hits(0)[0].doc, "first-document");
  ASSERT_EQ(a.num_queries(), 1u);
  EXPECT_EQ(a.hits(0)[0].doc, "other");
}

TEST(Run, ReadsFiles) {
  test::TempDir dir;
  test::write_file(dir / "r.trec", "q Q0 d 1 1 t\n");
  EXPECT_EQ(read_run(dir / "r.trec").num_hits(), 1u);
  EXPECT_THROW(read_run(dir / "none.trec"), Error);
  EXPECT_THROW(read_run(dir.path()), Error);
}

}  // namespace
}  // namespace tandem::eval
