// Fuzz target: learned-sparse query lines (pre-tokenised impact topics qid<TAB>tokens, JSONL query
// vectors or text) and their conversion to weighted terms.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tandem/core/error.hpp"
#include "tandem/io/sparse_query_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::size_t begin = 0;
  while (begin <= text.size()) {
    const std::size_t end = std::min(text.find('\n', begin), text.size());
    try {
      const auto q = tandem::io::parse_sparse_query_line(text.substr(begin, end - begin), "fuzz");
      if (q.id.empty()) __builtin_trap();
      const auto terms = q.has_vector ? q.terms : tandem::io::pretokenized_terms(q.text);
      for (const auto& t : terms) {
        if (t.term.empty() || !(t.weight > 0)) __builtin_trap();  // no empty or zero terms
      }
    } catch (const tandem::Error&) {
    }
    begin = end + 1;
  }
  return 0;
}
