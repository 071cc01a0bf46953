// Per-code-point membership in the character sets of Lucene 8.8's StandardTokenizer grammar.
//
// Which Unicode version. StandardTokenizerImpl.jflex (Lucene 7.3 to 8.11) declares `%unicode 9.0`,
// so JFlex 1.7 resolves \p{WB:...}, \p{Script:...}, \p{LB:Complex_Context}, \p{Blk:...} and \p{Nd}
// with Unicode 9.0 data, and the emoji sets come from emoji-data.txt 11.0 (the grammar includes
// them as UnicodeEmojiProperties.jflex). Debian's ICU 72 carries Unicode 15.0, so we take ICU's
// values for the characters assigned by Unicode 9.0 (`\p{Age=9.0}`; later characters are word-break
// "Other", which the grammar drops) and correct the few values that changed after 9.0:
//
//   - U+02C2..02C5, 02D2..02D6, 02DE..02DF, 02E5..02EB, 02ED, 02EF..02FF (modifier-letter symbols),
//     U+055A..055C, 055E, 058A (Armenian punctuation), U+A708..A716, A720..A721, A789..A78A, AB5B:
//     ALetter from Unicode 10/11 on, Other in 9.0.
//   - U+02D7 MODIFIER LETTER MINUS SIGN: MidLetter in 9.0, ALetter later.
//   - U+055F ARMENIAN ABBREVIATION MARK: Other in 9.0, MidLetter later.
//   - U+1CF2..1CF3 VEDIC SIGN ARDHAVISARGA, ROTATED ARDHAVISARGA: spacing marks (Extend) in 9.0,
//     letters (ALetter) from 10.0.
//   - U+111C9 SHARADA SANDHI MARK: punctuation (Other) in 9.0, a nonspacing mark (Extend) later.
//   - U+1F3FB..1F3FF (skin-tone modifiers): WB=E_Modifier in 9.0, Extend from 11.0; the grammar
//     sees them only as {Emoji_Modifier}.
//
// Every code point's resulting class was checked against the character map of Lucene 8.8.1's
// compiled scanner, and the compat test's Unicode sweep checks the behaviour against Lucene itself.
#include "standard_char_sets.hpp"

#include <string>

#include <unicode/uniset.h>
#include <unicode/unistr.h>

#include "tandem/core/error.hpp"

