#include "tandem/io/query_file.hpp"

#include <gtest/gtest.h>

#include "tandem/core/error.hpp"

#include "test_support.hpp"

namespace tandem::io {
namespace {

TEST(QueryFile, ReadsTsvBeirAndAnseriniJson) {
  test::TempDir dir;
  test::write_file(dir / "q.txt",
                   "1\tfirst query\n"
                   "{\"_id\": \"2\", \"text\": \"second\", \"metadata\": {}}\n"
                   "\n"
                   "{\"qid\": 3, \"query\": \"third\"}\n"
                   " 4 \ttext with\ttab\n");
  const auto qs = read_queries(dir / "q.txt");
  ASSERT_EQ(qs.size(), 4u);
  EXPECT_EQ(qs[0].id, "1");
  EXPECT_EQ(qs[0].text, "first query");
  EXPECT_EQ(qs[1].id, "2");
  EXPECT_EQ(qs[1].text, "second");
  EXPECT_EQ(qs[2].id, "3");
  EXPECT_EQ(qs[2].text, "third");
  EXPECT_EQ(qs[3].id, "4");
  EXPECT_EQ(qs[3].text, "text with\ttab");
}

TEST(QueryFile, ErrorsNameFileAndLine) {
  test::TempDir dir;
  test::write_file(dir / "q.tsv", "1\tok\nno tab here\n");
  try {
    read_queries(dir / "q.tsv");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("q.tsv:2"), std::string::npos) << e.what();
  }
  test::write_file(dir / "dup.tsv", "1\ta\n1\tb\n");
  EXPECT_THROW(read_queries(dir / "dup.tsv"), Error);
  test::write_file(dir / "bad.jsonl", "{\"_id\": \"1\", \"text\": \n");
  EXPECT_THROW(read_queries(dir / "bad.jsonl"), Error);
  test::write_file(dir / "notext.jsonl", "{\"_id\": \"1\"}\n");
  EXPECT_THROW(read_queries(dir / "notext.jsonl"), Error);
}

}  // namespace
}  // namespace tandem::io
