// Fuzz target: idf.json tables of the inference-free query encoder.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tandem/core/error.hpp"
#include "tandem/encode/idf_query_encoder.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    for (const auto& [token, weight] : tandem::encode::parse_idf_json(text, "fuzz")) {
      if (!(weight >= 0) || !std::isfinite(weight)) __builtin_trap();
    }
  } catch (const tandem::Error&) {
  }
  return 0;
}
