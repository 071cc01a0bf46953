// Reads text files line by line, plain or gzip-compressed (detected from the content, not the
// name).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace tandem::io {

/// Sequential line reader over a plain or gzipped file. Lines are returned without the trailing
/// "\n" or "\r\n". A final line without a newline is still returned. Throws Error(not_found) if the
/// file is missing, Error(io) on read errors, Error(corruption) on a truncated or damaged gzip
/// stream.
class LineReader {
 public:
  explicit LineReader(const std::filesystem::path& path);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  /// Sets `line` to the next line (valid until the next call); false at end of file.
  bool next(std::string_view& line);

  /// Appends whole lines (each with its "\n") to `out` until at least `target_bytes` were appended
  /// or the file ends; returns the number of lines appended (0 at end of file). For batching work
  /// to threads: the caller splits the chunk on "\n".
  std::size_t next_chunk(std::string& out, std::size_t target_bytes);

  /// 1-based number of the line last returned by next() (or the last line of the last chunk).
  std::uint64_t line_number() const { return line_number_; }
  /// Bytes of the file consumed so far (compressed bytes for a gzip file), for progress.
  std::uint64_t bytes_consumed() const;
  /// Size of the file on disk.
  std::uint64_t file_size() const { return file_size_; }
  const std::string& path() const { return path_; }

 private:
  bool fill();  // reads more into buffer_; false at end of file

  struct Source;
  std::unique_ptr<Source> source_;
  std::string path_;
  std::string buffer_;
  std::size_t begin_ = 0;  // unread data is buffer_[begin_, buffer_.size())
  bool eof_ = false;
  std::uint64_t line_number_ = 0;
  std::uint64_t file_size_ = 0;
};

/// True if the file starts with the gzip magic bytes.
bool is_gzip_file(const std::filesystem::path& path);

}  // namespace tandem::io
