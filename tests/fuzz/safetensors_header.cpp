// Fuzz target: a safetensors file (header length, JSON header, data) as a damaged or hostile model
// folder could hold it. Whatever parses must describe byte ranges inside the image.
#include <cstddef>
#include <cstdint>
#include <span>

#include "tandem/core/error.hpp"
#include "tandem/encode/safetensors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::byte> image(reinterpret_cast<const std::byte*>(data), size);
  try {
    std::uint64_t data_offset = 0;
    const auto tensors = tandem::encode::parse_safetensors(image, "fuzz.safetensors", &data_offset);
    for (const auto& t : tensors) {
      if (t.begin > t.end || data_offset + t.end > size) __builtin_trap();
      if (t.elements() * tandem::encode::dtype_size(t.dtype) != t.end - t.begin) __builtin_trap();
    }
  } catch (const tandem::Error&) {
  }
  return 0;
}
