// The multi-vector field: input parsing (JSONL and npy + offsets) with its errors, the store file
// (f32 and int8) with its corruption checks, and `tandem index --multivec` through the builder.
#include <cmath>
#include <cstring>
#include <fstream>
#include <random>

#include <gtest/gtest.h>

#include "tandem/core/error.hpp"
#include "tandem/engine/engine.hpp"
#include "tandem/multi/multi_vector_input.hpp"
#include "tandem/multi/multi_vector_store.hpp"

#include "test_support.hpp"

namespace tandem::multi {
namespace {

using test::error_message;

TEST(MultiVectorInput, ParsesLinesAndChecksTheDimensionOfEveryToken) {
  MultiVectorSet set;
  parse_multi_vector_line(R"({"id":"a","vectors":[[1,2],[3,4],[5,6]]})", "f:1", set);
  parse_multi_vector_line(R"({"_id":7,"vectors":[[0.5,-1]]})", "f:2", set);
  EXPECT_EQ(set.dim, 2u);
  EXPECT_EQ(set.ids, (std::vector<std::string>{"a", "7"}));
  EXPECT_EQ(set.offsets, (std::vector<std::uint64_t>{0, 3, 4}));
  EXPECT_EQ(set.values, (std::vector<float>{1, 2, 3, 4, 5, 6, 0.5f, -1}));

  const std::string e1 = error_message(
      [&] { parse_multi_vector_line(R"({"id":"b","vectors":[[1,2],[3]]})", "f:3", set); });
  EXPECT_NE(e1.find("f:3"), std::string::npos) << e1;
  EXPECT_NE(e1.find("token 2 has 1 values, expected 2"), std::string::npos) << e1;
  EXPECT_EQ(set.ids.size(), 2u);  // nothing added by the bad line
  EXPECT_EQ(set.values.size(), 8u);
  EXPECT_NE(error_message([&] {
              parse_multi_vector_line(R"({"id":"c","vectors":[]})", "f", set);
            }).find("holds no token"),
            std::string::npos);
  EXPECT_NE(error_message([&] {
              parse_multi_vector_line(R"({"vectors":[[1,2]]})", "f", set);
            }).find("no id"),
            std::string::npos);
  EXPECT_NE(error_message([&] {
              parse_multi_vector_line(R"({"id":"d","vectors":[[1,"x"]]})", "f", set);
            }).find("token 1 value 2 is not a number"),
            std::string::npos);
  EXPECT_NE(error_message([&] {
              parse_multi_vector_line(R"({"id":"e","vectors":[[1e39,0]]})", "f", set);
            }).find("not finite"),
            std::string::npos);
  EXPECT_NE(
      error_message([&] { parse_multi_vector_line("{not json", "f", set); }).find("malformed"),
      std::string::npos);
}

// A little-endian float32 .npy of shape (rows, cols), format 1.0.
void write_npy(const std::filesystem::path& path, std::size_t rows, std::size_t cols,
               const std::vector<float>& values) {
  std::string header =
      fmt::format("{{'descr': '<f4', 'fortran_order': False, 'shape': ({}, {}), }}", rows, cols);
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string out = "\x93NUMPY";
  out += '\x01';
  out += '\x00';
  const auto len = static_cast<std::uint16_t>(header.size());
  out += static_cast<char>(len & 0xff);
  out += static_cast<char>(len >> 8);
  out += header;
  out.append(reinterpret_cast<const char*>(values.data()), values.size() * 4);
  test::write_file(path, out);
}

TEST(MultiVectorInput, NpyWithOffsetsAndItsErrors) {
  test::TempDir dir;
  write_npy(dir / "t.npy", 3, 2, {1, 2, 3, 4, 5, 6});
  test::write_file(dir / "off.tsv", "a\t2\nb\t1\n");
  const auto set = read_multi_vectors(dir / "t.npy", dir / "off.tsv");
  EXPECT_EQ(set.dim, 2u);
  EXPECT_EQ(set.ids, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(set.offsets, (std::vector<std::uint64_t>{0, 2, 3}));
  test::write_file(dir / "short.tsv", "a\t1\nb\t1\n");
  EXPECT_NE(error_message([&] {
              read_multi_vectors(dir / "t.npy", dir / "short.tsv");
            }).find("add up to 2 but"),
            std::string::npos);
  test::write_file(dir / "bad.tsv", "a\ttwo\n");
  EXPECT_NE(
      error_message([&] { read_multi_vectors(dir / "t.npy", dir / "bad.tsv"); }).find("bad.tsv:1"),
      std::string::npos);
  EXPECT_NE(error_message([&] { read_multi_vectors(dir / "t.npy"); }).find("needs an offsets file"),
            std::string::npos);
}

TEST(MultiVectorStore, F32RoundTripAndInt8WithinHalfAStep) {
  test::TempDir dir;
  std::mt19937 rng(7);
  std::normal_distribution<float> g;
  const std::size_t dim = 8;
  const std::vector<DocId> row_doc = {1, 4, 9};
  const std::vector<std::uint64_t> offsets = {0, 3, 3, 7};  // the second row has no token
  std::vector<float> values(7 * dim);
  for (auto& v : values) v = g(rng);
  write_multi_vector_store(dir / "f32", dim, TokenEncoding::f32, row_doc, offsets, values);
  write_multi_vector_store(dir / "i8", dim, TokenEncoding::int8, row_doc, offsets, values);
  const MultiVectorStore f(dir / "f32"), q(dir / "i8");
  for (const MultiVectorStore* s : {&f, &q}) {
    EXPECT_EQ(s->rows(), 3u);
    EXPECT_EQ(s->tokens(), 7u);
    EXPECT_EQ(s->row_of(4), std::optional<std::size_t>(1));
    EXPECT_EQ(s->row_of(5), std::nullopt);
    EXPECT_EQ(s->token_count(1), 0u);
    EXPECT_EQ(s->token_count(2), 4u);
    s->verify(10);
  }
  EXPECT_LT(q.file_bytes(), f.file_bytes());
  // Per-dimension scale = max |x_c| / 127, so decoding is within half a step of the value.
  std::vector<float> scale(dim, 0);
  for (std::size_t t = 0; t < 7; ++t)
    for (std::size_t c = 0; c < dim; ++c)
      scale[c] = std::max(scale[c], std::abs(values[t * dim + c]) / 127.0f);
  std::vector<float> a(dim), b(dim);
  std::size_t t = 0;
  for (std::size_t r = 0; r < 3; ++r) {
    for (std::size_t j = 0; j < f.token_count(r); ++j, ++t) {
      f.decode(r, j, a.data());
      q.decode(r, j, b.data());
      for (std::size_t c = 0; c < dim; ++c) {
        EXPECT_EQ(a[c], values[t * dim + c]);
        EXPECT_LE(std::abs(b[c] - values[t * dim + c]), scale[c] * 0.5f + 1e-7f);
      }
    }
  }
}

TEST(MultiVectorStore, DamageIsReportedAsCorruption) {
  test::TempDir dir;
  const std::vector<DocId> row_doc = {0};
  const std::vector<std::uint64_t> offsets = {0, 2};
  const std::vector<float> values = {1, 0, 0, 1};
  write_multi_vector_store(dir / "mv", 2, TokenEncoding::f32, row_doc, offsets, values);
  std::string bytes = test::read_file(dir / "mv");
  bytes[bytes.size() - 20] ^= 0x40;  // a value
  test::write_file(dir / "flipped", bytes);
  const MultiVectorStore flipped(dir / "flipped");  // headers still fine
  try {
    flipped.verify(1);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::corruption);
    EXPECT_NE(std::string(e.what()).find("flipped"), std::string::npos);
  }
  test::write_file(dir / "short", bytes.substr(0, bytes.size() / 2));
  EXPECT_THROW(MultiVectorStore(dir / "short"), Error);
  EXPECT_THROW(write_multi_vector_store(dir / "x", 2, TokenEncoding::f32, row_doc, offsets,
                                        std::vector<float>{1, 0, 0}),
               Error);
}

TEST(MultiVectorIndex, BuildStoresTheFieldAndRejectsUnknownIds) {
  test::TempDir dir;
  test::write_file(dir / "c.jsonl",
                   "{\"id\":\"b\",\"contents\":\"beta\"}\n{\"id\":\"a\",\"contents\":\"alpha\"}\n"
                   "{\"id\":\"c\",\"contents\":\"gamma\"}\n");
  test::write_file(
      dir / "mv.jsonl",
      "{\"id\":\"c\",\"vectors\":[[1,0],[0,1]]}\n{\"id\":\"a\",\"vectors\":[[2,2]]}\n");
  index::BuildOptions b;
  b.corpus = dir / "c.jsonl";
  b.index_dir = dir / "idx";
  b.threads = 1;
  b.multivec = dir / "mv.jsonl";
  b.settings.multivec = MultiVectorSettings{0, TokenEncoding::int8};
  const auto report = engine::build_index(b);
  EXPECT_EQ(report.multivec_docs, 2u);
  EXPECT_EQ(report.multivec_tokens, 3u);
  const auto index = engine::Index::open(b.index_dir);
  index.verify();
  ASSERT_TRUE(index.reader().settings().multivec);
  EXPECT_EQ(index.reader().settings().multivec->dim, 2u);
  const MultiVectorStore* s = index.reader().segments()[0]->multivec();
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->encoding(), TokenEncoding::int8);
  // DocIds follow id order: a = 0, b = 1, c = 2.
  EXPECT_EQ(s->row_of(0), std::optional<std::size_t>(0));
  EXPECT_EQ(s->row_of(1), std::nullopt);
  EXPECT_EQ(s->token_count(*s->row_of(2)), 2u);

  test::write_file(dir / "bad.jsonl", "{\"id\":\"zz\",\"vectors\":[[1,0]]}\n");
  b.multivec = dir / "bad.jsonl";
  b.overwrite = true;
  const std::string e = error_message([&] { engine::build_index(b); });
  EXPECT_NE(e.find("'zz'"), std::string::npos) << e;
  EXPECT_NE(e.find("not a document of the corpus"), std::string::npos) << e;
  // The failed build published nothing: the index still opens with the old field.
  EXPECT_EQ(engine::Index::open(b.index_dir).reader().segments()[0]->multivec()->rows(), 2u);
}

}  // namespace
}  // namespace tandem::multi
