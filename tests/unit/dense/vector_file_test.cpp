#include "tandem/io/vector_file.hpp"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "tandem/core/error.hpp"

#include "dense_test_data.hpp"
#include "test_support.hpp"

namespace tandem::io {
namespace {

using test::error_message;

TEST(VectorFile, ReadsNpyFvecsAndJsonlAlike) {
  test::TempDir dir;
  const std::vector<float> x = {1, 2, 3, -4, 5.5f, 6, 0.25f, 8, 9};
  dense::test_data::write_fvecs(dir / "v.fvecs", x, 3);
  dense::test_data::write_npy(dir / "v.npy", x, 3);
  test::write_file(dir / "v.jsonl",
                   "{\"id\": \"a\", \"vector\": [1, 2, 3]}\n"
                   "\n"
                   "{\"docid\": 7, \"vector\": [-4, 5.5, 6], \"contents\": \"x\"}\n"
                   "{\"vector\": [0.25, 8, 9], \"qid\": \"q\"}\n");
  for (const char* name : {"v.fvecs", "v.npy", "v.jsonl"}) {
    const VectorSet s = read_vectors(dir / name);
    EXPECT_EQ(s.dim, 3u) << name;
    EXPECT_EQ(s.values, x) << name;
  }
  const VectorSet j = read_vectors(dir / "v.jsonl");
  EXPECT_EQ(j.ids, (std::vector<std::string>{"a", "7", "q"}));
  test::write_file(dir / "ids.txt", "x\ny\nz\n");
  EXPECT_EQ(read_vectors(dir / "v.fvecs", dir / "ids.txt").ids,
            (std::vector<std::string>{"x", "y", "z"}));
}

TEST(VectorFile, HalfPrecisionRoundTrips) {
  for (float f : {0.0f, 1.0f, -2.5f, 65504.0f, 6.1035156e-05f, 5.9604645e-08f, 0.333251953125f})
    EXPECT_EQ(half_to_float(float_to_half(f)), f) << f;
  EXPECT_EQ(float_to_half(1e6f), 0x7c00);
}

TEST(VectorFile, WrongDimensionNamesFileAndRow) {
  test::TempDir dir;
  test::write_file(dir / "v.jsonl",
                   "{\"id\": \"a\", \"vector\": [1, 2, 3]}\n{\"id\": \"b\", \"vector\": [1, 2]}\n");
  const std::string e = error_message([&] { read_vectors(dir / "v.jsonl"); });
  EXPECT_NE(e.find("v.jsonl:2"), std::string::npos) << e;
  EXPECT_NE(e.find("dimension 2"), std::string::npos) << e;
  std::vector<float> x = {1, 2, 3, 4};
  std::string bytes;
  for (int d : {2, 3}) {
    bytes.append(reinterpret_cast<const char*>(&d), 4);
    bytes.append(reinterpret_cast<const char*>(x.data()), 4 * static_cast<std::size_t>(d));
  }
  test::write_file(dir / "v.fvecs", bytes);
  const std::string f = error_message([&] { read_vectors(dir / "v.fvecs"); });
  EXPECT_NE(f.find("v.fvecs: row 2: dimension 3, but row 1 has 2"), std::string::npos) << f;
}

TEST(VectorFile, NanAndInfAreRefused) {
  test::TempDir dir;
  std::vector<float> x = {1, 2, 3, 4, std::numeric_limits<float>::quiet_NaN(), 6};
  dense::test_data::write_fvecs(dir / "v.fvecs", x, 3);
  const std::string e = error_message([&] { read_vectors(dir / "v.fvecs"); });
  EXPECT_NE(e.find("row 2: element 1 is NaN"), std::string::npos) << e;
  x[4] = std::numeric_limits<float>::infinity();
  dense::test_data::write_npy(dir / "v.npy", x, 3);
  const std::string n = error_message([&] { read_vectors(dir / "v.npy"); });
  EXPECT_NE(n.find("v.npy: row 2: element 1 is infinite"), std::string::npos) << n;
  test::write_file(dir / "v.jsonl", "{\"id\": \"a\", \"vector\": [1, 1e39]}\n");
  const std::string j = error_message([&] { read_vectors(dir / "v.jsonl"); });
  EXPECT_NE(j.find("v.jsonl:1"), std::string::npos) << j;
}

TEST(VectorFile, TruncatedFilesNameTheRow) {
  test::TempDir dir;
  const std::vector<float> x(12, 1.0f);
  dense::test_data::write_fvecs(dir / "v.fvecs", x, 4);
  std::string bytes = test::read_file(dir / "v.fvecs");
  test::write_file(dir / "t.fvecs", bytes.substr(0, bytes.size() - 6));
  const std::string e = error_message([&] { read_vectors(dir / "t.fvecs"); });
  EXPECT_NE(e.find("t.fvecs: row 3: truncated"), std::string::npos) << e;
  dense::test_data::write_npy(dir / "v.npy", x, 4);
  bytes = test::read_file(dir / "v.npy");
  test::write_file(dir / "t.npy", bytes.substr(0, bytes.size() - 1));
  const std::string n = error_message([&] { read_vectors(dir / "t.npy"); });
  EXPECT_NE(n.find("t.npy: truncated"), std::string::npos) << n;
}

TEST(VectorFile, MalformedLinesAndHeaders) {
  EXPECT_NE(error_message([] {
              std::string id;
              std::vector<float> v;
              parse_vector_line("{\"id\": \"a\", \"vector\": [1, \"x\"]}", "f:3", id, v);
            }).find("f:3: element 1 of \"vector\" is not a number"),
            std::string::npos);
  EXPECT_NE(error_message([] {
              std::string id;
              std::vector<float> v;
              parse_vector_line("{\"vector\": [1]}", "f:1", id, v);
            }).find("no id"),
            std::string::npos);
  const std::string dict = "{'descr': '>f4', 'fortran_order': False, 'shape': (1, 1), }";
  const std::string h = std::string("\x93NUMPY\x01\x00", 8) + static_cast<char>(dict.size()) +
                        '\0' + dict + std::string(4, '\0');
  EXPECT_NE(error_message([&] {
              parse_npy_header(std::as_bytes(std::span(h.data(), h.size())), "x.npy");
            }).find("dtype"),
            std::string::npos);
}

}  // namespace
}  // namespace tandem::io
