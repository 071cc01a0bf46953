// Fuzz target: TEXMEX .fvecs bytes (dimension per row, truncated rows, non-finite values).
#include <cstddef>
#include <cstdint>
#include <span>

#include "tandem/core/error.hpp"
#include "tandem/io/vector_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    tandem::io::VectorSet set;
    tandem::io::parse_fvecs(std::as_bytes(std::span(data, size)), "fuzz.fvecs", set);
    // whole rows only; no rows only for empty input
    if (set.dim == 0 ? !set.values.empty() || size != 0 : set.values.size() % set.dim != 0)
      __builtin_trap();
  } catch (const tandem::Error&) {
  }
  return 0;
}
