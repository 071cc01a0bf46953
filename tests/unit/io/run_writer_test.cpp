#include "tandem/io/run_writer.hpp"

#include <bit>
#include <cstdint>
#include <sstream>

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace tandem::io {
namespace {

float float_from_hex(const std::string& hex) {
  return std::bit_cast<float>(static_cast<std::uint32_t>(std::stoul(hex, nullptr, 16)));
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  out.push_back(cur);
  return out;
}

// Expected values come from the JVM (tests/data/java/README.md).
TEST(RunWriter, FormatsFloatsExactlyAsJavaPercentF) {
  std::istringstream in(test::read_file(test::source_dir() / "tests/data/java/float_format.tsv"));
  std::string line;
  int checked = 0;
  while (std::getline(in, line)) {
    const auto cols = split(line, '\t');
    ASSERT_EQ(cols.size(), 2u);
    const float f = float_from_hex(cols[0]);
    EXPECT_EQ(java_format_f6(static_cast<double>(f)), cols[1]) << "float bits " << cols[0];
    ++checked;
  }
  EXPECT_GT(checked, 1000);
}

TEST(RunWriter, AdjustsTiesExactlyAsAnserini) {
  std::istringstream in(test::read_file(test::source_dir() / "tests/data/java/anserini_ties.tsv"));
  std::string line;
  int runs = 0;
  while (std::getline(in, line)) {
    const auto cols = split(line, '\t');
    ASSERT_EQ(cols.size(), 3u);
    std::vector<Score> scores;
    for (const auto& h : split(cols[1], ',')) scores.push_back(float_from_hex(h));
    const auto expected = split(cols[2], ',');
    const auto adjusted = anserini_adjusted_scores(scores);
    ASSERT_EQ(adjusted.size(), expected.size());
    for (std::size_t i = 0; i < adjusted.size(); ++i) {
      EXPECT_EQ(java_format_f6(static_cast<double>(adjusted[i])), expected[i])
          << "run " << cols[0] << " rank " << i + 1;
    }
    ++runs;
  }
  EXPECT_EQ(runs, 120);
}

TEST(RunWriter, WritesTrecLines) {
  std::string out;
  const std::vector<RankedDoc> hits = {{"d1", 2.5f}, {"d2", 2.5f}, {"d3", 1.0f}};
  append_run_lines(out, "q1", hits, "tandem", RunScoreFormat::anserini);
  EXPECT_EQ(out,
            "q1 Q0 d1 1 2.500000 tandem\n"
            "q1 Q0 d2 2 2.499999 tandem\n"
            "q1 Q0 d3 3 1.000000 tandem\n");
  out.clear();
  append_run_lines(out, "q1", hits, "x", RunScoreFormat::raw);
  EXPECT_EQ(out, "q1 Q0 d1 1 2.5 x\nq1 Q0 d2 2 2.5 x\nq1 Q0 d3 3 1 x\n");
}

}  // namespace
}  // namespace tandem::io
