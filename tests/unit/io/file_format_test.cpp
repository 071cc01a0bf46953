#include "tandem/io/file_format.hpp"

#include <cstring>
#include <fstream>

#include <gtest/gtest.h>

#include "tandem/core/error.hpp"

#include "test_support.hpp"

namespace tandem::io {
namespace {

using test::TempDir;

TEST(FileFormat, RoundTripsPayloadAndVerifiesChecksum) {
  TempDir dir;
  const auto path = dir / "x.bin";
  {
    FileWriter w(path, FileKind::test);
    const std::uint32_t values[] = {1, 2, 3};
    w.write_array(std::span<const std::uint32_t>(values));
    w.align(16);
    EXPECT_EQ(w.payload_offset(), 16u);
    w.write_pod<std::uint64_t>(99);
    w.commit();
  }
  CheckedFile f(path, FileKind::test);
  ASSERT_EQ(f.payload().size(), 24u);
  std::uint32_t first = 0;
  std::memcpy(&first, f.payload().data(), 4);
  EXPECT_EQ(first, 1u);
  EXPECT_NO_THROW(f.verify());
}

TEST(FileFormat, UncommittedWriterLeavesNothing) {
  TempDir dir;
  const auto path = dir / "x.bin";
  {
    FileWriter w(path, FileKind::test);
    w.write_pod<int>(1);
  }
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST(FileFormat, DetectsFlippedByte) {
  TempDir dir;
  const auto path = dir / "x.bin";
  {
    FileWriter w(path, FileKind::test);
    for (int i = 0; i < 1000; ++i) w.write_pod(i);
    w.commit();
  }
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(500);
    f.put('\x7f');
  }
  CheckedFile f(path, FileKind::test);  // header and footer are intact
  try {
    f.verify();
    FAIL() << "expected a checksum error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::corruption);
    EXPECT_NE(std::string(e.what()).find("x.bin"), std::string::npos);
  }
}

TEST(FileFormat, RejectsWrongKindTruncationAndForeignFiles) {
  TempDir dir;
  const auto path = dir / "x.bin";
  {
    FileWriter w(path, FileKind::test);
    w.write_pod(7);
    w.commit();
  }
  EXPECT_THROW(CheckedFile(path, FileKind::postings), Error);
  std::filesystem::resize_file(path, std::filesystem::file_size(path) - 3);
  EXPECT_THROW(CheckedFile(path, FileKind::test), Error);
  test::write_file(dir / "foreign", std::string(100, 'a'));
  EXPECT_THROW(CheckedFile(dir / "foreign", FileKind::test), Error);
  EXPECT_THROW(CheckedFile(dir / "missing", FileKind::test), Error);
}

TEST(FileFormat, WriteFileAtomicReplacesContent) {
  TempDir dir;
  write_file_atomic(dir / "m.json", "one");
  write_file_atomic(dir / "m.json", "two");
  EXPECT_EQ(test::read_file(dir / "m.json"), "two");
  int files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++files;
  EXPECT_EQ(files, 1);
}

}  // namespace
}  // namespace tandem::io
