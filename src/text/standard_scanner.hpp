// The tables that drive StandardTokenizer: character -> input class, and the grammar's DFA.
// Internal to the text layer; built once per process by standard_grammar.cpp.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "tandem/text/standard_tokenizer.hpp"

namespace tandem::text::detail {

/// The DFA's states are addressed by offset (state number * num_classes), so that a transition is
/// one load: next[offset + class] is the next state's offset. Offset 0 is the dead state and
/// `start` the start state; the accepting states are numbered last, so "offset >= first_accepting"
/// tells whether a state accepts without a load.
struct StandardScanner {
  /// What an accepting state does with its match: one of the TokenType values, or drop it.
  static constexpr std::int8_t kNotAccepting = -1;
  static constexpr std::int8_t kDrop = 8;  // the grammar's last rule `[^]`: skip one character

  std::array<std::uint8_t, 128> ascii_class{};
  /// ascii_class for bytes below 0x80 and 0xFF (no class) for the others: runs of ASCII bytes of
  /// one class on which a state loops to itself are consumed without the DFA.
  std::array<std::uint8_t, 256> byte_class{};
  /// The class of the ASCII letters A-Z, a-z when they all share one (they do: ALetter), else 0xFF;
  /// runs of letters are then found 8 bytes at a time.
  std::uint32_t letter_class = 0xFF;
  /// ASCII bytes that always make a match of their own that is dropped (space, most punctuation):
  /// the scanner can step over them without running the DFA.
  std::array<bool, 128> ascii_dropped{};
  std::vector<std::uint16_t>
      block_of;                       // code point >> 7 -> offset of its 128-entry block in classes
  std::vector<std::uint8_t> classes;  // blocks of input classes
  std::uint32_t num_classes = 0;
  std::vector<std::uint16_t> next;    // next[offset + class] = offset of the next state
  std::vector<std::int8_t> accepts;   // accepts[offset]: a TokenType, kDrop or kNotAccepting
  std::uint16_t start = 0;            // offset of the start state
  std::uint16_t first_accepting = 0;  // offset of the first accepting state

  std::uint8_t class_of(char32_t cp) const { return classes[block_of[cp >> 7] + (cp & 127)]; }
};

/// The scanner of Lucene 8.8's StandardTokenizerImpl grammar; built on first use, thread-safe.
const StandardScanner& standard_scanner();

}  // namespace tandem::text::detail
