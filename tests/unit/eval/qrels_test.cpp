#include "tandem/eval/qrels.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include "tandem/core/error.hpp"

#include "test_support.hpp"

namespace tandem::eval {
namespace {

using test::TempDir;

std::string error_of(std::string_view text) {
  try {
    parse_qrels(text, "q.txt");
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::invalid_argument);
    return e.what();
  }
  return "no error";
}

TEST(Qrels, ReadsTrecFormatGroupedByQuery) {
  const Qrels q = parse_qrels("# comment\n1 0 d1 1\n1 0 d2 0\n\n2\t0\td1\t2\r\n1 Q0 d3 -1\n");
  ASSERT_EQ(q.num_queries(), 2u);
  EXPECT_EQ(q.num_judgments(), 4u);
  EXPECT_EQ(q.qid(0), "1");
  ASSERT_EQ(q.judgments(0).size(), 3u);
  EXPECT_EQ(q.judgments(0)[0].doc, "d1");
  EXPECT_EQ(q.judgments(0)[0].line, 2u);
  EXPECT_EQ(q.judgments(0)[2].doc, "d3");
  EXPECT_EQ(q.judgments(0)[2].rel, -1);
  EXPECT_EQ(q.judgments(1)[0].rel, 2);
  EXPECT_EQ(q.find("2"), std::optional<std::size_t>(1));
  EXPECT_FALSE(q.find("3").has_value());
}

TEST(Qrels, ReadsBeirTsvWithAndWithoutHeader) {
  for (const char* text :
       {"query-id\tcorpus-id\tscore\nq1\tdoc a\t1\nq1\tb\t0\n", "q1\tdoc a\t1\nq1\tb\t0\n"}) {
    const Qrels q = parse_qrels(text);
    ASSERT_EQ(q.num_queries(), 1u) << text;
    ASSERT_EQ(q.judgments(0).size(), 2u);
    EXPECT_EQ(q.judgments(0)[0].doc, "doc a");  // TSV fields may hold spaces
    EXPECT_EQ(q.judgments(0)[0].rel, 1);
    EXPECT_EQ(q.judgments(0)[1].rel, 0);
  }
}

TEST(Qrels, AcceptsIntegralDecimalGradesOnly) {
  EXPECT_EQ(parse_qrels("1 0 d 2.0\n").judgments(0)[0].rel, 2);
  EXPECT_EQ(parse_qrels("1 0 d +3\n").judgments(0)[0].rel, 3);
  EXPECT_NE(error_of("1 0 d 2.5\n").find("q.txt:1: relevance '2.5' is not an integer"),
            std::string::npos);
  EXPECT_NE(error_of("1 0 d 9999999999\n").find("not an integer"), std::string::npos);
}

TEST(Qrels, ErrorsNameFileAndLine) {
  EXPECT_NE(error_of("1 0 d1 1\n1 0 d2\n")
                .find("q.txt:2: expected 4 fields 'qid iter docid rel' (TREC qrels), found 3"),
            std::string::npos);
  EXPECT_NE(error_of("1 0 d1 1\n1 0 d2 1 extra\n").find("q.txt:2: expected 4 fields"),
            std::string::npos);
  EXPECT_NE(error_of("q\td\t1\nq\td\n").find("q.txt:2: expected 3 tab-separated fields"),
            std::string::npos);
  EXPECT_NE(error_of("1 0 d1 one\n").find("q.txt:1: relevance 'one'"), std::string::npos);
  EXPECT_NE(error_of(std::string_view("1 0 d\0 1\n", 9)).find("q.txt:1: line holds a NUL byte"),
            std::string::npos);
  EXPECT_NE(error_of("just garbage\n").find("q.txt:1:"), std::string::npos);
}

TEST(Qrels, EmptyTextGivesNoQueries) {
  EXPECT_EQ(parse_qrels("").num_queries(), 0u);
  EXPECT_EQ(parse_qrels("# only a comment\n\n").num_queries(), 0u);
}

TEST(Qrels, ReadsPlainAndGzippedFiles) {
  TempDir dir;
  const std::string text = "1 0 d1 1\n1 0 d2 0\n2 0 d1 3\n";
  test::write_file(dir / "q.trec", text);
  gzFile f = gzopen((dir / "q.trec.gz").c_str(), "wb");
  ASSERT_NE(f, nullptr);
  gzwrite(f, text.data(), static_cast<unsigned>(text.size()));
  gzclose(f);
  for (const char* name : {"q.trec", "q.trec.gz"}) {
    const Qrels q = read_qrels(dir / name);
    EXPECT_EQ(q.num_queries(), 2u) << name;
    EXPECT_EQ(q.num_judgments(), 3u) << name;
    EXPECT_EQ(q.source(), (dir / name).string());
  }
  try {
    read_qrels(dir / "missing.trec");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::not_found);
  }
}

TEST(Qrels, ReadsTheSharedCollectionsInBothFormatsAlike) {
  TANDEM_REQUIRE_SHARED(shared);
  for (const char* c : {"adi", "cranfield", "npl"}) {
    const Qrels trec = read_qrels(shared / "data" / c / "qrels" / "test.trec");
    const Qrels beir = read_qrels(shared / "data" / c / "qrels" / "test.tsv");
    ASSERT_EQ(trec.num_queries(), beir.num_queries()) << c;
    EXPECT_EQ(trec.num_judgments(), beir.num_judgments()) << c;
    for (std::size_t q = 0; q < trec.num_queries(); ++q) {
      const auto b = beir.find(trec.qid(q));
      ASSERT_TRUE(b.has_value()) << c << " " << trec.qid(q);
      ASSERT_EQ(trec.judgments(q).size(), beir.judgments(*b).size());
      for (std::size_t j = 0; j < trec.judgments(q).size(); ++j) {
        EXPECT_EQ(trec.judgments(q)[j].doc, beir.judgments(*b)[j].doc);
        EXPECT_EQ(trec.judgments(q)[j].rel, beir.judgments(*b)[j].rel);
      }
    }
  }
}

TEST(Qrels, MoveKeepsViewsValid) {
  Qrels a = parse_qrels("1 0 some-document 1\n");
  const std::string_view doc = a.judgments(0)[0].doc;
  Qrels b = std::move(a);
  EXPECT_EQ(b.judgments(0)[0].doc, "some-document");
  EXPECT_EQ(b.judgments(0)[0].doc.data(), doc.data());
}

}  // namespace
}  // namespace tandem::eval
