// Fuzz target: .npy files (header and data: dtype, shape, truncation, non-finite values).
#include <cstddef>
#include <cstdint>
#include <span>

#include "tandem/core/error.hpp"
#include "tandem/io/vector_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto bytes = std::as_bytes(std::span(data, size));
  try {
    const auto h = tandem::io::parse_npy_header(bytes, "fuzz.npy");
    if (h.cols == 0 || h.data_offset > size) __builtin_trap();  // a parsed header fits the file
    tandem::io::VectorSet set;
    tandem::io::parse_npy(bytes, "fuzz.npy", set);
    if (set.values.size() != h.rows * h.cols) __builtin_trap();
  } catch (const tandem::Error&) {
  }
  return 0;
}
