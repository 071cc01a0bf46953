// Indexes written by earlier format versions still open, verify, and search exactly like an index
// this build writes from the same corpus.
#include <gtest/gtest.h>

#include "tandem/core/error.hpp"
#include "tandem/engine/engine.hpp"

#include "test_support.hpp"

namespace tandem {
namespace {

std::vector<engine::QueryResult> search_all(const std::filesystem::path& index_dir,
                                            const std::filesystem::path& queries) {
  const auto index = engine::Index::open(index_dir);
  engine::SearchOptions options;
  options.k = 20;
  return engine::Searcher(index, options).search_batch(io::read_queries(queries), 1).results;
}

TEST(FormatCompat, Version2IndexSearchesLikeAFreshBuild) {
  const auto v2 = test::source_dir() / "tests" / "compat" / "format" / "v2";
  test::TempDir dir;
  // Copy: opening must not need write access, but the fixture must never change.
  std::filesystem::copy(v2 / "index", dir / "old", std::filesystem::copy_options::recursive);
  const auto old_index = engine::Index::open(dir / "old");
  EXPECT_NO_THROW(old_index.verify());
  EXPECT_EQ(old_index.reader().manifest().format_version, 2u);

  index::BuildOptions build;
  build.corpus = v2 / "corpus.jsonl";
  build.index_dir = dir / "new";
  engine::build_index(build);

  const auto a = search_all(dir / "old", v2 / "queries.jsonl");
  const auto b = search_all(dir / "new", v2 / "queries.jsonl");
  ASSERT_EQ(a.size(), b.size());
  std::size_t hits = 0;
  for (std::size_t q = 0; q < a.size(); ++q) {
    ASSERT_EQ(a[q].hits.size(), b[q].hits.size()) << a[q].qid;
    for (std::size_t i = 0; i < a[q].hits.size(); ++i) {
      EXPECT_EQ(a[q].hits[i].id, b[q].hits[i].id);
      EXPECT_EQ(a[q].hits[i].score, b[q].hits[i].score);
      ++hits;
    }
  }
  EXPECT_GT(hits, 50u);
  EXPECT_EQ(old_index.document("1"), engine::Index::open(dir / "new").document("1"));
}

// Version 3 (manifest): two segments, an update and deletions. It must search exactly like a fresh
// build of the surviving documents (tests/compat/format/README.md says how it was made).
TEST(FormatCompat, Version3IndexWithDeletionsSearchesLikeAFreshBuild) {
  const auto v3 = test::source_dir() / "tests" / "compat" / "format" / "v3";
  test::TempDir dir;
  std::filesystem::copy(v3 / "index", dir / "old", std::filesystem::copy_options::recursive);
  const auto old_index = engine::Index::open(dir / "old");
  EXPECT_NO_THROW(old_index.verify());
  EXPECT_EQ(old_index.reader().manifest().format_version, 3u);
  EXPECT_EQ(old_index.reader().segments().size(), 2u);
  EXPECT_EQ(old_index.reader().num_docs(), 36u);

  index::BuildOptions build;
  build.corpus = v3 / "surviving.jsonl";
  build.index_dir = dir / "new";
  engine::build_index(build);
  for (const auto mode : {sparse::LengthMode::lucene, sparse::LengthMode::exact}) {
    engine::SearchOptions options;
    options.k = 20;
    options.bm25.length_mode = mode;
    const auto queries = io::read_queries(v3 / "queries.jsonl");
    const auto a = engine::Searcher(old_index, options).search_batch(queries, 1).results;
    const auto b = engine::Searcher(engine::Index::open(dir / "new"), options)
                       .search_batch(queries, 1)
                       .results;
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t q = 0; q < a.size(); ++q) {
      ASSERT_EQ(a[q].hits.size(), b[q].hits.size()) << a[q].qid;
      for (std::size_t i = 0; i < a[q].hits.size(); ++i) {
        EXPECT_EQ(a[q].hits[i].id, b[q].hits[i].id);
        EXPECT_EQ(a[q].hits[i].score, b[q].hits[i].score);
      }
    }
  }
  EXPECT_FALSE(old_index.document("5").has_value());
  EXPECT_EQ(old_index.document("1"), engine::Index::open(dir / "new").document("1"));
}

// Version 1 was the pre-release layout: support for it was dropped before any release wrote it, and
// its fixture stays to show that such an index is refused with a clear message, not misread.
TEST(FormatCompat, Version1IndexIsRefusedClearly) {
  const auto v1 = test::source_dir() / "tests" / "compat" / "format" / "v1";
  test::TempDir dir;
  std::filesystem::copy(v1 / "index", dir / "idx", std::filesystem::copy_options::recursive);
  try {
    engine::Index::open(dir / "idx");
    FAIL() << "opened a version 1 index";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::unsupported);
    EXPECT_NE(std::string(e.what()).find("rebuild the index"), std::string::npos) << e.what();
  }
  // A manifest that claims version 2 over version-1 files: the files' own headers refuse.
  std::string manifest = test::read_file(dir / "idx" / "manifest.json");
  const auto at = manifest.find("\"format_version\": 1");
  ASSERT_NE(at, std::string::npos);
  manifest.replace(at, 19, "\"format_version\": 2");
  test::write_file(dir / "idx" / "manifest.json", manifest);
  try {
    engine::Index::open(dir / "idx");
    FAIL() << "opened version 1 files";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::unsupported);
    EXPECT_NE(std::string(e.what()).find("rebuild the index"), std::string::npos) << e.what();
  }
}

TEST(FormatCompat, NewerVersionsAreRefusedClearly) {
  const auto v2 = test::source_dir() / "tests" / "compat" / "format" / "v2";
  test::TempDir dir;
  std::filesystem::copy(v2 / "index", dir / "idx", std::filesystem::copy_options::recursive);
  std::string manifest = test::read_file(dir / "idx" / "manifest.json");
  const auto at = manifest.find("\"format_version\": 2");
  ASSERT_NE(at, std::string::npos);
  manifest.replace(at, 19, "\"format_version\": 99");
  test::write_file(dir / "idx" / "manifest.json", manifest);
  try {
    engine::Index::open(dir / "idx");
    FAIL() << "opened a version 99 index";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::unsupported);
    EXPECT_NE(std::string(e.what()).find("upgrade tandem"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace tandem
