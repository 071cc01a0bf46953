#include "tandem/io/line_reader.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include "tandem/core/error.hpp"

#include "test_support.hpp"

namespace tandem::io {
namespace {

using test::TempDir;

std::vector<std::string> read_all(const std::filesystem::path& p) {
  LineReader r(p);
  std::vector<std::string> lines;
  std::string_view line;
  while (r.next(line)) lines.emplace_back(line);
  return lines;
}

void write_gzip(const std::filesystem::path& p, const std::string& content) {
  gzFile f = gzopen(p.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  gzwrite(f, content.data(), static_cast<unsigned>(content.size()));
  gzclose(f);
}

TEST(LineReader, ReadsPlainLinesWithCrLfAndNoFinalNewline) {
  TempDir dir;
  test::write_file(dir / "a.txt", "one\r\ntwo\n\nthree");
  EXPECT_EQ(read_all(dir / "a.txt"), (std::vector<std::string>{"one", "two", "", "three"}));
}

TEST(LineReader, ReadsGzipByContent) {
  TempDir dir;
  std::string big;
  for (int i = 0; i < 100000; ++i) big += "line " + std::to_string(i) + "\n";
  write_gzip(dir / "a.data", big);
  const auto lines = read_all(dir / "a.data");
  ASSERT_EQ(lines.size(), 100000u);
  EXPECT_EQ(lines[99999], "line 99999");
}

TEST(LineReader, TruncatedGzipIsCorruption) {
  TempDir dir;
  std::string big;
  for (int i = 0; i < 100000; ++i) big += "line " + std::to_string(i * 7919) + "\n";
  write_gzip(dir / "a.gz", big);
  std::filesystem::resize_file(dir / "a.gz", std::filesystem::file_size(dir / "a.gz") / 2);
  try {
    read_all(dir / "a.gz");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::corruption);
  }
}

TEST(LineReader, ChunksHoldWholeLines) {
  TempDir dir;
  test::write_file(dir / "a.txt", "aaaa\nbbbb\ncccc\n");
  LineReader r(dir / "a.txt");
  std::string chunk;
  EXPECT_EQ(r.next_chunk(chunk, 6), 2u);
  EXPECT_EQ(chunk, "aaaa\nbbbb\n");
  chunk.clear();
  EXPECT_EQ(r.next_chunk(chunk, 100), 1u);
  EXPECT_EQ(r.line_number(), 3u);
  chunk.clear();
  EXPECT_EQ(r.next_chunk(chunk, 100), 0u);
}

TEST(LineReader, MissingFileIsNotFound) {
  try {
    LineReader r("/nonexistent/file.jsonl");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::not_found);
  }
}

}  // namespace
}  // namespace tandem::io
