// Generated topic files (id<TAB>text) that exercise what the real collections rarely contain.
#pragma once

#include <string>

namespace tandem::test {

/// Every code point of planes 0, 1 and 14 (and a sample of the others; never surrogates, CR or
/// LF), each in a line of short contexts that reveal how StandardTokenizer classifies it: alone,
/// between letters, digits, Hebrew letters, katakana, Thai, inside emoji ZWJ, modifier, keycap,
/// flag and tag sequences, doubled and tripled. A wrong word-break class changes some term.
std::string unicode_sweep_topics();

/// Random lines (fixed seed) built from the pieces the grammar cares about: letters of many
/// scripts, digits, every mid-word punctuation class, possessives, emoji parts, format and extend
/// characters, Java whitespace, malformed UTF-8, English words for the stemmer, and runs near and
/// over 255 UTF-16 units with supplementary characters and punctuation around the cut.
std::string random_stress_topics(int lines);

}  // namespace tandem::test
