// Lucene's EnglishPossessiveFilter: removes a trailing 's from a term.
#pragma once

#include <string_view>

namespace tandem::text {

/// `term` without a trailing apostrophe + s, as EnglishPossessiveFilter (Lucene 8) strips it: the
/// last two UTF-16 units are an apostrophe (U+0027 ', U+2019 ’ or U+FF07 ＇) followed by 's' or
/// 'S'. Runs before lower-casing in the English chain, hence the 'S'. Any other term is returned
/// unchanged.
constexpr std::string_view strip_english_possessive(std::string_view term) {
  if (term.size() < 2) return term;
  const char last = term.back();
  if (last != 's' && last != 'S') return term;
  const std::string_view rest = term.substr(0, term.size() - 1);
  if (rest.ends_with('\'')) return rest.substr(0, rest.size() - 1);
  if (rest.ends_with("\xE2\x80\x99") || rest.ends_with("\xEF\xBC\x87"))
    return rest.substr(0, rest.size() - 3);
  return term;
}

}  // namespace tandem::text
