// The character sets that Lucene 8.8's StandardTokenizer grammar is written with, per code point.
// Internal to the text layer: standard_grammar.cpp turns them into the scanner's character classes.
#pragma once

#include <cstdint>
#include <vector>

namespace tandem::text::detail {

/// One bit per character set named in the grammar (StandardTokenizerImpl.jflex of Lucene 8.8, whose
/// `%unicode 9.0` makes JFlex 1.7 use Unicode 9.0 property values; the emoji sets come from
/// emoji-data.txt 11.0, which the grammar includes). A code point's mask says which sets hold it.
enum CharSet : std::uint32_t {
  kAHLetter = 1u << 0,          // [\p{WB:ALetter}\p{WB:Hebrew_Letter}]
  kHangulLetter = 1u << 1,      // [\p{Script:Hangul}&&[\p{WB:ALetter}\p{WB:Hebrew_Letter}]]
  kHebrewLetter = 1u << 2,      // \p{WB:Hebrew_Letter}
  kNumeric = 1u << 3,           // [\p{WB:Numeric}[\p{Blk:HalfAndFullForms}&&\p{Nd}]]
  kKatakana = 1u << 4,          // \p{WB:Katakana}
  kMidLetterQ = 1u << 5,        // [\p{WB:MidLetter}\p{WB:MidNumLet}\p{WB:SingleQuote}]
  kMidNumericQ = 1u << 6,       // [\p{WB:MidNum}\p{WB:MidNumLet}\p{WB:SingleQuote}]
  kExtendNumLet = 1u << 7,      // \p{WB:ExtendNumLet}
  kHan = 1u << 8,               // \p{Script:Han}
  kHiragana = 1u << 9,          // \p{Script:Hiragana}
  kSingleQuote = 1u << 10,      // \p{WB:Single_Quote}
  kDoubleQuote = 1u << 11,      // \p{WB:Double_Quote}
  kRegional = 1u << 12,         // \p{WB:Regional_Indicator}
  kComplexContext = 1u << 13,   // \p{LB:Complex_Context}
  kExtFmtZwj = 1u << 14,        // [\p{WB:Format}\p{WB:Extend}\p{WB:ZWJ}]
  kPresentationSel = 1u << 15,  // [\uFE0E\uFE0F]
  kEmojiPresSel = 1u << 16,     // \uFE0F
  kZwj = 1u << 17,              // \p{WB:ZWJ} (U+200D)
  kKeyCapBase = 1u << 18,       // [0-9#*]
  kKeyCap = 1u << 19,           // \u20E3
  kEmojiChar =
      1u << 20,  // {Extended_Pictographic} | {Emoji} minus RI, [0-9#*], [©®™〰〽], modifiers
  kEmojiModifierBase = 1u << 21,  // {Emoji_Modifier_Base}
  kEmojiModifier = 1u << 22,      // {Emoji_Modifier}
  kTagSpec = 1u << 23,            // [\u{E0020}-\u{E007E}]
  kTagTerm = 1u << 24,            // \u{E007F}
};
using CharSetMask = std::uint32_t;

inline constexpr char32_t kCodePointLimit = 0x110000;

/// The mask of every code point 0..U+10FFFF (index = code point). Built from ICU's property data
/// restricted to characters assigned by Unicode 9.0, corrected where a property value changed
/// after 9.0, plus emoji-data 11.0. Slow (milliseconds); called once to build the scanner tables.
std::vector<CharSetMask> standard_char_sets();

}  // namespace tandem::text::detail
