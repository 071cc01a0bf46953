// Porter stemmer with the behaviour of Lucene 8.8's PorterStemmer (see porter_stemmer.hpp). The
// steps are named after the paper (1a, 1b, 1c, 2, 3, 4, 5a, 5b); Lucene numbers them step1..step6.
#include "tandem/text/porter_stemmer.hpp"

#include <array>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

#include "tandem/text/utf8.hpp"

namespace tandem::text {

namespace {

struct Rule {
  char key;  // the letter the rule is filed under (second-to-last or last letter of the word)
  std::string_view suffix;
  std::string_view replacement;
  bool after_s_or_t = false;  // step 4's -ion: only after 's' or 't'
};

// The rules filed under each ASCII key, as a range of a table whose rules are grouped by key.
struct KeyRange {
  std::uint8_t begin = 0;
  std::uint8_t end = 0;
};

template <std::size_t N>
constexpr std::array<KeyRange, 128> index_by_key(const std::array<Rule, N>& rules) {
  std::array<KeyRange, 128> index{};
  for (std::size_t i = 0; i < N; ++i) {
    KeyRange& r = index[static_cast<unsigned char>(rules[i].key)];
    if (r.begin == r.end) r.begin = static_cast<std::uint8_t>(i);
    r.end = static_cast<std::uint8_t>(i + 1);
  }
  return index;
}

template <std::size_t N>
constexpr bool grouped_by_key(const std::array<Rule, N>& rules) {
  for (std::size_t i = 0; i < N; ++i) {
    for (std::size_t j = i + 2; j < N; ++j) {
      if (rules[i].key == rules[j].key && rules[j - 1].key != rules[i].key) return false;
    }
  }
  return true;
}

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
    {'a', "al", ""},    {'c', "ance", ""}, {'c', "ence", ""}, {'e', "er", ""},
    {'i', "ic", ""},    {'l', "able", ""}, {'l', "ible", ""}, {'n', "ant", ""},
    {'n', "ement", ""}, {'n', "ment", ""}, {'n', "ent", ""},  {'o', "ion", "", true},
    {'o', "ou", ""},    {'s', "ism", ""},  {'t', "ate", ""},  {'t', "iti", ""},
    {'u', "ous", ""},   {'v', "ive", ""},  {'z', "ize", ""},
}};

static_assert(grouped_by_key(kStep2) && grouped_by_key(kStep3) && grouped_by_key(kStep4));
constexpr auto kStep2Index = index_by_key(kStep2);
constexpr auto kStep3Index = index_by_key(kStep3);
constexpr auto kStep4Index = index_by_key(kStep4);

// What a unit is for consonant(): 0 a vowel letter, 1 a consonant, 2 'y' (a consonant unless it
// follows a consonant). Units outside ASCII are consonants.
constexpr std::array<std::uint8_t, 128> kLetterKinds = [] {
  std::array<std::uint8_t, 128> kinds{};
  for (auto& k : kinds) k = 1;
  for (const unsigned char v : {'a', 'e', 'i', 'o', 'u'}) kinds[v] = 0;
  kinds['y'] = 2;
  return kinds;
}();

// The code of a unit: chars read as unsigned bytes, so that UTF-8 bytes are never negative.
template <typename Unit>
std::uint32_t unit_code(Unit u) {
  if constexpr (std::is_same_v<Unit, char>) {
    return static_cast<unsigned char>(u);
  } else {
    return static_cast<std::uint32_t>(u);
  }
}

// Sets flags[i] = consonant(i) for i in [from, to), given flags[from - 1]. Returns false, leaving
// the rest unset, at the first unit that is not ASCII (only the char path asks).
template <typename Unit>
bool classify(const Unit* b, int from, int to, std::uint8_t* flags) {
  std::uint8_t previous = from == 0 ? 0 : flags[from - 1];  // 'y' first in the word is a consonant
  for (int i = from; i < to; ++i) {
    const std::uint32_t c = unit_code(b[i]);
    std::uint8_t kind = 1;
    if (c < 128) {
      kind = kLetterKinds[c];
    } else if constexpr (sizeof(Unit) == 1) {
      return false;
    }
    previous = kind == 2 ? previous ^ 1 : kind;
    flags[i] = previous;
  }
  return true;
}

// The word being stemmed: units b[0..k]; j marks the end of the stem before a matched suffix.
template <typename Unit>
class Word {
 public:
  // consonant[i] holds consonant(i) for the `length` units of b (see classify()).
  Word(Unit* b, std::uint8_t* consonant, int length)
      : b_(b), consonant_(consonant), k_(length - 1) {}

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
  // b[i] is a consonant: not a, e, i, o, u, and not a 'y' that follows a consonant (a 'y' at the
  // start is a consonant). Cached per position; a write at i re-classifies i and what follows.
  // (The loops below work on local copies of the members: stores through the uint8_t flags may
  // alias anything, which would otherwise make the compiler reload the members every iteration.)
  bool consonant(int i) const { return consonant_[i] != 0; }
  void classify_from(int i) { classify(b_, i, k_ + 1, consonant_); }

