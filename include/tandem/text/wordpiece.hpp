// BERT's uncased WordPiece tokenizer (Devlin et al., NAACL 2019; the bert-base-uncased vocabulary
// used by SPLADE and the OpenSearch inference-free sparse models): BasicTokenizer then greedy
// longest-match-first WordPiece, as Hugging Face's BertTokenizer with do_lower_case.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tandem::text {

/// Turns text into vocabulary ids (no [CLS]/[SEP]). Steps: drop NUL, U+FFFD and control/format
/// characters, map whitespace to spaces, put spaces around CJK ideographs, split on whitespace,
/// lower-case (full Unicode mapping), decompose (NFD) and drop non-spacing marks (accents), split
/// off every punctuation character, then split each word into the longest vocabulary pieces from
/// the left (continuations spelled "##piece"); a word with no such split, or longer than 100
/// characters, becomes [UNK]. Immutable and thread-safe.
class WordPieceTokenizer {
 public:
  /// One token per entry, in id order. Throws Error(invalid_argument) for an empty or repeated
  /// token or a vocabulary without [UNK].
  explicit WordPieceTokenizer(std::vector<std::string> vocabulary);
  /// Reads vocab.txt (one token per line, id = line number - 1). Throws Error(not_found) if the
  /// file is missing.
  static WordPieceTokenizer from_file(const std::filesystem::path& vocab_txt);

  std::uint32_t size() const { return static_cast<std::uint32_t>(tokens_.size()); }
  std::string_view token(std::uint32_t id) const { return tokens_[id]; }
  std::optional<std::uint32_t> id(std::string_view token) const;
  std::uint32_t unk_id() const { return unk_; }

  /// Appends the ids of `text` (UTF-8; invalid bytes count as U+FFFD and are dropped) to `ids`.
  void encode(std::string_view text, std::vector<std::uint32_t>& ids) const;

  static constexpr std::size_t kMaxWordChars = 100;

 private:
  void encode_word(const std::u32string& word, std::vector<std::uint32_t>& ids) const;

  std::vector<std::string> tokens_;
  std::unordered_map<std::string, std::uint32_t> ids_;
  std::uint32_t unk_ = 0;
};

}  // namespace tandem::text