namespace tandem::text::detail {

namespace {

struct Range {
  char32_t first;
  char32_t last;
};

// emoji-data.txt 11.0 (https://unicode.org/Public/emoji/11.0/emoji-data.txt), property Emoji.
constexpr Range kEmoji11[] = {
    {0x23, 0x23},       {0x2A, 0x2A},       {0x30, 0x39},       {0xA9, 0xA9},
    {0xAE, 0xAE},       {0x203C, 0x203C},   {0x2049, 0x2049},   {0x2122, 0x2122},
    {0x2139, 0x2139},   {0x2194, 0x2199},   {0x21A9, 0x21AA},   {0x231A, 0x231B},
    {0x2328, 0x2328},   {0x23CF, 0x23CF},   {0x23E9, 0x23F3},   {0x23F8, 0x23FA},
    {0x24C2, 0x24C2},   {0x25AA, 0x25AB},   {0x25B6, 0x25B6},   {0x25C0, 0x25C0},
    {0x25FB, 0x25FE},   {0x2600, 0x2604},   {0x260E, 0x260E},   {0x2611, 0x2611},
    {0x2614, 0x2615},   {0x2618, 0x2618},   {0x261D, 0x261D},   {0x2620, 0x2620},
    {0x2622, 0x2623},   {0x2626, 0x2626},   {0x262A, 0x262A},   {0x262E, 0x262F},
    {0x2638, 0x263A},   {0x2640, 0x2640},   {0x2642, 0x2642},   {0x2648, 0x2653},
    {0x265F, 0x2660},   {0x2663, 0x2663},   {0x2665, 0x2666},   {0x2668, 0x2668},
    {0x267B, 0x267B},   {0x267E, 0x267F},   {0x2692, 0x2697},   {0x2699, 0x2699},
    {0x269B, 0x269C},   {0x26A0, 0x26A1},   {0x26AA, 0x26AB},   {0x26B0, 0x26B1},
    {0x26BD, 0x26BE},   {0x26C4, 0x26C5},   {0x26C8, 0x26C8},   {0x26CE, 0x26CF},
    {0x26D1, 0x26D1},   {0x26D3, 0x26D4},   {0x26E9, 0x26EA},   {0x26F0, 0x26F5},
    {0x26F7, 0x26FA},   {0x26FD, 0x26FD},   {0x2702, 0x2702},   {0x2705, 0x2705},
    {0x2708, 0x270D},   {0x270F, 0x270F},   {0x2712, 0x2712},   {0x2714, 0x2714},
    {0x2716, 0x2716},   {0x271D, 0x271D},   {0x2721, 0x2721},   {0x2728, 0x2728},
    {0x2733, 0x2734},   {0x2744, 0x2744},   {0x2747, 0x2747},   {0x274C, 0x274C},
    {0x274E, 0x274E},   {0x2753, 0x2755},   {0x2757, 0x2757},   {0x2763, 0x2764},
    {0x2795, 0x2797},   {0x27A1, 0x27A1},   {0x27B0, 0x27B0},   {0x27BF, 0x27BF},
    {0x2934, 0x2935},   {0x2B05, 0x2B07},   {0x2B1B, 0x2B1C},   {0x2B50, 0x2B50},
    {0x2B55, 0x2B55},   {0x3030, 0x3030},   {0x303D, 0x303D},   {0x3297, 0x3297},
    {0x3299, 0x3299},   {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF}, {0x1F170, 0x1F171},
    {0x1F17E, 0x1F17F}, {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F1E6, 0x1F1FF},
    {0x1F201, 0x1F202}, {0x1F21A, 0x1F21A}, {0x1F22F, 0x1F22F}, {0x1F232, 0x1F23A},
    {0x1F250, 0x1F251}, {0x1F300, 0x1F321}, {0x1F324, 0x1F393}, {0x1F396, 0x1F397},
    {0x1F399, 0x1F39B}, {0x1F39E, 0x1F3F0}, {0x1F3F3, 0x1F3F5}, {0x1F3F7, 0x1F4FD},
    {0x1F4FF, 0x1F53D}, {0x1F549, 0x1F54E}, {0x1F550, 0x1F567}, {0x1F56F, 0x1F570},
    {0x1F573, 0x1F57A}, {0x1F587, 0x1F587}, {0x1F58A, 0x1F58D}, {0x1F590, 0x1F590},
    {0x1F595, 0x1F596}, {0x1F5A4, 0x1F5A5}, {0x1F5A8, 0x1F5A8}, {0x1F5B1, 0x1F5B2},
    {0x1F5BC, 0x1F5BC}, {0x1F5C2, 0x1F5C4}, {0x1F5D1, 0x1F5D3}, {0x1F5DC, 0x1F5DE},
    {0x1F5E1, 0x1F5E1}, {0x1F5E3, 0x1F5E3}, {0x1F5E8, 0x1F5E8}, {0x1F5EF, 0x1F5EF},
    {0x1F5F3, 0x1F5F3}, {0x1F5FA, 0x1F64F}, {0x1F680, 0x1F6C5}, {0x1F6CB, 0x1F6D2},
    {0x1F6E0, 0x1F6E5}, {0x1F6E9, 0x1F6E9}, {0x1F6EB, 0x1F6EC}, {0x1F6F0, 0x1F6F0},
    {0x1F6F3, 0x1F6F9}, {0x1F910, 0x1F93A}, {0x1F93C, 0x1F93E}, {0x1F940, 0x1F945},
    {0x1F947, 0x1F970}, {0x1F973, 0x1F976}, {0x1F97A, 0x1F97A}, {0x1F97C, 0x1F9A2},
    {0x1F9B0, 0x1F9B9}, {0x1F9C0, 0x1F9C2}, {0x1F9D0, 0x1F9FF},
};

// emoji-data.txt 11.0, property Emoji_Modifier.
constexpr Range kEmojiModifier11[] = {{0x1F3FB, 0x1F3FF}};

// emoji-data.txt 11.0, property Emoji_Modifier_Base.
constexpr Range kEmojiModifierBase11[] = {
    {0x261D, 0x261D},   {0x26F9, 0x26F9},   {0x270A, 0x270D},   {0x1F385, 0x1F385},
    {0x1F3C2, 0x1F3C4}, {0x1F3C7, 0x1F3C7}, {0x1F3CA, 0x1F3CC}, {0x1F442, 0x1F443},
    {0x1F446, 0x1F450}, {0x1F466, 0x1F469}, {0x1F46E, 0x1F46E}, {0x1F470, 0x1F478},
    {0x1F47C, 0x1F47C}, {0x1F481, 0x1F483}, {0x1F485, 0x1F487}, {0x1F4AA, 0x1F4AA},
    {0x1F574, 0x1F575}, {0x1F57A, 0x1F57A}, {0x1F590, 0x1F590}, {0x1F595, 0x1F596},
    {0x1F645, 0x1F647}, {0x1F64B, 0x1F64F}, {0x1F6A3, 0x1F6A3}, {0x1F6B4, 0x1F6B6},
    {0x1F6C0, 0x1F6C0}, {0x1F6CC, 0x1F6CC}, {0x1F918, 0x1F91C}, {0x1F91E, 0x1F91F},
    {0x1F926, 0x1F926}, {0x1F930, 0x1F939}, {0x1F93D, 0x1F93E}, {0x1F9B5, 0x1F9B6},
    {0x1F9B8, 0x1F9B9}, {0x1F9D1, 0x1F9DD},
};

// emoji-data.txt 11.0, property Extended_Pictographic (includes unassigned code points that
// Unicode 11 reserved for future pictographs).
constexpr Range kExtendedPictographic11[] = {
    {0xA9, 0xA9},       {0xAE, 0xAE},       {0x203C, 0x203C},   {0x2049, 0x2049},
    {0x2122, 0x2122},   {0x2139, 0x2139},   {0x2194, 0x2199},   {0x21A9, 0x21AA},
    {0x231A, 0x231B},   {0x2328, 0x2328},   {0x2388, 0x2388},   {0x23CF, 0x23CF},
    {0x23E9, 0x23F3},   {0x23F8, 0x23FA},   {0x24C2, 0x24C2},   {0x25AA, 0x25AB},
    {0x25B6, 0x25B6},   {0x25C0, 0x25C0},   {0x25FB, 0x25FE},   {0x2600, 0x2605},
    {0x2607, 0x2612},   {0x2614, 0x2685},   {0x2690, 0x2705},   {0x2708, 0x2712},
    {0x2714, 0x2714},   {0x2716, 0x2716},   {0x271D, 0x271D},   {0x2721, 0x2721},
    {0x2728, 0x2728},   {0x2733, 0x2734},   {0x2744, 0x2744},   {0x2747, 0x2747},
    {0x274C, 0x274C},   {0x274E, 0x274E},   {0x2753, 0x2755},   {0x2757, 0x2757},
    {0x2763, 0x2767},   {0x2795, 0x2797},   {0x27A1, 0x27A1},   {0x27B0, 0x27B0},
    {0x27BF, 0x27BF},   {0x2934, 0x2935},   {0x2B05, 0x2B07},   {0x2B1B, 0x2B1C},
    {0x2B50, 0x2B50},   {0x2B55, 0x2B55},   {0x3030, 0x3030},   {0x303D, 0x303D},
    {0x3297, 0x3297},   {0x3299, 0x3299},   {0x1F000, 0x1F0FF}, {0x1F10D, 0x1F10F},
    {0x1F12F, 0x1F12F}, {0x1F16C, 0x1F171}, {0x1F17E, 0x1F17F}, {0x1F18E, 0x1F18E},
    {0x1F191, 0x1F19A}, {0x1F1AD, 0x1F1E5}, {0x1F201, 0x1F20F}, {0x1F21A, 0x1F21A},
    {0x1F22F, 0x1F22F}, {0x1F232, 0x1F23A}, {0x1F23C, 0x1F23F}, {0x1F249, 0x1F3FA},
    {0x1F400, 0x1F53D}, {0x1F546, 0x1F64F}, {0x1F680, 0x1F6FF}, {0x1F774, 0x1F77F},
    {0x1F7D5, 0x1F7FF}, {0x1F80C, 0x1F80F}, {0x1F848, 0x1F84F}, {0x1F85A, 0x1F85F},
    {0x1F888, 0x1F88F}, {0x1F8AE, 0x1F8FF}, {0x1F90C, 0x1F93A}, {0x1F93C, 0x1F945},
    {0x1F947, 0x1FFFD},
};

// Word-break values of Unicode 9.0 that differ from ICU 72's (see the file comment).
constexpr Range kOtherIn9[] = {
    {0x02C2, 0x02C5}, {0x02D2, 0x02D6}, {0x02DE, 0x02DF}, {0x02E5, 0x02EB},   {0x02ED, 0x02ED},
    {0x02EF, 0x02FF}, {0x055A, 0x055C}, {0x055E, 0x055F}, {0x058A, 0x058A},   {0xA708, 0xA716},
    {0xA720, 0xA721}, {0xA789, 0xA78A}, {0xAB5B, 0xAB5B}, {0x111C9, 0x111C9},
};
constexpr Range kMidLetterIn9[] = {{0x02D7, 0x02D7}};
constexpr Range kExtendIn9[] = {{0x1CF2, 0x1CF3}};
constexpr Range kNotExtendIn9[] = {{0x1F3FB, 0x1F3FF}};

icu::UnicodeSet icu_pattern(const std::string& pattern) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeSet set(icu::UnicodeString::fromUTF8(pattern), status);
  if (U_FAILURE(status)) {
    fail(ErrorKind::unsupported, "ICU cannot build the Unicode set {}: {}", pattern,
         u_errorName(status));
  }
  return set;
}

// ICU property sets restricted to the characters assigned by Unicode 9.0.
class Unicode9Sets {
 public:
  Unicode9Sets() : assigned_(icu_pattern("[:Age=9.0:]")) {}
  icu::UnicodeSet operator()(const char* property) const {
    icu::UnicodeSet set = icu_pattern(property);
    set.retainAll(assigned_);
    return set;
  }

