// Pre-trained word vectors in word2vec's binary format (as GloVe is shipped in
// ../shared/models/glove-6b-100d-top100k).
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tandem::encode {

/// A table of words and their vectors. Lookups are exact (the caller lower-cases as the vectors
/// were trained).
class WordVectors {
 public:
  /// Reads word2vec binary: an ASCII line "<count> <dims>\n", then per word its UTF-8 bytes, one
  /// space, dims little-endian float32 and an optional "\n". Throws Error(not_found) for a missing
  /// file and Error(corruption) naming the file and the word (or entry number) for a malformed one
  /// (bad header, truncated entry, duplicate word, non-finite value).
  static WordVectors load_word2vec_binary(const std::filesystem::path& path);

  std::size_t size() const { return words_.size(); }
  std::size_t dims() const { return dims_; }
  const std::string& word(std::size_t i) const { return words_[i]; }
  std::span<const float> vector(std::size_t i) const { return {values_.data() + i * dims_, dims_}; }
  /// The index of `word`, or -1.
  std::int64_t find(std::string_view word) const;

 private:
  std::size_t dims_ = 0;
  std::vector<std::string> words_;
  std::vector<float> values_;
  std::unordered_map<std::string_view, std::uint32_t> index_;  // views into words_
};

}  // namespace tandem::encode
