// Writes a text output file (a run, a report) atomically: temp file, fsync, rename.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string_view>

namespace tandem::io {

/// Buffered writer of a text file that appears at `path` only when commit() succeeds; until then
/// (and if an exception or a crash interrupts) any previous file at `path` is untouched.
class TextFileWriter {
 public:
  explicit TextFileWriter(std::filesystem::path path);
  ~TextFileWriter();
  TextFileWriter(const TextFileWriter&) = delete;
  TextFileWriter& operator=(const TextFileWriter&) = delete;

  void write(std::string_view text);
  void commit();

 private:
  std::filesystem::path path_;
  std::filesystem::path temp_;
  std::FILE* file_ = nullptr;
  bool committed_ = false;
};

}  // namespace tandem::io
