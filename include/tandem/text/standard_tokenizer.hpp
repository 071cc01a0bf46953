// Lucene 8.8's StandardTokenizer: Unicode word segmentation (UAX #29) as its JFlex grammar does it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tandem::text {

namespace detail {
struct StandardScanner;
}

/// Token types of Lucene's StandardTokenizer (same order as its int constants ALPHANUM..EMOJI).
enum class TokenType : std::uint8_t {
  alphanum,         // letters, digits and what joins them: "don't", "U.S.A", "2.5x", "foo_bar"
  num,              // a number: "1,000.50", "3.14"
  southeast_asian,  // a run of Thai, Lao, Myanmar, Khmer... (Line_Break = Complex_Context)
  ideographic,      // one Han character
  hiragana,         // one hiragana character
  katakana,         // a run of katakana
  hangul,           // a run of Hangul
  emoji,            // an emoji or emoji sequence (ZWJ, modifier, flag, keycap, tag sequences)
};

/// Lucene's name of a type: "<ALPHANUM>", "<NUM>", ... "<EMOJI>".
std::string_view to_string(TokenType type);

/// One token: a view into the analysed text (never across a malformed UTF-8 sequence) and its type.
struct Token {
  std::string_view text;
  TokenType type;
};

/// Splits text into words exactly as org.apache.lucene.analysis.standard.StandardTokenizer of
/// Lucene 8.8 does: the grammar of StandardTokenizerImpl.jflex (UAX #29 word-break rules on
/// Unicode 9.0 properties, emoji sequences from UTS #51 with emoji-data 11.0, runs of South East
/// Asian scripts kept whole, one token per Han or hiragana character), matched as JFlex does
/// (longest match, ties to the earlier rule; characters no rule takes are dropped one at a time).
///
/// Over-long tokens: Lucene's scanner works in a buffer of maxTokenLength UTF-16 code units that
/// it never grows, so a match cannot extend past maxTokenLength units from its start. A word longer
/// than that is cut into pieces: each piece is the longest match within the window (a supplementary
/// character that would straddle the window's end is left for the next piece), and matching starts
/// again where the piece ended. No token is ever longer than max_token_length units.
///
/// Thread-safe and allocation-free: the tables are built once per process, on first use.
class StandardTokenizer {
 public:
  static constexpr std::uint32_t kDefaultMaxTokenLength = 255;  // StandardAnalyzer's default
  static constexpr std::uint32_t kMaxTokenLengthLimit = 1024 * 1024;

  /// Throws Error(invalid_argument) unless 1 <= max_token_length <= kMaxTokenLengthLimit.
  explicit StandardTokenizer(std::uint32_t max_token_length = kDefaultMaxTokenLength);

  /// Finds the next token of `text` at or after byte offset `pos`; on success sets `token`, moves
  /// `pos` past it and returns true; returns false at the end of the text. Start with pos = 0.
  bool next(std::string_view text, std::size_t& pos, Token& token) const;

  /// Finds up to `capacity` (>= 1) next tokens at or after `pos` into `tokens`, moves `pos` past
  /// them and returns how many; 0 only at the end of the text. The same tokens as next(), with
  /// less overhead per token.
  std::size_t next_batch(std::string_view text, std::size_t& pos, Token* tokens,
                         std::size_t capacity) const;

  /// Calls on_token(const Token&) for every token of `text`, in order.
  template <typename OnToken>
  void tokenize(std::string_view text, OnToken&& on_token) const {
    constexpr std::size_t kBatch = 64;
    Token batch[kBatch];
    std::size_t pos = 0;
    while (const std::size_t n = next_batch(text, pos, batch, kBatch)) {
      for (std::size_t i = 0; i < n; ++i) on_token(batch[i]);
    }
  }

  std::uint32_t max_token_length() const { return max_token_length_; }

 private:
  const detail::StandardScanner* scanner_;
  std::uint32_t max_token_length_;
};

}  // namespace tandem::text
