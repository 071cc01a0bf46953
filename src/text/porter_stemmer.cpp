// Porter stemmer with the behaviour of Lucene 8.8's PorterStemmer (see porter_stemmer.hpp). The
// steps are named after the paper (1a, 1b, 1c, 2, 3, 4, 5a, 5b); Lucene numbers them step1..step6.
#include "tandem/text/porter_stemmer.hpp"

#include <array>
#include <string_view>
#include <vector>

#include "tandem/text/utf8.hpp"

namespace tandem::text {

namespace {

struct Rule {
  char key;  // the letter the rule is filed under (second-to-last or last letter of the word)
  std::string_view suffix;
  std::string_view replacement;
};

// Step 2, filed under the second-to-last letter; the first suffix found ends the step.
constexpr std::array<Rule, 21> kStep2 = {{
    {'a', "ational", "ate"}, {'a', "tional", "tion"}, {'c', "enci", "ence"},
    {'c', "anci", "ance"},   {'e', "izer", "ize"},    {'l', "bli", "ble"},
    {'l', "alli", "al"},     {'l', "entli", "ent"},   {'l', "eli", "e"},
    {'l', "ousli", "ous"},   {'o', "ization", "ize"}, {'o', "ation", "ate"},
    {'o', "ator", "ate"},    {'s', "alism", "al"},    {'s', "iveness", "ive"},
    {'s', "fulness", "ful"}, {'s', "ousness", "ous"}, {'t', "aliti", "al"},
    {'t', "iviti", "ive"},   {'t', "biliti", "ble"},  {'g', "logi", "log"},
}};

// Step 3, filed under the last letter.
constexpr std::array<Rule, 7> kStep3 = {{
    {'e', "icate", "ic"},
    {'e', "ative", ""},
    {'e', "alize", "al"},
    {'i', "iciti", "ic"},
    {'l', "ical", "ic"},
    {'l', "ful", ""},
    {'s', "ness", ""},
}};

// Step 4, filed under the second-to-last letter; a match is removed when m() > 1. "ion" counts only
// after 's' or 't'.
constexpr std::array<Rule, 19> kStep4 = {{
    {'a', "al", ""},   {'c', "ance", ""}, {'c', "ence", ""}, {'e', "er", ""},    {'i', "ic", ""},
    {'l', "able", ""}, {'l', "ible", ""}, {'n', "ant", ""},  {'n', "ement", ""}, {'n', "ment", ""},
    {'n', "ent", ""},  {'o', "ion", ""},  {'o', "ou", ""},   {'s', "ism", ""},   {'t', "ate", ""},
    {'t', "iti", ""},  {'u', "ous", ""},  {'v', "ive", ""},  {'z', "ize", ""},
}};

// The word being stemmed: units b[0..k]; j marks the end of the stem before a matched suffix.
template <typename Unit>
class Word {
 public:
  Word(Unit* b, int length) : b_(b), k_(length - 1) {}

  int stem() {
    if (k_ > 1) {  // words of one or two units are left alone
      step1ab();
      step1c();
      step2();
      step3();
      step4();
      step5();
    }
    return k_ + 1;
  }

 private:
  static bool is_vowel_letter(Unit c) {
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
  }

  // b[i] is a consonant: not a, e, i, o, u, and not a 'y' that follows a consonant.
  bool consonant(int i) const {
    if (is_vowel_letter(b_[i])) return false;
    if (b_[i] != 'y') return true;
    return i == 0 || !consonant(i - 1);
  }

  // m: the number of vowel-consonant sequences in b[0..j] (the word is [C](VC)^m[V]).
  int measure() const {
    int m = 0;
    bool previous_vowel = false;
    for (int i = 0; i <= j_; ++i) {
      const bool c = consonant(i);
      if (c && previous_vowel) ++m;
      previous_vowel = !c;
    }
    return m;
  }

  bool vowel_in_stem() const {
    for (int i = 0; i <= j_; ++i) {
      if (!consonant(i)) return true;
    }
    return false;
  }

  bool double_consonant(int i) const { return i >= 1 && b_[i] == b_[i - 1] && consonant(i); }

  // b[i-2..i] is consonant-vowel-consonant and b[i] is not w, x or y (cav(e), lov(e), hop(e)).
  bool cvc(int i) const {
    if (i < 2 || !consonant(i) || consonant(i - 1) || !consonant(i - 2)) return false;
    return b_[i] != 'w' && b_[i] != 'x' && b_[i] != 'y';
  }

  // The word ends with `s`; if so, j is set to the end of the stem before it.
  bool ends(std::string_view s) {
    const int length = static_cast<int>(s.size());
    const int from = k_ - length + 1;
    if (from < 0) return false;
    for (int i = 0; i < length; ++i) {
      if (b_[from + i] != static_cast<Unit>(s[static_cast<std::size_t>(i)])) return false;
    }
    j_ = k_ - length;
    return true;
  }

