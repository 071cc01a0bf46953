#include <fstream>

#include <gtest/gtest.h>

#include "tandem/core/error.hpp"
#include "tandem/index/doc_lengths.hpp"
#include "tandem/index/doc_store.hpp"
#include "tandem/index/front_coded_strings.hpp"
#include "tandem/index/id_table.hpp"
#include "tandem/index/term_dictionary.hpp"

#include "test_support.hpp"

namespace tandem::index {
namespace {

TEST(FrontCodedStrings, RoundTripsAcrossBlocksWithDeltaColumn) {
  test::TempDir dir;
  std::vector<std::string> strings;
  for (int i = 0; i < 1000; ++i) strings.push_back("term" + std::to_string(100000 + i * 37));
  strings.insert(strings.begin(), "");  // the empty string sorts first
  FrontCodedWriter w(2, 1);
  for (std::size_t i = 0; i < strings.size(); ++i) {
    const std::uint64_t v[2] = {i % 7, i * 1000 + 5};
    w.add(strings[i], v);
  }
  {
    io::FileWriter f(dir / "t", io::FileKind::test);
    f.write_pod<std::uint32_t>(1);  // the table need not start at offset 0
    w.write_to(f);
    f.commit();
  }
  io::CheckedFile f(dir / "t", io::FileKind::test);
  const io::ByteView view(f.payload(), f.path());
  FrontCodedStrings t(view, 8);
  ASSERT_EQ(t.size(), strings.size());
  std::string scratch;
  for (std::size_t i = 0; i < strings.size(); ++i) {
    std::uint64_t v[2];
    EXPECT_EQ(t.get(i, scratch, v), strings[i]);
    EXPECT_EQ(v[0], i % 7);
    EXPECT_EQ(v[1], i * 1000 + 5);
    const auto found = t.find(strings[i], scratch, v);
    ASSERT_TRUE(found.has_value()) << strings[i];
    EXPECT_EQ(*found, i);
    EXPECT_EQ(v[1], i * 1000 + 5);
  }
  EXPECT_FALSE(t.find("term", scratch).has_value());
  EXPECT_FALSE(t.find("zzz", scratch).has_value());
  EXPECT_FALSE(t.find("term100001", scratch).has_value());
  EXPECT_NO_THROW(t.verify("t"));
}

TEST(FrontCodedStrings, WriterRejectsUnsortedStrings) {
  FrontCodedWriter w(0);
  w.add("b");
  EXPECT_THROW(w.add("a"), Error);
  EXPECT_THROW(w.add("b"), Error);
}

TEST(IdTable, LooksUpBothWays) {
  test::TempDir dir;
  const std::vector<std::string_view> ids = {"10", "2", "a", "b\xc3\xa9"};
  write_id_table(dir / "ids", ids);
  IdTable t(dir / "ids");
  ASSERT_EQ(t.size(), 4u);
  for (DocId d = 0; d < 4; ++d) {
    EXPECT_EQ(t.id(d), ids[d]);
    EXPECT_EQ(t.find(ids[d]), d);
  }
  EXPECT_FALSE(t.find("1").has_value());
  EXPECT_FALSE(t.find("zzz").has_value());
  EXPECT_NO_THROW(t.verify());
}

TEST(IdTable, WriterRejectsUnsortedIds) {
  test::TempDir dir;
  const std::vector<std::string_view> ids = {"b", "a"};
  EXPECT_THROW(write_id_table(dir / "ids", ids), Error);
  EXPECT_FALSE(std::filesystem::exists(dir / "ids"));
}

TEST(TermDictionary, FindsTermsAndEntries) {
  test::TempDir dir;
  const std::string bytes = "applebananacherry";
  const std::vector<std::uint64_t> starts = {0, 5, 11, 17};
  const std::vector<TermEntry> entries = {{0, 3, 2}, {16, 1, 1}, {32, 9, 4}};
  write_term_dictionary(dir / "f.terms", bytes, starts, entries);
  TermDictionary d(dir / "f.terms");
  ASSERT_EQ(d.size(), 3u);
  std::string scratch;
  TermEntry e;
  EXPECT_EQ(d.term(1, scratch, &e), "banana");
  EXPECT_EQ(e.postings_offset, 16u);
  const auto cherry = d.find("cherry");
  ASSERT_TRUE(cherry.has_value());
  EXPECT_EQ(cherry->doc_freq, 4u);
  EXPECT_EQ(cherry->total_freq, 9u);
  EXPECT_EQ(cherry->postings_offset, 32u);
  EXPECT_FALSE(d.find("apricot").has_value());
  EXPECT_NO_THROW(d.verify(64));
  EXPECT_THROW(d.verify(20), Error);  // offset 32 is beyond a 20-byte postings file
}

TEST(DocLengths, TwoByteLengthsWithALongTable) {
  test::TempDir dir;
  const std::vector<std::uint32_t> lengths = {0, 1, 0xFFFE, 0xFFFF, 7, 0x10000, 0xFFFFFFFFu, 300};
  const FieldStats stats = write_doc_lengths(dir / "l", lengths);
  EXPECT_EQ(stats.doc_count, 7u);
  const DocLengthsFile f(dir / "l");
  ASSERT_EQ(f.size(), lengths.size());
  EXPECT_EQ(f.stats(), stats);
  for (std::size_t d = 0; d < lengths.size(); ++d) {
    EXPECT_EQ(f.view().lengths[d], lengths[d]) << d;
    EXPECT_EQ(f.view().norms[d], sparse::lucene_norm(lengths[d])) << d;
  }
  EXPECT_NO_THROW(f.verify());
  // 32-byte file header + 32-byte payload header + 3 long documents x 8 + 8 x 2 + 8 norms + footer.
  EXPECT_EQ(std::filesystem::file_size(dir / "l"), 32u + 32u + 24u + 16u + 8u + 16u);
}

TEST(DocLengths, LongTableMustMatchTheEscapes) {
  test::TempDir dir;
  write_doc_lengths(dir / "l", std::vector<std::uint32_t>{5, 0x20000, 6});
  const std::string good = test::read_file(dir / "l");
  const std::size_t escape = 32 + 32 + 8 + 2;  // document 1's u16 (after one table entry)
  ASSERT_EQ(good.substr(escape, 2), std::string("\xFF\xFF"));
  std::string bad = good;
  bad[escape] = 0x01;  // the long table names a short document
  test::write_file(dir / "l", bad);
  EXPECT_THROW(DocLengthsFile{dir / "l"}, Error);
  bad = good;
  bad[32 + 32] = 0x02;  // the table's document is 2, whose u16 is not the escape
  test::write_file(dir / "l", bad);
  EXPECT_THROW(DocLengthsFile{dir / "l"}, Error);
  bad = good;
  bad[32 + 32 + 8 + 4] = '\xFF';  // document 2 escapes too, with no table entry
  bad[32 + 32 + 8 + 5] = '\xFF';
  test::write_file(dir / "l", bad);
  EXPECT_THROW(DocLengthsFile{dir / "l"}, Error);
}

TEST(DocStore, ReturnsEveryDocumentAcrossBlocks) {
  test::TempDir dir;
  std::vector<std::string> docs;
  for (int i = 0; i < 3000; ++i)
    docs.push_back("{\"_id\":\"" + std::to_string(i) + "\",\"text\":\"" + std::string(i % 97, 'x') +
                   "\"}");
  docs.push_back("");
  {
    DocStoreWriter w(dir / "store", 2, 3, 4096);
    for (const auto& d : docs) w.add(d);
    w.commit();
  }
  DocStore s(dir / "store");
  ASSERT_EQ(s.size(), docs.size());
  for (DocId d = 0; d < docs.size(); d += 7) EXPECT_EQ(s.get(d), docs[d]);
  EXPECT_EQ(s.get(static_cast<DocId>(docs.size() - 1)), "");
  EXPECT_NO_THROW(s.verify());
  EXPECT_THROW(s.get(static_cast<DocId>(docs.size())), Error);
}

TEST(DocStore, EmptyStoreOpens) {
  test::TempDir dir;
  {
    DocStoreWriter w(dir / "store");
    w.commit();
  }
  DocStore s(dir / "store");
  EXPECT_EQ(s.size(), 0u);
  EXPECT_NO_THROW(s.verify());
}

TEST(DocStore, DamagedBlockIsCorruption) {
  test::TempDir dir;
  {
    DocStoreWriter w(dir / "store", 1, 3, 1024);
    for (int i = 0; i < 100; ++i) w.add(std::string(200, static_cast<char>('a' + i % 26)));
    w.commit();
  }
  {
    std::fstream f(dir / "store", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(40);
    f.put('\x55');
    f.put('\x55');
  }
  DocStore s(dir / "store");
  EXPECT_THROW(s.verify(), Error);
}

}  // namespace
}  // namespace tandem::index
