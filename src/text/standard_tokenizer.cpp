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

#include "tandem/core/error.hpp"
#include "tandem/text/utf8.hpp"

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

bool StandardTokenizer::next(std::string_view text, std::size_t& pos, Token& token) const {
  using detail::StandardScanner;
  const StandardScanner& scanner = *scanner_;
  const char* const bytes = text.data();
  const std::size_t size = text.size();
  const std::uint16_t* const transitions = scanner.next.data();
  const std::int8_t* const accepts = scanner.accepts.data();
  const std::uint32_t num_classes = scanner.num_classes;

  std::size_t start = pos;
  while (start < size) {
    // One JFlex match from `start`: run the DFA, remembering the last accepting position.
    std::uint32_t state = 1;
    std::size_t at = start;
    std::uint32_t units = 0;
    std::size_t match_end = start;
    std::int8_t outcome = StandardScanner::kNotAccepting;
    while (at < size) {
      const auto byte = static_cast<unsigned char>(bytes[at]);
      std::uint32_t input_class;
      std::uint32_t length = 1;
      std::uint32_t width = 1;
      if (byte < 0x80) {
        input_class = scanner.ascii_class[byte];
      } else {
        const Decoded d = decode_utf8(bytes + at, size - at);
        input_class = scanner.class_of(d.cp);
        length = d.length;
        width = utf16_length(d.cp);
      }
      if (units + width > max_token_length_) break;  // the end of the scanner's buffer
      state = transitions[state * num_classes + input_class];
      if (state == 0) break;
      at += length;
      units += width;
      if (accepts[state] != StandardScanner::kNotAccepting) {
        match_end = at;
        outcome = accepts[state];
      }
    }
    if (outcome == StandardScanner::kNotAccepting) {
      // No character fits the window (max_token_length 1 before a supplementary character):
      // Lucene's refill then reports the end of the input, and so do we.
      break;
    }
    if (outcome != StandardScanner::kDrop) {
      token.text = text.substr(start, match_end - start);
      token.type = static_cast<TokenType>(outcome);
      pos = match_end;
      return true;
    }
    start = match_end;
  }
  pos = size;
  return false;
}

}  // namespace tandem::text
