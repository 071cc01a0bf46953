// Fuzz target: pipeline descriptions (JSON legs, filter, fusion, stages).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tandem/core/error.hpp"
#include "tandem/pipeline/pipeline.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto spec = tandem::pipeline::parse_pipeline_spec(text, "fuzz");
    // What parsing promises: at least one leg, unique names, one weight per leg, k in range.
    if (spec.legs.empty() || spec.k == 0 || spec.k > 1'000'000) __builtin_trap();
    if (spec.fusion.weights.size() != spec.legs.size()) __builtin_trap();
    for (std::size_t i = 0; i < spec.legs.size(); ++i) {
      if (spec.legs[i].depth == 0 || spec.legs[i].index.empty()) __builtin_trap();
      for (std::size_t j = 0; j < i; ++j) {
        if (spec.legs[i].name == spec.legs[j].name) __builtin_trap();
      }
    }
    for (double w : spec.fusion.weights) {
      if (!(w >= 0)) __builtin_trap();
    }
    (void)spec.filter.matches_source(text);
  } catch (const tandem::Error&) {
  }
  return 0;
}
