#include "tandem/encode/safetensors.hpp"

#include <algorithm>
#include <cstring>
#include <limits>

#include <simdjson.h>

#include "tandem/core/error.hpp"

namespace tandem::encode {

namespace {

constexpr std::uint64_t kMaxHeaderBytes = 100u << 20;  // what the reference implementation allows

struct DTypeName {
  std::string_view name;
  DType dtype;
  std::size_t size;
};
constexpr DTypeName kDTypes[] = {
    {"F64", DType::f64, 8},      {"F32", DType::f32, 4}, {"F16", DType::f16, 2},
    {"BF16", DType::bf16, 2},    {"I64", DType::i64, 8}, {"I32", DType::i32, 4},
    {"I16", DType::i16, 2},      {"I8", DType::i8, 1},   {"U8", DType::u8, 1},
    {"BOOL", DType::boolean, 1},
};

[[noreturn]] void corrupt(std::string_view file, std::string_view message) {
  fail(ErrorKind::corruption, "{}: {}", file, message);
}

[[noreturn]] void bad_tensor(std::string_view file, std::string_view tensor,
                             std::string_view message) {
  fail(ErrorKind::corruption, "{}: tensor '{}': {}", file, tensor, message);
}

std::uint64_t read_u64_le(const std::byte* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<std::uint8_t>(p[i]);
  return v;
}

TensorInfo parse_entry(std::string_view file, std::string_view name, simdjson::dom::element value,
                       std::uint64_t data_size) {
  TensorInfo t;
  t.name = std::string(name);
  simdjson::dom::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) {
    bad_tensor(file, name, "the header entry is not a JSON object");
  }
  std::string_view dtype;
  if (object["dtype"].get_string().get(dtype) != simdjson::SUCCESS) {
    bad_tensor(file, name, "\"dtype\" is missing or not a string");
  }
  const auto* known = std::find_if(std::begin(kDTypes), std::end(kDTypes),
                                   [&](const DTypeName& d) { return d.name == dtype; });
  if (known == std::end(kDTypes)) {
    fail(ErrorKind::unsupported,
         "{}: tensor '{}': unknown dtype '{}' (known: F64 F32 F16 BF16 "
         "I64 I32 I16 I8 U8 BOOL)",
         file, name, dtype);
  }
  t.dtype = known->dtype;
  simdjson::dom::array shape;
  if (object["shape"].get_array().get(shape) != simdjson::SUCCESS) {
    bad_tensor(file, name, "\"shape\" is missing or not an array");
  }
  std::uint64_t elements = 1;
  bool overflow = false;
  for (const auto dim : shape) {
    std::uint64_t d = 0;
    if (dim.get_uint64().get(d) != simdjson::SUCCESS) {
      bad_tensor(file, name, "a dimension of \"shape\" is not a non-negative integer");
    }
    t.shape.push_back(d);
    if (d != 0 && elements > std::numeric_limits<std::uint64_t>::max() / d) overflow = true;
    elements *= d;
  }
  simdjson::dom::array offsets;
  if (object["data_offsets"].get_array().get(offsets) != simdjson::SUCCESS || offsets.size() != 2) {
    bad_tensor(file, name, "\"data_offsets\" is missing or not an array [begin, end]");
  }
  if (offsets.at(0).get_uint64().get(t.begin) != simdjson::SUCCESS ||
      offsets.at(1).get_uint64().get(t.end) != simdjson::SUCCESS) {
    bad_tensor(file, name, "\"data_offsets\" are not non-negative integers");
  }
  if (t.begin > t.end) {
    bad_tensor(file, name, fmt::format("data_offsets [{}, {}] run backwards", t.begin, t.end));
  }
  if (t.end > data_size) {
    bad_tensor(file, name,
               fmt::format("its data [{}, {}) lies beyond the end of the file's data ({} bytes): "
                           "the file is truncated or the header is wrong",
                           t.begin, t.end, data_size));
  }
  if (overflow || elements > std::numeric_limits<std::uint64_t>::max() / known->size ||
      elements * known->size != t.end - t.begin) {
    bad_tensor(
        file, name,
        fmt::format("shape [{}] of {} needs {} bytes, but data_offsets give {}",
                    fmt::join(t.shape, ", "), known->name,
                    overflow ? std::string("too many") : std::to_string(elements * known->size),
                    t.end - t.begin));
  }
  return t;
}

}  // namespace

std::string_view to_string(DType dtype) {
  for (const auto& d : kDTypes) {
    if (d.dtype == dtype) return d.name;
  }
  return "?";
}

std::size_t dtype_size(DType dtype) {
  for (const auto& d : kDTypes) {
    if (d.dtype == dtype) return d.size;
  }
  return 0;
}

std::uint64_t TensorInfo::elements() const {
  std::uint64_t n = 1;
  for (const auto d : shape) n *= d;
  return n;
}

