// Fuzz target: an index manifest (JSON) as a damaged or hostile index directory could hold it.
#include "tandem/index/manifest.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tandem/core/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto m = tandem::index::Manifest::from_json(text, "fuzz/manifest.json");
    // What was accepted must round-trip.
    const auto again = tandem::index::Manifest::from_json(m.to_json(), "fuzz/manifest.json");
    if (again.to_json() != m.to_json()) __builtin_trap();
  } catch (const tandem::Error&) {
  }
  return 0;
}
