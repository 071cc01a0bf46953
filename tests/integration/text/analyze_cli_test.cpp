// `tandem analyze` end to end: the command line, the input formats and the output formats.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace tandem::test {
namespace {

// (Appended piece by piece: GCC 12 at -O3 warns falsely (-Wrestrict) about "'" + std::string.)
CommandResult tandem(const std::string& args) {
  std::string command = "'";
  command += tandem_binary().string();
  command += "' ";
  command += args;
  return run_command(command);
}

TEST(AnalyzeCli, TextOptionPrintsOneLineEach) {
  const CommandResult r =
      tandem("analyze --text \"The dog's toys were running\" --text 'Hello, WORLD'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "dog toi were run\nhello world\n");
}

TEST(AnalyzeCli, AnalyzersAndConfig) {
  EXPECT_EQ(tandem("analyze -a english-nostem --text 'Running dogs'").out, "running dogs\n");
  EXPECT_EQ(tandem("analyze -a whitespace --text \"The dog's\"").out, "The dog's\n");
  EXPECT_EQ(tandem("analyze --config '{\"stopwords\": []}' --text 'to be'").out, "to be\n");
}

TEST(AnalyzeCli, InputFormatsAndOutputFormats) {
  TempDir dir;
  write_file(dir / "q.tsv", "1\tRunning dogs\n\n2\tthe end\n");
  write_file(dir / "c.jsonl",
             "{\"_id\": \"d1\", \"title\": \"A \\\"Title\\\"\", \"text\": \"Body text\"}\n");
  write_file(dir / "lines.txt", "Cats sat\n\nDogs ran\n");
  EXPECT_EQ(tandem("analyze --input '" + (dir / "q.tsv").string() + "' --format tsv").out,
            "1\trun dog\n2\tend\n");
  EXPECT_EQ(tandem("analyze --input '" + (dir / "c.jsonl").string() + "' --format jsonl").out,
            "{\"id\":\"d1\",\"contents\":\"titl bodi text\"}\n");
  EXPECT_EQ(tandem("analyze --input '" + (dir / "lines.txt").string() + "'").out,
            "cat sat\n\ndog ran\n");
  EXPECT_EQ(tandem("analyze --input - --input-format tsv < '" + (dir / "q.tsv").string() + "'").out,
            "run dog\nend\n");
}

TEST(AnalyzeCli, ErrorsAreClear) {
  CommandResult r = tandem("analyze --input /no/such/file");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("no such file"), std::string::npos) << r.err;
  r = tandem("analyze --config '{\"stemer\": \"porter\"}' --text x");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown field 'stemer'"), std::string::npos) << r.err;
  TempDir dir;
  write_file(dir / "bad.jsonl",
             "{\"id\": \"1\", \"contents\": \"ok\"}\n{\"contents\": \"no id\"}\n");
  r = tandem("analyze --input '" + (dir / "bad.jsonl").string() + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad.jsonl:2: record without id"), std::string::npos) << r.err;
}

TEST(AnalyzeCli, HelpDescribesTheAnalyzers) {
  const CommandResult r = tandem("analyze --help");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* s :
       {"english-nostem", "whitespace", "--input-format", "--format", "Porter", "Examples"}) {
    EXPECT_NE(r.out.find(s), std::string::npos) << s;
  }
}

}  // namespace
}  // namespace tandem::test