std::vector<TensorInfo> parse_safetensors(std::span<const std::byte> image, std::string_view file,
                                          std::uint64_t* data_offset) {
  if (image.size() < 8) corrupt(file, "too short for a safetensors file (no 8-byte header length)");
  const std::uint64_t header_size = read_u64_le(image.data());
  if (header_size > kMaxHeaderBytes) {
    corrupt(file, fmt::format("header length {} is over the 100 MB limit (not a safetensors "
                              "file?)",
                              header_size));
  }
  if (header_size > image.size() - 8) {
    corrupt(file, fmt::format("header length {} runs past the end of the file ({} bytes)",
                              header_size, image.size()));
  }
  const std::uint64_t data_size = image.size() - 8 - header_size;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  const auto* header = reinterpret_cast<const char*>(image.data() + 8);
  if (const auto error = parser.parse(header, header_size).get(root); error) {
    corrupt(file, fmt::format("the header is not valid JSON ({})", simdjson::error_message(error)));
  }
  simdjson::dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) {
    corrupt(file, "the header is not a JSON object");
  }
  std::vector<TensorInfo> tensors;
  for (const auto field : object) {
    if (field.key == "__metadata__") continue;
    tensors.push_back(parse_entry(file, field.key, field.value, data_size));
  }
  std::sort(tensors.begin(), tensors.end(),
            [](const TensorInfo& a, const TensorInfo& b) { return a.name < b.name; });
  for (std::size_t i = 1; i < tensors.size(); ++i) {
    if (tensors[i].name == tensors[i - 1].name) {
      bad_tensor(file, tensors[i].name, "named twice in the header");
    }
  }
  std::vector<const TensorInfo*> by_offset;
  for (const auto& t : tensors) {
    if (t.end > t.begin) by_offset.push_back(&t);
  }
  std::sort(by_offset.begin(), by_offset.end(),
            [](const TensorInfo* a, const TensorInfo* b) { return a->begin < b->begin; });
  for (std::size_t i = 1; i < by_offset.size(); ++i) {
    if (by_offset[i]->begin < by_offset[i - 1]->end) {
      bad_tensor(file, by_offset[i]->name,
                 fmt::format("its data overlaps that of tensor '{}'", by_offset[i - 1]->name));
    }
  }
  if (data_offset != nullptr) *data_offset = 8 + header_size;
  return tensors;
}

SafeTensors::SafeTensors(const std::filesystem::path& path) : file_(path) {
  tensors_ = parse_safetensors(file_.bytes(), file_.path(), &data_offset_);
}

const TensorInfo* SafeTensors::find(std::string_view name) const {
  const auto it =
      std::lower_bound(tensors_.begin(), tensors_.end(), name,
                       [](const TensorInfo& t, std::string_view n) { return t.name < n; });
  return it != tensors_.end() && it->name == name ? &*it : nullptr;
}

std::vector<float> SafeTensors::load_f32(std::string_view name,
                                         std::span<const std::uint64_t> expected_shape) const {
  const TensorInfo* t = find(name);
  if (t == nullptr) fail(ErrorKind::not_found, "{}: tensor '{}' is missing", path(), name);
  if (!std::equal(t->shape.begin(), t->shape.end(), expected_shape.begin(), expected_shape.end())) {
    fail(ErrorKind::invalid_argument, "{}: tensor '{}' has shape [{}], expected [{}]", path(), name,
         fmt::join(t->shape, ", "), fmt::join(expected_shape, ", "));
  }
  const std::byte* data = file_.data() + data_offset_ + t->begin;
  const std::uint64_t n = t->elements();
  std::vector<float> out(n);
  switch (t->dtype) {
    case DType::f32:
      if (n > 0) std::memcpy(out.data(), data, n * sizeof(float));  // little-endian host
      break;
    case DType::f16:
    case DType::bf16:
      for (std::uint64_t i = 0; i < n; ++i) {
        const auto bits =
            static_cast<std::uint16_t>(static_cast<std::uint8_t>(data[2 * i]) |
                                       (static_cast<std::uint8_t>(data[2 * i + 1]) << 8));
        out[i] = t->dtype == DType::f16 ? half_to_float(bits) : bfloat16_to_float(bits);
      }
      break;
    default:
      fail(ErrorKind::unsupported,
           "{}: tensor '{}' has dtype {}; only F32, F16 and BF16 can be "
           "read as float",
           path(), name, to_string(t->dtype));
  }
  return out;
}

float bfloat16_to_float(std::uint16_t bits) {
  const std::uint32_t word = static_cast<std::uint32_t>(bits) << 16;
  float f;
  std::memcpy(&f, &word, sizeof f);
  return f;
}

float half_to_float(std::uint16_t bits) {
  const std::uint32_t sign = static_cast<std::uint32_t>(bits & 0x8000u) << 16;
  std::uint32_t exponent = (bits >> 10) & 0x1fu;
  std::uint32_t mantissa = bits & 0x3ffu;
  std::uint32_t word;
  if (exponent == 0x1f) {  // infinity or NaN
    word = sign | 0x7f800000u | (mantissa << 13);
  } else if (exponent != 0) {  // normal
    word = sign | ((exponent + 112) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {  // zero
    word = sign;
  } else {  // subnormal half: normalise it (every half subnormal is a float normal)
    exponent = 113;
    while ((mantissa & 0x400u) == 0) {
      mantissa <<= 1;
      --exponent;
    }
    word = sign | (exponent << 23) | ((mantissa & 0x3ffu) << 13);
  }
  float f;
  std::memcpy(&f, &word, sizeof f);
  return f;
}

}  // namespace tandem::encode
