// The scanning loop of StandardTokenizer: JFlex's longest-match loop over the grammar's DFA, within
// the window of max_token_length UTF-16 code units that Lucene's non-growing scanner buffer allows.
//
// Why a window, precisely (Lucene 8.8 StandardTokenizerImpl with the skeleton
// "skeleton.disable.buffer.expansion.txt"): a match starts at zzStartRead; when the DFA needs a
// character beyond the characters read so far, zzRefill() first shifts the unread text to the front
// of the buffer (so the match starts at index 0), then fills the rest of the buffer. If the buffer
// is already full, zzRefill() reports end of input, and the scanner settles for the longest match
// seen so far. So a match can read at most buffer-size units from its start. A high surrogate read
// into the last slot is held back until the next refill, so a supplementary character never
// straddles the window's end. The next match starts where this one ended, with a fresh window; a
// match's length therefore never exceeds the buffer size, and StandardTokenizer's "skip tokens
// longer than maxTokenLength" branch never fires (the buffer size is maxTokenLength).
#include "tandem/text/standard_tokenizer.hpp"

#include <algorithm>

#include "tandem/core/error.hpp"
#include "tandem/text/utf8.hpp"

#include "ascii_runs.hpp"
#include "standard_scanner.hpp"

namespace tandem::text {

std::string_view to_string(TokenType type) {
  switch (type) {
    case TokenType::alphanum:
      return "<ALPHANUM>";
    case TokenType::num:
      return "<NUM>";
    case TokenType::southeast_asian:
      return "<SOUTHEAST_ASIAN>";
    case TokenType::ideographic:
      return "<IDEOGRAPHIC>";
    case TokenType::hiragana:
      return "<HIRAGANA>";
    case TokenType::katakana:
      return "<KATAKANA>";
    case TokenType::hangul:
      return "<HANGUL>";
    case TokenType::emoji:
      return "<EMOJI>";
  }
  return "<UNKNOWN>";
}

StandardTokenizer::StandardTokenizer(std::uint32_t max_token_length)
    : scanner_(&detail::standard_scanner()), max_token_length_(max_token_length) {
  if (max_token_length < 1 || max_token_length > kMaxTokenLengthLimit) {
    fail(ErrorKind::invalid_argument, "max_token_length must be between 1 and {}, not {}",
         kMaxTokenLengthLimit, max_token_length);
  }
}

std::size_t StandardTokenizer::next_batch(std::string_view text, std::size_t& pos, Token* tokens,
                                          std::size_t capacity) const {
  using detail::StandardScanner;
  const StandardScanner& scanner = *scanner_;
  const char* const bytes = text.data();
  const std::size_t size = text.size();
  const std::uint16_t* const transitions = scanner.next.data();

  std::size_t count = 0;
  std::size_t start = pos;
  while (start < size && count < capacity) {
    // Bytes such as spaces and most punctuation are a dropped match of one character each.
    if (static_cast<unsigned char>(bytes[start]) < 0x80 &&
        scanner.ascii_dropped[static_cast<unsigned char>(bytes[start])]) {
      ++start;
      continue;
    }
    // One JFlex match from `start`: run the DFA, remembering the last accepting position.
    std::uint32_t state = scanner.start;
    std::uint32_t accepted = 0;  // the last accepting state seen, 0 if none
    std::size_t at = start;
    std::size_t match_end = start;
    std::uint32_t units = 0;
    while (at < size) {
      const auto byte = static_cast<unsigned char>(bytes[at]);
      if (byte < 0x80) {                        // one byte, one UTF-16 unit
        if (units >= max_token_length_) break;  // the end of the scanner's buffer
        const std::uint32_t input_class = scanner.ascii_class[byte];
        const std::uint32_t from = state;
        state = transitions[state + input_class];
        if (state == 0) break;
        ++at;
        ++units;
        if (state == from) {
          // A state that loops on this class stays put over the whole run of such ASCII bytes
          // (a run of letters, say): the run needs no transitions, only to end in the window.
          const std::size_t limit = std::min(size, at + (max_token_length_ - units));
          const std::size_t run_start = at;
          if (input_class == scanner.letter_class) {
            at += detail::ascii_letter_run(bytes + at, bytes + limit);
          } else {
            while (at < limit &&
                   scanner.byte_class[static_cast<unsigned char>(bytes[at])] == input_class)
              ++at;
          }
          units += static_cast<std::uint32_t>(at - run_start);
        }
      } else {
        const Decoded d = decode_utf8(bytes + at, size - at);
        units += utf16_length(d.cp);
        if (units > max_token_length_) break;
        state = transitions[state + scanner.class_of(d.cp)];
        if (state == 0) break;
        at += d.length;
      }
      if (state >= scanner.first_accepting) {
        match_end = at;
        accepted = state;
      }
    }
    if (accepted == 0) {
      // No character fits the window (max_token_length 1 before a supplementary character):
      // Lucene's refill then reports the end of the input, and so do we.
      start = size;
      break;
    }
    const std::int8_t outcome = scanner.accepts[accepted];
    if (outcome != StandardScanner::kDrop) {
      tokens[count++] = Token{std::string_view(bytes + start, match_end - start),
                              static_cast<TokenType>(outcome)};
    }
    start = match_end;
  }
  pos = start < size ? start : size;
  return count;
}

bool StandardTokenizer::next(std::string_view text, std::size_t& pos, Token& token) const {
  return next_batch(text, pos, &token, 1) == 1;
}

}  // namespace tandem::text