 private:
  icu::UnicodeSet assigned_;
};

void add(std::vector<CharSetMask>& masks, const icu::UnicodeSet& set, CharSetMask bits) {
  for (int32_t i = 0; i < set.getRangeCount(); ++i) {
    for (UChar32 c = set.getRangeStart(i); c <= set.getRangeEnd(i); ++c)
      masks[static_cast<std::size_t>(c)] |= bits;
  }
}

template <std::size_t N>
void add(std::vector<CharSetMask>& masks, const Range (&ranges)[N], CharSetMask bits) {
  for (const Range& r : ranges) {
    for (char32_t c = r.first; c <= r.last; ++c) masks[c] |= bits;
  }
}

template <std::size_t N>
void remove(std::vector<CharSetMask>& masks, const Range (&ranges)[N], CharSetMask bits) {
  for (const Range& r : ranges) {
    for (char32_t c = r.first; c <= r.last; ++c) masks[c] &= ~bits;
  }
}

void add_word_break_sets(std::vector<CharSetMask>& m, const Unicode9Sets& icu_set) {
  add(m, icu_set("[\\p{WB=ALetter}\\p{WB=Hebrew_Letter}]"), kAHLetter);
  add(m, icu_set("\\p{WB=Hebrew_Letter}"), kHebrewLetter);
  add(m, icu_set("[\\p{WB=Numeric}[\\p{Block=Halfwidth_And_Fullwidth_Forms}&\\p{Nd}]]"), kNumeric);
  add(m, icu_set("\\p{WB=Katakana}"), kKatakana);
  add(m, icu_set("[\\p{WB=MidLetter}\\p{WB=MidNumLet}\\p{WB=Single_Quote}]"), kMidLetterQ);
  add(m, icu_set("[\\p{WB=MidNum}\\p{WB=MidNumLet}\\p{WB=Single_Quote}]"), kMidNumericQ);
  add(m, icu_set("\\p{WB=ExtendNumLet}"), kExtendNumLet);
  add(m, icu_set("\\p{WB=Single_Quote}"), kSingleQuote);
  add(m, icu_set("\\p{WB=Double_Quote}"), kDoubleQuote);
  add(m, icu_set("\\p{WB=Regional_Indicator}"), kRegional);
  add(m, icu_set("[\\p{WB=Format}\\p{WB=Extend}\\p{WB=ZWJ}]"), kExtFmtZwj);
  add(m, icu_set("\\p{WB=ZWJ}"), kZwj);

  // The values that changed after Unicode 9.0.
  constexpr CharSetMask kWordBreakBits = kAHLetter | kHebrewLetter | kNumeric | kKatakana |
                                         kMidLetterQ | kMidNumericQ | kExtendNumLet | kSingleQuote |
                                         kDoubleQuote | kRegional | kExtFmtZwj | kZwj;
  remove(m, kOtherIn9, kWordBreakBits);
  remove(m, kMidLetterIn9, kWordBreakBits);
  add(m, kMidLetterIn9, kMidLetterQ);
  remove(m, kExtendIn9, kWordBreakBits);
  add(m, kExtendIn9, kExtFmtZwj);
  remove(m, kNotExtendIn9, kExtFmtZwj);
}

void add_script_sets(std::vector<CharSetMask>& m, const Unicode9Sets& icu_set) {
  add(m, icu_set("\\p{Script=Han}"), kHan);
  add(m, icu_set("\\p{Script=Hiragana}"), kHiragana);
  add(m, icu_set("\\p{Script=Hangul}"), kHangulLetter);
  add(m, icu_set("\\p{Line_Break=Complex_Context}"), kComplexContext);
  for (CharSetMask& mask : m) {
    // HangulEx is [\p{Script:Hangul}&&[\p{WB:ALetter}\p{WB:Hebrew_Letter}]].
    if ((mask & kAHLetter) == 0) mask &= ~kHangulLetter;
    // On a letter the Han bit changes nothing (the WORD rule comes before IDEOGRAPHIC and matches
    // every string IDEOGRAPHIC matches there); JFlex's table has no such code point (U+3005 and
    // U+303B are ALetter), so we drop it to keep our classes identical to the scanner's.
    if ((mask & kAHLetter) != 0) mask &= ~kHan;
  }
}

void add_emoji_sets(std::vector<CharSetMask>& m) {
  for (char32_t c : {0xFE0Eu, 0xFE0Fu}) m[c] |= kPresentationSel;
  m[0xFE0F] |= kEmojiPresSel;
  for (char32_t c : {U'0', U'1', U'2', U'3', U'4', U'5', U'6', U'7', U'8', U'9', U'#', U'*'})
    m[c] |= kKeyCapBase;
  m[0x20E3] |= kKeyCap;
  for (char32_t c = 0xE0020; c <= 0xE007E; ++c) m[c] |= kTagSpec;
  m[0xE007F] |= kTagTerm;
  add(m, kEmojiModifierBase11, kEmojiModifierBase);
  add(m, kEmojiModifier11, kEmojiModifier);

  // EmojiChar = Extended_Pictographic | (Emoji minus RI, [0-9#*], [©®™〰〽] and Emoji_Modifier).
  for (const Range& r : kEmoji11) {
    for (char32_t c = r.first; c <= r.last; ++c) {
      const bool rkam = (m[c] & (kRegional | kKeyCapBase | kEmojiModifier)) != 0 || c == 0xA9 ||
                        c == 0xAE || c == 0x2122 || c == 0x3030 || c == 0x303D;
      if (!rkam) m[c] |= kEmojiChar;
    }
  }
  add(m, kExtendedPictographic11, kEmojiChar);
}

}  // namespace

std::vector<CharSetMask> standard_char_sets() {
  std::vector<CharSetMask> masks(kCodePointLimit, 0);
  const Unicode9Sets icu_set;
  add_word_break_sets(masks, icu_set);
  add_script_sets(masks, icu_set);
  add_emoji_sets(masks);
  return masks;
}

}  // namespace tandem::text::detail