  // Replaces b[j+1..k] with `s`.
  void set_to(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i)
      b_[j_ + 1 + static_cast<int>(i)] = static_cast<Unit>(s[i]);
    k_ = j_ + static_cast<int>(s.size());
  }

  // Plurals, then -eed, -ed, -ing.
  void step1ab() {
    if (b_[k_] == 's') {
      if (ends("sses")) {
        k_ -= 2;
      } else if (ends("ies")) {
        set_to("i");
      } else if (b_[k_ - 1] != 's') {
        --k_;
      }
    }
    if (ends("eed")) {
      if (measure() > 0) --k_;
    } else if ((ends("ed") || ends("ing")) && vowel_in_stem()) {
      k_ = j_;
      if (ends("at")) {
        set_to("ate");
      } else if (ends("bl")) {
        set_to("ble");
      } else if (ends("iz")) {
        set_to("ize");
      } else if (double_consonant(k_)) {
        const Unit last = b_[k_];
        if (last != 'l' && last != 's' && last != 'z') --k_;
      } else if (measure() == 1 && cvc(k_)) {
        set_to("e");
      }
    }
  }

  // Terminal y to i when the stem has a vowel.
  void step1c() {
    if (ends("y") && vowel_in_stem()) b_[k_] = 'i';
  }

  template <std::size_t N>
  void replace_first(const std::array<Rule, N>& rules, Unit key) {
    for (const Rule& r : rules) {
      if (r.key == key && ends(r.suffix)) {
        if (measure() > 0) set_to(r.replacement);
        return;
      }
    }
  }

  // Double suffixes to single ones (-ization -> -ize ...), when m() > 0 before the suffix.
  void step2() {
    if (k_ == 0) return;
    replace_first(kStep2, b_[k_ - 1]);
  }

  // -ic-, -full, -ness etc., when m() > 0.
  void step3() { replace_first(kStep3, b_[k_]); }

  // -ant, -ence etc., when m() > 1.
  void step4() {
    if (k_ == 0) return;
    const Unit key = b_[k_ - 1];
    for (const Rule& r : kStep4) {
      if (r.key != key || !ends(r.suffix)) continue;
      if (r.suffix == "ion" && !(j_ >= 0 && (b_[j_] == 's' || b_[j_] == 't'))) continue;
      if (measure() > 1) k_ = j_;
      return;
    }
  }

  // A final -e when m() > 1 (or m() = 1 and not *o), then -ll to -l when m() > 1.
  void step5() {
    j_ = k_;
    if (b_[k_] == 'e') {
      const int m = measure();
      if (m > 1 || (m == 1 && !cvc(k_ - 1))) --k_;
    }
    if (b_[k_] == 'l' && double_consonant(k_) && measure() > 1) --k_;
  }

  Unit* b_;
  int k_;      // index of the last unit
  int j_ = 0;  // index of the last unit of the stem before a matched suffix
};

constexpr std::size_t kStackUnits = 256;

std::size_t stem_non_ascii(char* term, std::size_t length) {
  std::array<char16_t, kStackUnits> stack_units;
  std::vector<char16_t> heap_units;
  char16_t* units = stack_units.data();
  if (length > kStackUnits) {  // a term has at most as many UTF-16 units as UTF-8 bytes
    heap_units.resize(length);
    units = heap_units.data();
  }
  std::size_t n = 0;
  for (std::size_t at = 0; at < length;) {
    const Decoded d = decode_utf8(term + at, length - at);
    if (d.cp >= 0x10000) {
      units[n++] = static_cast<char16_t>(0xD800 + ((d.cp - 0x10000) >> 10));
      units[n++] = static_cast<char16_t>(0xDC00 + ((d.cp - 0x10000) & 0x3FF));
    } else {
      units[n++] = static_cast<char16_t>(d.cp);
    }
    at += d.length;
  }
  const auto stemmed = static_cast<std::size_t>(Word<char16_t>(units, static_cast<int>(n)).stem());
  // Re-encode: the stem only shortens the word and writes ASCII, so it fits in place. It never
  // splits a surrogate pair (suffixes are ASCII, and the two halves of a pair always differ).
  std::size_t out = 0;
  for (std::size_t i = 0; i < stemmed; ++i) {
    char32_t cp = units[i];
    if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < stemmed) {
      cp = 0x10000 + ((cp - 0xD800) << 10) + (units[i + 1] - 0xDC00);
      ++i;
    }
    out += encode_utf8(cp, term + out);
  }
  return out;
}

}  // namespace

std::size_t PorterStemmer::stem(char* term, std::size_t length) {
  for (std::size_t i = 0; i < length; ++i) {
    if (static_cast<unsigned char>(term[i]) >= 0x80) return stem_non_ascii(term, length);
  }
  return static_cast<std::size_t>(Word<char>(term, static_cast<int>(length)).stem());
}

std::string PorterStemmer::stem(std::string_view term) {
  std::string s(term);
  s.resize(stem(s.data(), s.size()));
  return s;
}

}  // namespace tandem::text
