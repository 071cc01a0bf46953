#include "tandem/index/corpus_parser.hpp"

#include <gtest/gtest.h>

#include "tandem/core/error.hpp"

#include "test_support.hpp"

namespace tandem::index {
namespace {

TEST(CorpusParser, BeirFlatJoinsTitleAndTextWithNewline) {
  CorpusParser p(FieldLayout::flat);
  const auto& d = p.parse_copy(
      R"({"_id": "d1", "title": "A title", "text": "Body text.", "metadata": {"x": [1, 2]}})");
  EXPECT_EQ(d.id, "d1");
  ASSERT_EQ(d.fields.size(), 1u);
  EXPECT_EQ(d.fields[0], "A title\nBody text.");
}

TEST(CorpusParser, AnseriniContentsWins) {
  CorpusParser p(FieldLayout::flat);
  const auto& d = p.parse_copy(R"({"id": "x", "contents": "the contents", "title": "ignored"})");
  EXPECT_EQ(d.id, "x");
  EXPECT_EQ(d.fields[0], "the contents");
}

TEST(CorpusParser, MultifieldKeepsTitleAndBodyApart) {
  CorpusParser p(FieldLayout::multifield);
  const auto& d = p.parse_copy(R"({"_id": "7", "title": "T", "text": "B"})");
  ASSERT_EQ(d.fields.size(), 2u);
  EXPECT_EQ(d.fields[0], "T");
  EXPECT_EQ(d.fields[1], "B");
  const auto& e = p.parse_copy(R"({"_id": "8", "text": "only body"})");
  EXPECT_EQ(e.fields[0], "");
  EXPECT_EQ(e.fields[1], "only body");
}

TEST(CorpusParser, UnescapesAndAcceptsNumericIdsAndNulls) {
  CorpusParser p(FieldLayout::flat);
  const auto& d = p.parse_copy(R"({"_id": 12345, "title": null, "text": "caf\u00e9 \"q\"\n"})");
  EXPECT_EQ(d.id, "12345");
  EXPECT_EQ(d.fields[0], "caf\xc3\xa9 \"q\"\n");
}

TEST(CorpusParser, DocumentWithoutTextIsEmpty) {
  CorpusParser p(FieldLayout::flat);
  const auto& d = p.parse_copy(R"({"_id": "e"})");
  EXPECT_EQ(d.fields[0], "");
}

TEST(CorpusParser, PrefersUnderscoreId) {
  CorpusParser p(FieldLayout::flat);
  EXPECT_EQ(p.parse_copy(R"({"id": "b", "_id": "a", "text": ""})").id, "a");
}

void expect_invalid(std::string_view line, std::string_view needle) {
  CorpusParser p(FieldLayout::flat);
  try {
    p.parse_copy(line);
    FAIL() << "accepted: " << line;
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::invalid_argument) << line;
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

TEST(CorpusParser, RejectsBadLinesWithReasons) {
  expect_invalid(R"({"_id": "a", "text": "unterminated)", "malformed JSON");
  expect_invalid(R"({"text": "no id"})", "no id");
  expect_invalid(R"({"_id": "", "text": "x"})", "empty");
  expect_invalid(R"({"_id": "a", "text": 5})", "\"text\" must be a string");
  expect_invalid(R"({"_id": ["a"], "text": "x"})", "must be a string or a number");
  expect_invalid(R"(["_id", "a"])", "JSON object");
  expect_invalid(R"({"_id": "a"} {"_id": "b"})", "malformed JSON");
  expect_invalid("{\"_id\": \"a\", \"text\": \"\xff\xfe\"}", "malformed JSON");
}

TEST(CorpusFiles, ListsJsonlFilesOfADirectoryInOrder) {
  test::TempDir dir;
  test::write_file(dir / "b.jsonl", "");
  test::write_file(dir / "a.jsonl.gz", "");
  test::write_file(dir / "notes.txt", "");
  const auto files = list_corpus_files(dir.path());
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].filename(), "a.jsonl.gz");
  EXPECT_EQ(files[1].filename(), "b.jsonl");
  EXPECT_THROW(list_corpus_files(dir / "missing"), Error);
}

}  // namespace
}  // namespace tandem::index
