// The Porter stemmer exactly as Lucene's PorterStemmer (org.apache.lucene.analysis.en) computes it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tandem::text {

/// Porter's suffix-stripping algorithm (M.F. Porter, "An algorithm for suffix stripping", Program
/// 14(3), 1980) in the variant of Lucene 8.8's PorterStemFilter, which is Porter's own reference
/// implementation ("Release 3", tartarus.org/~martin/PorterStemmer) and so differs from the paper:
///   - step 2 maps -bli to -ble (the paper: -abli to -able) and has the extra rule -logi -> -log;
///   - in steps 2 and 4 the rules are chosen by the second-to-last letter, and the first suffix
///     that matches ends the step even when its condition on the measure m fails;
///   - words of one or two UTF-16 units are left alone.
/// It works on UTF-16 code units as Java does: only the ASCII letters a-z have meaning, every other
/// unit (capitals, digits, non-ASCII, each half of a surrogate pair) is a consonant, and lengths
/// are counted in units. 'y' is a consonant at the start of the word or after a vowel.
class PorterStemmer {
 public:
  /// Stems the UTF-8 `term` in place and returns its new length (never longer). Malformed UTF-8 in
  /// a term that is not pure ASCII comes back as U+FFFD. Allocates only for terms of more
  /// than 256 bytes.
  static std::size_t stem(char* term, std::size_t length);

  /// Convenience form: the stem of `term`.
  static std::string stem(std::string_view term);
};

}  // namespace tandem::text
