// Fuzz target: JSONL token-vector lines ({"id": ..., "vectors": [[...], ...]}) of a multi-vector
// field. Invariants: a parsed line adds one document with at least one token, every token has the
// set's dimension, every value is finite; a rejected line leaves the set unchanged.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tandem/core/error.hpp"
#include "tandem/multi/multi_vector_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  tandem::multi::MultiVectorSet set;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    const std::size_t end = std::min(text.find('\n', begin), text.size());
    const std::size_t docs = set.ids.size(), values = set.values.size();
    try {
      tandem::multi::parse_multi_vector_line(text.substr(begin, end - begin), "fuzz", set);
      if (set.ids.size() != docs + 1 || set.ids.back().empty()) __builtin_trap();
      if (set.offsets.size() != set.ids.size() + 1) __builtin_trap();
      if (set.offsets.back() <= set.offsets[set.offsets.size() - 2]) __builtin_trap();
      if (set.dim == 0 || set.values.size() != set.offsets.back() * set.dim) __builtin_trap();
      for (std::size_t i = values; i < set.values.size(); ++i) {
        if (!std::isfinite(set.values[i])) __builtin_trap();
      }
    } catch (const tandem::Error&) {
      if (set.ids.size() != docs || set.values.size() != values) __builtin_trap();
    }
    begin = end + 1;
  }
  return 0;
}