  // m: the number of vowel-consonant sequences in b[0..j] (the word is [C](VC)^m[V]).
  int measure() const {
    const std::uint8_t* const flags = consonant_;
    const int j = j_;
    int m = 0;
    std::uint8_t previous = 1;  // as if a consonant came before b[0]
    for (int i = 0; i <= j; ++i) {
      m += flags[i] & (previous ^ 1);
      previous = flags[i];
    }
    return m;
  }

  bool vowel_in_stem() const {
    const std::uint8_t* const flags = consonant_;
    const int j = j_;
    for (int i = 0; i <= j; ++i) {
      if (flags[i] == 0) return true;
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
    const Unit* const b = b_ + from;
    for (int i = 0; i < length; ++i) {
      if (b[i] != static_cast<Unit>(s[static_cast<std::size_t>(i)])) return false;
    }
    j_ = from - 1;
    return true;
  }

  // Replaces b[j+1..k] with `s`.
  void set_to(std::string_view s) {
    Unit* const b = b_ + j_ + 1;
    for (std::size_t i = 0; i < s.size(); ++i) b[i] = static_cast<Unit>(s[i]);
    k_ = j_ + static_cast<int>(s.size());
    classify_from(j_ + 1);
  }

  // Plurals, then -eed, -ed, -ing. (Tests of the last letter first skip most calls of ends().)
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
    const Unit last = b_[k_];
    if (last == 'd' && ends("eed")) {
      if (measure() > 0) --k_;
    } else if (((last == 'd' && ends("ed")) || (last == 'g' && ends("ing"))) && vowel_in_stem()) {
      k_ = j_;
      const Unit end = b_[k_];
      if (end == 't' && ends("at")) {
        set_to("ate");
      } else if (end == 'l' && ends("bl")) {
        set_to("ble");
      } else if (end == 'z' && ends("iz")) {
        set_to("ize");
      } else if (double_consonant(k_)) {
        if (end != 'l' && end != 's' && end != 'z') --k_;
      } else if (measure() == 1 && cvc(k_)) {
        set_to("e");
      }
    }
  }

  // Terminal y to i when the stem has a vowel.
  void step1c() {
    if (b_[k_] == 'y' && ends("y") && vowel_in_stem()) {
      b_[k_] = 'i';
      classify_from(k_);
    }
  }

  // The rules of `rules` filed under `key`, in order.
  template <std::size_t N>
  static std::span<const Rule> filed_under(const std::array<Rule, N>& rules,
                                           const std::array<KeyRange, 128>& index, Unit key) {
    const std::uint32_t code = unit_code(key);
    if (code >= 128) return {};
    const KeyRange r = index[code];
    return std::span<const Rule>(rules.data() + r.begin, r.end - r.begin);
  }

  // The first rule whose suffix ends the word decides: replaced if m() > 0, else left alone.
  void replace_first(std::span<const Rule> rules) {
    for (const Rule& r : rules) {
      if (ends(r.suffix)) {
        if (measure() > 0) set_to(r.replacement);
        return;
      }
    }
  }

  // Double suffixes to single ones (-ization -> -ize ...), when m() > 0 before the suffix.
  void step2() {
    if (k_ == 0) return;
    replace_first(filed_under(kStep2, kStep2Index, b_[k_ - 1]));
  }

  // -ic-, -full, -ness etc., when m() > 0.
  void step3() { replace_first(filed_under(kStep3, kStep3Index, b_[k_])); }

  // -ant, -ence etc., when m() > 1.
  void step4() {
    if (k_ == 0) return;
    for (const Rule& r : filed_under(kStep4, kStep4Index, b_[k_ - 1])) {
      if (!ends(r.suffix)) continue;
      if (r.after_s_or_t && !(j_ >= 0 && (b_[j_] == 's' || b_[j_] == 't'))) continue;
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
  std::uint8_t* consonant_;
  int k_;      // index of the last unit
  int j_ = 0;  // index of the last unit of the stem before a matched suffix
};

constexpr std::size_t kStackUnits = 256;

// Any term: decoded to UTF-16 (Java's units), stemmed, encoded back. Allocates for long terms.
std::size_t stem_general(char* term, std::size_t length) {
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
  std::array<std::uint8_t, kStackUnits> stack_flags;
  std::vector<std::uint8_t> heap_flags;
  std::uint8_t* flags = stack_flags.data();
  if (n > kStackUnits) {
    heap_flags.resize(n);
    flags = heap_flags.data();
  }
  classify(units, 0, static_cast<int>(n), flags);
  const auto stemmed =
      static_cast<std::size_t>(Word<char16_t>(units, flags, static_cast<int>(n)).stem());
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
  if (length <= kStackUnits) {
    std::array<std::uint8_t, kStackUnits> flags;
    const int n = static_cast<int>(length);
    if (classify(term, 0, n, flags.data()))
      return static_cast<std::size_t>(Word<char>(term, flags.data(), n).stem());
  }
  return stem_general(term, length);
}

std::string PorterStemmer::stem(std::string_view term) {
  std::string s(term);
  s.resize(stem(s.data(), s.size()));
  return s;
}

}  // namespace tandem::text
