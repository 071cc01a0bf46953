// The grammar of Lucene 8.8's StandardTokenizerImpl.jflex, compiled into StandardScanner's tables.
//
// The rules below restate that grammar (UAX #29 word-break rules WB5-WB13b as its JFlex rules
// spell them, WB4's "X (Extend | Format | ZWJ)* -> X" written into every character of a rule, UTS
// #51 emoji sequences, and Lucene's own rules for South East Asian runs, Han and hiragana). Rule
// order matters: JFlex takes the longest match and, between matches of equal length, the rule that
// comes first; a match of the last rule (any one character) is dropped.
#include <algorithm>
#include <map>
#include <string>

#include "tandem/core/error.hpp"

#include "regex_dfa.hpp"
#include "standard_char_sets.hpp"
#include "standard_scanner.hpp"

namespace tandem::text::detail {

namespace {

Regex one(std::uint32_t set) {
  return any_of(ClassSet{set, 0, false});
}

// A character of `set` followed by any Extend, Format or ZWJ characters (WB4).
Regex with_extend(std::uint32_t set) {
  return seq({one(set), star(one(kExtFmtZwj))});
}

// Emoji sequences (the grammar's first rule). Emoji use a WB4 variant that leaves out the
// presentation selectors U+FE0E and U+FE0F, which the sequences consume explicitly.
Regex emoji_rule() {
  const Regex extend = star(any_of(ClassSet{kExtFmtZwj, kPresentationSel, false}));
  auto ex = [&](std::uint32_t set) { return seq({one(set), extend}); };
  const Regex zwj = one(kZwj);
  const Regex presentation = one(kEmojiPresSel);
  // emoji_character, emoji_presentation_sequence or emoji_modifier_sequence, after any ZWJs.
  const Regex element =
      alt({seq({star(zwj), ex(kEmojiChar), opt(presentation)}),
           seq({opt(seq({star(zwj), ex(kEmojiModifierBase)})), ex(kEmojiModifier)})});
  const Regex zwj_or_tag_sequence =
      seq({element, alt({star(seq({zwj, element})), seq({plus(one(kTagSpec)), one(kTagTerm)})})});
  const Regex keycap = seq({ex(kKeyCapBase), opt(presentation), ex(kKeyCap)});
  const Regex flag = seq({with_extend(kRegional), with_extend(kRegional)});
  return alt({zwj_or_tag_sequence, keycap, flag});
}

// Numbers: WB8, WB11, WB12, WB13a, WB13b.
Regex numeric_rule() {
  const Regex enl = with_extend(kExtendNumLet);
  const Regex num = with_extend(kNumeric);
  return seq(
      {star(enl), num, star(seq({alt({star(enl), with_extend(kMidNumericQ)}), num})), star(enl)});
}

// Words: WB5-WB7c, WB9, WB10, WB13, WB13a, WB13b.
Regex word_rule() {
  const Regex enl = with_extend(kExtendNumLet);
  const Regex katakana = with_extend(kKatakana);
  const Regex hebrew = with_extend(kHebrewLetter);
  const Regex num = with_extend(kNumeric);
  const Regex letter = with_extend(kAHLetter);
  const Regex katakana_run = seq({katakana, star(seq({star(enl), katakana}))});
  const Regex hebrew_quote =
      seq({hebrew, alt({with_extend(kSingleQuote), seq({with_extend(kDoubleQuote), hebrew})})});
  const Regex number = seq({num, star(seq({alt({star(enl), with_extend(kMidNumericQ)}), num}))});
  const Regex letters =
      seq({letter, star(seq({alt({star(enl), with_extend(kMidLetterQ)}), letter}))});
  const Regex body = alt({katakana_run, plus(alt({hebrew_quote, number, letters}))});
  return seq({star(enl), body, star(seq({plus(enl), body})), star(enl)});
}

// The rules in the grammar's order, with what each match becomes.
struct Rule {
  Regex regex;
  std::int8_t outcome;
};

std::vector<Rule> grammar() {
  auto type = [](TokenType t) { return static_cast<std::int8_t>(t); };
  return {
      {emoji_rule(), type(TokenType::emoji)},
      {numeric_rule(), type(TokenType::num)},
      {plus(with_extend(kHangulLetter)), type(TokenType::hangul)},  // a subset of words, for typing
      {plus(with_extend(kKatakana)), type(TokenType::katakana)},
      {word_rule(), type(TokenType::alphanum)},
      {plus(with_extend(kComplexContext)), type(TokenType::southeast_asian)},
      {with_extend(kHan), type(TokenType::ideographic)},
      {with_extend(kHiragana), type(TokenType::hiragana)},
      {any_of(ClassSet{0, 0, true}), StandardScanner::kDrop},  // WB999 and everything else
  };
}

// Renumbers the DFA's states (dead, start, the other non-accepting states, then the accepting
// ones) and stores them by offset; then finds the ASCII bytes that are always dropped alone.
void fill_transitions(const Dfa& dfa, const std::vector<Rule>& rules, StandardScanner& scanner) {
  const std::uint32_t n = dfa.num_states;
  const std::uint32_t c = dfa.num_classes;
  if (static_cast<std::uint64_t>(n) * c > 0xFFFF)
    fail(ErrorKind::limit_exceeded, "tokenizer DFA too large");
  std::vector<std::uint32_t> order{Dfa::kDead, Dfa::kStart};
  for (std::uint32_t s = 2; s < n; ++s) {
    if (dfa.accepts[s] < 0) order.push_back(s);
  }
  const auto first_accepting = static_cast<std::uint32_t>(order.size());
  for (std::uint32_t s = 2; s < n; ++s) {
    if (dfa.accepts[s] >= 0) order.push_back(s);
  }
  std::vector<std::uint32_t> number(n);
  for (std::uint32_t i = 0; i < n; ++i) number[order[i]] = i;

  scanner.next.assign(static_cast<std::size_t>(n) * c, 0);
  scanner.accepts.assign(static_cast<std::size_t>(n) * c, StandardScanner::kNotAccepting);
  for (std::uint32_t s = 0; s < n; ++s) {
    const std::uint32_t at = number[s] * c;
    for (std::uint32_t k = 0; k < c; ++k) {
      scanner.next[at + k] = static_cast<std::uint16_t>(number[dfa.next[s * c + k]] * c);
    }
    if (dfa.accepts[s] >= 0)
      scanner.accepts[at] = rules[static_cast<std::size_t>(dfa.accepts[s])].outcome;
  }
  scanner.start = static_cast<std::uint16_t>(c);
  scanner.first_accepting = static_cast<std::uint16_t>(first_accepting * c);

  for (std::uint32_t b = 0; b < 128; ++b) {
    const std::uint16_t to = scanner.next[scanner.start + scanner.ascii_class[b]];
    bool dropped_alone = scanner.accepts[to] == StandardScanner::kDrop;
    for (std::uint32_t k = 0; k < c && dropped_alone; ++k)
      dropped_alone = scanner.next[to + k] == 0;
    scanner.ascii_dropped[b] = dropped_alone;
  }
}

StandardScanner build() {
  StandardScanner scanner;

  // Input classes: code points with the same set memberships behave the same. Neighbouring code
  // points mostly share a mask, so the class list is searched only when the mask changes.
  const std::vector<CharSetMask> masks = standard_char_sets();
  std::vector<std::uint32_t> class_masks;
  std::vector<std::uint8_t> class_of(kCodePointLimit);
  CharSetMask last_mask = masks[0];
  class_masks.push_back(last_mask);
  std::uint8_t last_class = 0;
  for (char32_t c = 0; c < kCodePointLimit; ++c) {
    if (masks[c] != last_mask) {
      last_mask = masks[c];
      const auto it = std::find(class_masks.begin(), class_masks.end(), last_mask);
      if (it == class_masks.end() && class_masks.size() > 255) {
        fail(ErrorKind::limit_exceeded, "tokenizer grammar has too many character classes");
      }
      last_class = static_cast<std::uint8_t>(it - class_masks.begin());
      if (it == class_masks.end()) class_masks.push_back(last_mask);
    }
    class_of[c] = last_class;
  }
  scanner.num_classes = static_cast<std::uint32_t>(class_masks.size());
  for (char32_t c = 0; c < 128; ++c) scanner.ascii_class[c] = class_of[c];
  for (std::uint32_t b = 0; b < 256; ++b) scanner.byte_class[b] = b < 128 ? class_of[b] : 0xFF;
  scanner.letter_class = class_of['a'];
  for (char32_t c = 'A'; c <= 'z'; ++c) {
    const bool letter = (c <= 'Z') || (c >= 'a');
    if (letter && class_of[c] != class_of['a']) scanner.letter_class = 0xFF;
    if (!letter && class_of[c] == class_of['a']) scanner.letter_class = 0xFF;
  }

  // Two-stage table: identical blocks of 128 code points are stored once.
  std::map<std::string, std::uint16_t> offsets;
  for (char32_t block = 0; block < kCodePointLimit / 128; ++block) {
    const std::string entries(reinterpret_cast<const char*>(class_of.data()) + block * 128, 128);
    if (scanner.classes.size() > 0xFFFF - 128)
      fail(ErrorKind::limit_exceeded, "tokenizer class table too large");
    const auto [it, inserted] =
        offsets.emplace(entries, static_cast<std::uint16_t>(scanner.classes.size()));
    if (inserted) scanner.classes.insert(scanner.classes.end(), entries.begin(), entries.end());
    scanner.block_of.push_back(it->second);
  }

  const std::vector<Rule> rules = grammar();
  std::vector<Regex> regexes;
  regexes.reserve(rules.size());
  for (const Rule& r : rules) regexes.push_back(r.regex);
  const Dfa dfa = compile_rules(regexes, class_masks);
  fill_transitions(dfa, rules, scanner);
  return scanner;
}

}  // namespace

const StandardScanner& standard_scanner() {
  static const StandardScanner scanner = build();
  return scanner;
}

}  // namespace tandem::text::detail
