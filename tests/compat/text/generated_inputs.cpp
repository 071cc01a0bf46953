#include "generated_inputs.hpp"

#include <array>
#include <random>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "tandem/text/utf8.hpp"

namespace tandem::test {

namespace {

std::string utf8(char32_t cp) {
  char buf[4];
  return std::string(buf, text::encode_utf8(cp, buf));
}

bool swept(char32_t cp) {
  if (cp >= 0xD800 && cp <= 0xDFFF) return false;  // not encodable
  if (cp == '\n' || cp == '\r') return false;      // would end the line
  const char32_t plane = cp >> 16;
  if (plane == 0 || plane == 1 || plane == 14) return true;
  if (plane == 2) return cp % 4 == 0;
  return cp % 64 == 0 || (cp & 0xFFFF) >= 0xFFFE;
}

}  // namespace

std::string unicode_sweep_topics() {
  // Each context puts X next to what could join it: letters (WB5-7), digits (WB8-12), Hebrew
  // (WB7a-c), katakana (WB13), Thai (Complex_Context runs), ExtendNumLet (WB13a/b), and the parts
  // of emoji sequences (ZWJ, modifiers, keycaps, flags, tags).
  static constexpr std::array<std::string_view, 22> kContexts = {"X",
                                                                 "qXz",
                                                                 "qX",
                                                                 "7X8",
                                                                 "7X",
                                                                 "XX",
                                                                 "XXX",
                                                                 "\u05D0X\u05D1",
                                                                 "\u05D0X",
                                                                 "\u30A2X\u30A4",
                                                                 "\u0E01X",
                                                                 "_X_",
                                                                 "X\u0301",
                                                                 "X\u200D\U0001F600",
                                                                 "\U0001F600X\U0001F600",
                                                                 "\U0001F600X",
                                                                 "X\U0001F3FB",
                                                                 "\u261DX",
                                                                 "#X",
                                                                 "X\u20E3",
                                                                 "\U0001F3F4X\U000E007F",
                                                                 "\U0001F1E6X"};
  std::string out;
  for (char32_t cp = 0; cp < 0x110000; ++cp) {
    if (!swept(cp)) continue;
    const std::string x = utf8(cp);
    out += fmt::format("U+{:04X}\t", static_cast<std::uint32_t>(cp));
    for (std::string_view context : kContexts) {
      for (char c : context) {
        if (c == 'X') {
          out += x;
        } else {
          out += c;
        }
      }
      out += ' ';
    }
    out += '\n';
  }
  return out;
}

namespace {

// Pieces of text a line is assembled from.
const std::vector<std::string_view>& pieces() {
  static const std::vector<std::string_view> kPieces = {
      // English words, including the classic Porter examples and stop words.
      "a", "e", "s", "y", "Z", "hello", "World", "THE", "The", "running", "happiness", "relational",
      "conditional", "rational", "valenci", "hesitanci", "digitizer", "conformabli", "radicalli",
      "differentli", "vileli", "analogousli", "vietnamization", "predication", "operator",
      "feudalism", "decisiveness", "hopefulness", "callousness", "formaliti", "sensitiviti",
      "sensibiliti", "triplicate", "formative", "formalize", "electriciti", "electrical", "hopeful",
      "goodness", "revival", "allowance", "inference", "airliner", "gyroscopic", "adjustable",
      "defensible", "irritant", "replacement", "adjustment", "dependent", "adoption", "homologou",
      "communism", "activate", "angulariti", "homologous", "effective", "bowdlerize", "probate",
      "rate", "cease", "controll", "roll", "caresses", "ponies", "ties", "caress", "cats", "feed",
      "agreed", "disabled", "matting", "mating", "meeting", "milling", "messing", "meetings",
      "happy", "sky", "generalizations", "oscillators", "archaeology", "analogies", "syllogism",
      "fly", "flies", "dying", "sing", "is", "as", "was", "yes", "by", "an", "and", "not", "such",
      "will", "ion", "aed", "eed", "oed", "ies", "sss", "yyy", "Ying", "eying", "xyz", "iz", "bl",
      "at", "ize",
      // Other scripts, case mappings, digits.
      "\u00E9", "\u00C9", "na\u00EFve", "Stra\u00DFe", "\u1E9E", "\u0130stanbul",
      "\u03A3\u038A\u03A3\u03A5\u03A6\u039F\u03A3", "\u2126mega", "\u212A", "\u13A0", "\u01C4",
      "\u01C5", "\u023A", "\u041C\u043E\u0441\u043A\u0432\u0430", "\u05E9\u05DC\u05D5\u05DD",
      "\u05D0", "\u05D1", "\u0639\u0631\u0628\u064A", "\u0661\u0662\u0663", "\u066B", "\u066C",
      "\u0939\u093F\u0928\u094D\u0926\u0940", "\u0E20\u0E32\u0E29\u0E32\u0E44\u0E17\u0E22",
      "\u0EA5\u0EB2\u0EA7", "\u1019\u103C\u1014\u103A\u1019\u102C",
      "\u1781\u17D2\u1798\u17C2\u179A", "\u4E2D\u6587", "\u5B57", "\u3072\u3089\u304C\u306A",
      "\u309F", "\u30AB\u30BF\u30AB\u30CA", "\uFF76\uFF80\uFF76\uFF85", "\u30FC",
      "\uD55C\uAD6D\uC5B4", "\u1100", "\U00010330\U00010331", "\U00010400\U00010401",
      "\U0001D400\U0001D401", "\U00020000", "\uA66E", "\u3005", "\u3007", "0", "1", "42", "3.14",
      "1,000.50", "2.5x", "\uFF11\uFF12", "\u0663", "\u0967\u0968", "v1.2.3", "U.S.A.", "e-mail",
      "foo_bar", "test@example.com", "http://x.org/a?b=c",
      // Punctuation of every word-break class.
      ".", ",", "'", "\"", ":", ";", "_", "-", "@", "/", "\u2019", "\u2018", "\uFF07", "\u2027",
      "\u00B7", "\uFF0E", "\uFF0C", "\uFE50", "\u2025", "\u2026", "!", "?", "(", ")", "&", "#", "*",
      "+", "%", "\\", "\u203F", "\u202F", "\u2019s", "'s", "'S", "\uFF07s", "\u02D7", "\u055F",
      "\u055A",
      // Emoji and their parts.
      "\U0001F600", "\U0001F44D", "\U0001F3FB", "\U0001F3FF", "\u261D", "\u2764", "\uFE0F",
      "\uFE0E", "\u200D", "\u20E3", "\u00A9", "\u00AE", "\u2122", "\u3030", "\u303D", "\U0001F1FA",
      "\U0001F1F8", "\U0001F1EC", "\U0001F3F4", "\U000E0067", "\U000E0062", "\U000E007F",
      "\U0001F468\u200D\U0001F469\u200D\U0001F467", "1\uFE0F\u20E3", "#\u20E3", "\u2139", "\u24C2",
      "\U0001F170", "\U0001F004", "\U0001F937\u200D\u2640\uFE0F",
      "\U0001F9D1\U0001F3FD\u200D\U0001F680", "\U0001FB00", "\U0001F9FF", "\U0001FA70",
      // Format and extend characters.
      "\u0301", "\u0308", "\u00AD", "\u200B", "\u200C", "\u200E", "\uFEFF", "\u2060", "\u0E31",
      "\U0001D165", "\u1CF2", "\U000111C9",
      // Java whitespace and look-alikes that are not.
      " ", "  ", "\t", "\u00A0", "\u3000", "\u2028", "\u0085", "\u180E", "\u2007", "\u1680", "\x1F",
      "\x0B",
      // Malformed UTF-8 and control characters.
      "\xC3", "\xE2\x82", "\xF0\x9F\x98", "\xED\xA0\x80", "\xC0\xAF", "\xFF", "\x80",
      "\xF4\x90\x80\x80", "\xE0\x80\x80", "\xEF\xBF\xBD", "\x01", "\x7F"};
  return kPieces;
}

// A run near or over 255 UTF-16 units of one kind of word character, with punctuation, marks or
// supplementary characters sprinkled in, most of them around the cut.
std::string long_run(std::mt19937_64& rng) {
  static constexpr std::array<std::string_view, 9> kBases = {
      "a", "1", "\u30AB", "\u0E01", "\uD55C", "\U00010330", "e\u0301", "\u05D0", "_"};
  static constexpr std::array<std::string_view, 12> kInserts = {
      ".", "'", ",", "\U00010330", "\u0301", "_", "1", "\"", "\U0001F600", " ", "x", "\u200D"};
  const std::string_view base = kBases[rng() % kBases.size()];
  const std::size_t target = 230 + rng() % 70;  // in units of the base
  std::string run;
  for (std::size_t i = 0; i < target; ++i) {
    const bool near_cut = i >= 248 && i <= 258;
    if (rng() % (near_cut ? 3 : 40) == 0) run += kInserts[rng() % kInserts.size()];
    run += base;
  }
  return run;
}

}  // namespace

std::string random_stress_topics(int lines) {
  std::mt19937_64 rng(20240229);
  const auto& p = pieces();
  std::string out;
  for (int line = 0; line < lines; ++line) {
    out += 's';  // (not "s" + std::string: GCC 12 at -O3 warns falsely, -Wrestrict)
    out += std::to_string(line);
    out += '\t';
    const int n = 1 + static_cast<int>(rng() % 30);
    for (int i = 0; i < n; ++i) {
      if (rng() % 25 == 0) {
        out += long_run(rng);
      } else {
        out += p[rng() % p.size()];
      }
      if (rng() % 2 == 0) out += ' ';
    }
    out += '\n';
  }
  return out;
}

}  // namespace tandem::test
