// Fuzz target: sparse-vector corpus lines ({"id","vector":{...}} and {"id","indices","values"}).
#include "tandem/io/sparse_vector_parser.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tandem/core/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  tandem::io::SparseVectorParser parser;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    const std::size_t end = std::min(text.find('\n', begin), text.size());
    try {
      const auto& v = parser.parse_copy(text.substr(begin, end - begin));
      if (v.id.empty()) __builtin_trap();  // a parsed vector always has an id
      for (const auto& e : v.entries) {
        if (!(e.weight >= 0) || !std::isfinite(e.weight)) __builtin_trap();  // weights checked
      }
    } catch (const tandem::Error&) {
    }
    begin = end + 1;
  }
  return 0;
}
