// The safetensors reader on hand-made files: good ones read back exactly, broken ones fail with an
// error that names the tensor.
#include "tandem/encode/safetensors.hpp"

#include <cstring>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tandem/core/error.hpp"

#include "test_support.hpp"

namespace tandem::encode {
namespace {

using ::testing::HasSubstr;

// A safetensors image: 8-byte little-endian header length, the header, the data.
std::string image(const std::string& header, const std::string& data) {
  std::string out(8, '\0');
  const std::uint64_t n = header.size();
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((n >> (8 * i)) & 0xff);
  return out + header + data;
}

std::string floats(std::initializer_list<float> values) {
  std::string out(values.size() * 4, '\0');
  std::memcpy(out.data(), values.begin(), out.size());
  return out;
}

// Writes `bytes` to a temp file and opens it; returns the error message, or "" if it opened.
std::string open_error(const std::string& bytes, ErrorKind* kind = nullptr) {
  test::TempDir dir;
  test::write_file(dir / "model.safetensors", bytes);
  try {
    SafeTensors file(dir / "model.safetensors");
  } catch (const Error& e) {
    if (kind != nullptr) *kind = e.kind();
    return e.what();
  }
  return "";
}

TEST(SafeTensors, ReadsF32F16AndBf16) {
  const std::string data = floats({1.5f, -2.0f, 3.25f, 0.0f, 7.0f, -0.5f}) +
                           std::string("\x00\x3c\x00\xc0", 4) +  // f16 1.0, -2.0
                           std::string("\xc0\x3f\x80\xbf", 4);   // bf16 1.5, -1.0
  const std::string header =
      R"({"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},)"
      R"("h":{"dtype":"F16","shape":[2],"data_offsets":[24,28]},)"
      R"("b":{"dtype":"BF16","shape":[2],"data_offsets":[28,32]}})";
  test::TempDir dir;
  test::write_file(dir / "m.safetensors", image(header, data));
  const SafeTensors file(dir / "m.safetensors");
  ASSERT_EQ(file.tensors().size(), 3u);
  EXPECT_EQ(file.tensors()[0].name, "b");  // sorted by name
  EXPECT_THAT(file.load_f32("w", {2, 3}),
              ::testing::ElementsAre(1.5f, -2.0f, 3.25f, 0.0f, 7.0f, -0.5f));
  EXPECT_THAT(file.load_f32("h", {2}), ::testing::ElementsAre(1.0f, -2.0f));
  EXPECT_THAT(file.load_f32("b", {2}), ::testing::ElementsAre(1.5f, -1.0f));
}

TEST(SafeTensors, HalfConversionCoversSubnormalsAndSpecials) {
  EXPECT_EQ(half_to_float(0x0001), std::ldexp(1.0f, -24));  // smallest subnormal
  EXPECT_EQ(half_to_float(0x0200), std::ldexp(1.0f, -15));
  EXPECT_EQ(half_to_float(0x7bff), 65504.0f);  // largest normal
  EXPECT_EQ(half_to_float(0x8000), -0.0f);
  EXPECT_TRUE(std::isinf(half_to_float(0x7c00)));
  EXPECT_TRUE(std::isnan(half_to_float(0x7e00)));
  EXPECT_EQ(bfloat16_to_float(0x4049), 3.140625f);
}

TEST(SafeTensors, WrongShapeNamesTheTensor) {
  const std::string header =
      R"({"layer.weight":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}})";
  test::TempDir dir;
  test::write_file(dir / "m.safetensors", image(header, floats({1, 2, 3, 4})));
  const SafeTensors file(dir / "m.safetensors");
  try {
    file.load_f32("layer.weight", {4, 1});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::invalid_argument);
    EXPECT_THAT(e.what(), HasSubstr("'layer.weight' has shape [2, 2], expected [4, 1]"));
  }
  try {
    file.load_f32("other", {1});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::not_found);
    EXPECT_THAT(e.what(), HasSubstr("tensor 'other' is missing"));
  }
}

TEST(SafeTensors, TruncatedDataNamesTheTensor) {
  const std::string header = R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                             R"("big.weight":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}})";
  ErrorKind kind{};
  const std::string message = open_error(image(header, floats({1, 2, 3, 4})), &kind);
  EXPECT_EQ(kind, ErrorKind::corruption);
  EXPECT_THAT(message, HasSubstr("tensor 'big.weight'"));
  EXPECT_THAT(message, HasSubstr("truncated"));
}

TEST(SafeTensors, UnknownDtypeNamesTheTensor) {
  const std::string header = R"({"q.weight":{"dtype":"F7","shape":[1],"data_offsets":[0,4]}})";
  ErrorKind kind{};
  const std::string message = open_error(image(header, floats({1})), &kind);
  EXPECT_EQ(kind, ErrorKind::unsupported);
  EXPECT_THAT(message, HasSubstr("tensor 'q.weight': unknown dtype 'F7'"));
}

TEST(SafeTensors, ShapeThatDisagreesWithTheByteRange) {
  const std::string header = R"({"x":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})";
  const std::string message = open_error(image(header, floats({1, 2})));
  EXPECT_THAT(message,
              HasSubstr("tensor 'x': shape [3] of F32 needs 12 bytes, but data_offsets give 8"));
}

TEST(SafeTensors, IntegerTensorsOpenButDoNotReadAsFloat) {
  const std::string header = R"({"ids":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}})";
  test::TempDir dir;
  test::write_file(dir / "m.safetensors", image(header, std::string(8, '\0')));
  const SafeTensors file(dir / "m.safetensors");
  try {
    file.load_f32("ids", {1});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::unsupported);
    EXPECT_THAT(e.what(), HasSubstr("'ids' has dtype I64"));
  }
}

TEST(SafeTensors, MalformedHeaders) {
  EXPECT_THAT(open_error("abc"), HasSubstr("too short"));
  EXPECT_THAT(open_error(image("{", "")), HasSubstr("not valid JSON"));
  EXPECT_THAT(open_error(image("[1]", "")), HasSubstr("not a JSON object"));
  std::string huge = image("{}", "");
  huge[5] = 1;  // header length 2^40
  EXPECT_THAT(open_error(huge), HasSubstr("over the 100 MB limit"));
  std::string past = image("{}", "");
  past[0] = 9;
  EXPECT_THAT(open_error(past), HasSubstr("runs past the end of the file"));
  EXPECT_THAT(open_error(image(R"({"t":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}})", "")),
              HasSubstr("tensor 't': a dimension"));
  EXPECT_THAT(
      open_error(image(R"({"t":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}})", "xxxx")),
      HasSubstr("run backwards"));
  EXPECT_THAT(open_error(image(R"({"t":{"dtype":"F32","shape":[1]}})", "xxxx")),
              HasSubstr("tensor 't': \"data_offsets\" is missing"));
  EXPECT_THAT(open_error(image(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                               R"("b":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}})",
                               "xxxxxxxx")),
              HasSubstr("overlaps"));
  EXPECT_EQ(open_error(image("{}", "")), "");  // an empty model is a valid file
}

TEST(SafeTensors, MissingFile) {
  test::TempDir dir;
  try {
    SafeTensors file(dir / "nope.safetensors");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::not_found);
  }
}

}  // namespace
}  // namespace tandem::encode
