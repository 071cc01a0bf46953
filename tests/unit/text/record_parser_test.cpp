// Which text of a record is analysed: the rules of the Lucene peer's Common.parse / readTopics.
#include "tandem/text/record_parser.hpp"

#include <gtest/gtest.h>

#include "tandem/core/error.hpp"

namespace tandem::text {
namespace {

TextRecord json(std::string_view line) {
  RecordParser p;
  TextRecord r;
  p.parse_json(line, r);
  return r;
}

TextRecord topic(std::string_view line) {
  RecordParser p;
  TextRecord r;
  p.parse_topic(line, r);
  return r;
}

TEST(RecordParser, BeirTitleAndTextAreJoined) {
  const TextRecord r =
      json(R"({"_id": "4983", "title": "Micro", "text": "Alterations", "metadata": {"x": [1]}})");
  EXPECT_EQ(r.id, "4983");
  EXPECT_EQ(r.text, "Micro Alterations");
}

TEST(RecordParser, EmptyTitleMeansTextAlone) {
  EXPECT_EQ(json(R"({"_id": "1", "title": "", "text": "body"})").text, "body");
  EXPECT_EQ(json(R"({"_id": "1", "title": "only title"})").text, "only title");
}

TEST(RecordParser, ContentsWinsThenTextThenQuery) {
  EXPECT_EQ(json(R"({"id": "d", "title": "t", "text": "x", "contents": "c"})").text, "c");
  EXPECT_EQ(json(R"({"qid": "q", "query": "what is x", "text": "body"})").text, "body");
  EXPECT_EQ(json(R"({"query_id": "q", "query": "what is x"})").text, "what is x");
  EXPECT_EQ(json(R"({"id": "q"})").text, "");
}

TEST(RecordParser, IdIsTheFirstNonNullAlias) {
  EXPECT_EQ(json(R"({"docid": "a", "_id": "b", "contents": ""})").id, "a");
  EXPECT_EQ(json(R"({"id": null, "doc_id": "b", "contents": ""})").id, "b");
  EXPECT_EQ(json(R"({"id": 123, "contents": ""})").id, "123");  // numbers as written
  EXPECT_EQ(json(R"({"id": "x", "contents": "a", "contents": "b"})").text,
            "b");  // last value counts
}

TEST(RecordParser, UnescapesAndRepairsUtf8) {
  EXPECT_EQ(json(R"({"id": "x", "contents": "caf\u00e9 \"q\" tab\t"})").text,
            "caf\u00E9 \"q\" tab\t");
  EXPECT_EQ(json("{\"id\": \"x\", \"contents\": \"a\xFF"
                 "b\"}")
                .text,
            "a\uFFFD"
            "b");
}

TEST(RecordParser, Errors) {
  EXPECT_THROW(json(R"({"contents": "no id"})"), Error);
  EXPECT_THROW(json(R"([1, 2])"), Error);
  EXPECT_THROW(json(R"({"id": "x", "contents": )"), Error);
  EXPECT_THROW(topic("no tab here"), Error);
}

TEST(RecordParser, TopicsAreTsvOrJson) {
  TextRecord r = topic("156493\tdo goldfish grow");
  EXPECT_EQ(r.id, "156493");
  EXPECT_EQ(r.text, "do goldfish grow");
  r = topic(" 42 \ta\tb ");  // the id is trimmed, the text is everything after the first tab
  EXPECT_EQ(r.id, "42");
  EXPECT_EQ(r.text, "a\tb ");
  r = topic(R"(  {"qid": "7", "text": "json topic"})");
  EXPECT_EQ(r.id, "7");
  EXPECT_EQ(r.text, "json topic");
}

TEST(RecordParser, BlankLines) {
  EXPECT_TRUE(is_blank_line(""));
  EXPECT_TRUE(is_blank_line(" \t\u3000\r"));
  EXPECT_FALSE(is_blank_line(" x "));
  EXPECT_FALSE(is_blank_line("\u00A0"));  // no-break space is not Java whitespace
}

}  // namespace
}  // namespace tandem::text
