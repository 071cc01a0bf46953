// Fuzz target: WordPiece vocabularies (one token per line) and tokenising text with them. The
// first line of the input is the text; the rest is the vocabulary.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/core/error.hpp"
#include "tandem/text/wordpiece.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t nl = std::min(input.find('\n'), input.size());
  const std::string_view text = input.substr(0, nl);
  std::vector<std::string> vocab;
  for (std::size_t begin = nl + 1; begin <= input.size();) {
    const std::size_t end = std::min(input.find('\n', begin), input.size());
    vocab.emplace_back(input.substr(begin, end - begin));
    begin = end + 1;
  }
  try {
    const tandem::text::WordPieceTokenizer tokenizer(std::move(vocab));
    std::vector<std::uint32_t> ids;
    tokenizer.encode(text, ids);
    for (const std::uint32_t id : ids) {
      if (id >= tokenizer.size()) __builtin_trap();  // every id is in the vocabulary
    }
  } catch (const tandem::Error&) {
  }
  return 0;
}
