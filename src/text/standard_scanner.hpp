// The tables that drive StandardTokenizer: character -> input class, and the grammar's DFA.
// Internal to the text layer; built once per process by standard_grammar.cpp.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "tandem/text/standard_tokenizer.hpp"

namespace tandem::text::detail {

struct StandardScanner {
  /// What an accepting state does with its match: one of the TokenType values, or drop it.
  static constexpr std::int8_t kNotAccepting = -1;
  static constexpr std::int8_t kDrop = 8;  // the grammar's last rule `[^]`: skip one character

  std::array<std::uint8_t, 128> ascii_class{};
  std::vector<std::uint16_t>
      block_of;                       // code point >> 7 -> offset of its 128-entry block in classes
  std::vector<std::uint8_t> classes;  // blocks of input classes
  std::uint32_t num_classes = 0;
  std::vector<std::uint16_t> next;   // next[state * num_classes + class]; 0 = dead, 1 = start
  std::vector<std::int8_t> accepts;  // per state: a TokenType, kDrop or kNotAccepting

  std::uint8_t class_of(char32_t cp) const { return classes[block_of[cp >> 7] + (cp & 127)]; }
};

/// The scanner of Lucene 8.8's StandardTokenizerImpl grammar; built on first use, thread-safe.
const StandardScanner& standard_scanner();

}  // namespace tandem::text::detail
