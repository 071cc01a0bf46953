// Fuzz target: query-file lines (TSV qid<TAB>text, BEIR or Anserini JSONL).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tandem/core/error.hpp"
#include "tandem/io/query_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::size_t begin = 0;
  while (begin <= text.size()) {
    const std::size_t end = std::min(text.find('\n', begin), text.size());
    try {
      const auto q = tandem::io::parse_query_line(text.substr(begin, end - begin), "fuzz");
      if (q.id.empty()) __builtin_trap();  // a parsed query always has an id
    } catch (const tandem::Error&) {
    }
    begin = end + 1;
  }
  return 0;
}
