// Reads tensors from Hugging Face's safetensors files: an 8-byte little-endian header length, a
// JSON header {name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}, then
// the raw little-endian data, offsets counted from the end of the header.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/io/mapped_file.hpp"

namespace tandem::encode {

/// Element types of the safetensors format. Every one can be opened; f32, f16 and bf16 can be read
/// as float (load_f32), the others only inspected.
enum class DType { f64, f32, f16, bf16, i64, i32, i16, i8, u8, boolean };

std::string_view to_string(DType dtype);
std::size_t dtype_size(DType dtype);

/// One tensor as the header describes it; [begin, end) is its byte range in the data section.
struct TensorInfo {
  std::string name;
  DType dtype = DType::f32;
  std::vector<std::uint64_t> shape;
  std::uint64_t begin = 0;
  std::uint64_t end = 0;

  std::uint64_t elements() const;
};

/// Parses and validates a whole safetensors image (header and data). Checks: the header length fits
/// the file and is at most 100 MB; the header is a JSON object whose entries (other than
/// "__metadata__") each have a known dtype, a shape of non-negative integers and data_offsets
/// [begin, end] with begin <= end <= data size and end - begin == product(shape) * dtype size;
/// byte ranges do not overlap. Errors throw Error(corruption), or Error(unsupported) for a dtype
/// this reader does not know, naming `file` and the tensor at fault. Tensors come back sorted by
/// name.
std::vector<TensorInfo> parse_safetensors(std::span<const std::byte> image, std::string_view file,
                                          std::uint64_t* data_offset = nullptr);

/// A memory-mapped safetensors file. Thread-safe for reading.
class SafeTensors {
 public:
  /// Maps and validates the file (parse_safetensors); Error(not_found) if it does not exist.
  explicit SafeTensors(const std::filesystem::path& path);

  const std::string& path() const { return file_.path(); }
  std::span<const TensorInfo> tensors() const { return tensors_; }
  /// The tensor called `name`, or nullptr.
  const TensorInfo* find(std::string_view name) const;

  /// The tensor's values as float32 (converted from f16 or bf16; row-major as stored). Throws
  /// Error(not_found) if there is no such tensor, Error(invalid_argument) if its shape is not
  /// `expected_shape`, Error(unsupported) for another dtype; each message names the tensor.
  std::vector<float> load_f32(std::string_view name,
                              std::span<const std::uint64_t> expected_shape) const;
  std::vector<float> load_f32(std::string_view name,
                              std::initializer_list<std::uint64_t> expected_shape) const {
    return load_f32(name,
                    std::span<const std::uint64_t>(expected_shape.begin(), expected_shape.size()));
  }

 private:
  io::MappedFile file_;
  std::uint64_t data_offset_ = 0;
  std::vector<TensorInfo> tensors_;
};

/// IEEE binary16 and bfloat16 to float (exact: both are subsets of binary32).
float half_to_float(std::uint16_t bits);
float bfloat16_to_float(std::uint16_t bits);

}  // namespace tandem::encode
