#include "tandem/encode/word_vectors.hpp"

#include <charconv>
#include <cmath>
#include <cstring>

#include "tandem/core/error.hpp"
#include "tandem/io/mapped_file.hpp"

namespace tandem::encode {

WordVectors WordVectors::load_word2vec_binary(const std::filesystem::path& path) {
  const io::MappedFile file(path);
  const std::string_view bytes(reinterpret_cast<const char*>(file.data()), file.size());
  const std::string& name = file.path();
  const std::size_t newline = bytes.find('\n');
  if (newline == std::string_view::npos || newline > 64) {
    fail(ErrorKind::corruption, "{}: no word2vec header line \"<count> <dims>\"", name);
  }
  const std::string_view header = bytes.substr(0, newline);
  std::uint64_t count = 0, dims = 0;
  const auto space = header.find(' ');
  const auto r1 =
      std::from_chars(header.data(), header.data() + std::min(space, header.size()), count);
  const auto r2 =
      space == std::string_view::npos
          ? std::from_chars_result{nullptr, std::errc::invalid_argument}
          : std::from_chars(header.data() + space + 1, header.data() + header.size(), dims);
  if (r1.ec != std::errc() || r2.ec != std::errc() || dims == 0 || dims > 65536 ||
      count > bytes.size() / (dims * 4)) {
    fail(ErrorKind::corruption, "{}: bad word2vec header line \"{}\"", name, header);
  }
  WordVectors v;
  v.dims_ = dims;
  v.words_.reserve(count);
  v.values_.resize(count * dims);
  std::size_t at = newline + 1;
  for (std::uint64_t i = 0; i < count; ++i) {
    while (at < bytes.size() && bytes[at] == '\n') ++at;  // the optional newline of the last entry
    const std::size_t end = bytes.find(' ', at);
    if (end == std::string_view::npos || end == at || end - at > 1000) {
      fail(ErrorKind::corruption, "{}: entry {} of {}: no word before a space (truncated?)", name,
           i + 1, count);
    }
    std::string word(bytes.substr(at, end - at));
    if (bytes.size() - (end + 1) < dims * 4) {
      fail(ErrorKind::corruption, "{}: the vector of '{}' (entry {}) is truncated", name, word,
           i + 1);
    }
    float* dst = v.values_.data() + i * dims;
    std::memcpy(dst, bytes.data() + end + 1, dims * 4);  // little-endian host
    for (std::uint64_t j = 0; j < dims; ++j) {
      if (!std::isfinite(dst[j])) {
        fail(ErrorKind::corruption, "{}: the vector of '{}' has a non-finite value", name, word);
      }
    }
    v.words_.push_back(std::move(word));
    at = end + 1 + dims * 4;
  }
  v.index_.reserve(count);
  for (std::uint32_t i = 0; i < v.words_.size(); ++i) {
    if (!v.index_.emplace(v.words_[i], i).second) {
      fail(ErrorKind::corruption, "{}: the word '{}' appears twice", name, v.words_[i]);
    }
  }
  return v;
}

std::int64_t WordVectors::find(std::string_view word) const {
  const auto it = index_.find(word);
  return it == index_.end() ? std::int64_t{-1} : std::int64_t{it->second};
}

}  // namespace tandem::encode
