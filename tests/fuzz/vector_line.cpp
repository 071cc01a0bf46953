// Fuzz target: JSONL vector lines ({"id"|"docid"|"qid": ..., "vector": [...]}).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/core/error.hpp"
#include "tandem/io/vector_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string id;
  std::vector<float> vector;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    const std::size_t end = std::min(text.find('\n', begin), text.size());
    try {
      tandem::io::parse_vector_line(text.substr(begin, end - begin), "fuzz", id, vector);
      if (id.empty() || vector.empty()) __builtin_trap();  // a parsed line has both
      for (float v : vector) {
        if (!std::isfinite(v)) __builtin_trap();
      }
    } catch (const tandem::Error&) {
    }
    begin = end + 1;
  }
  return 0;
}
