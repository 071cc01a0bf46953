// The payload of a trained encoder's model file (FileKind::encoder_model, docs/format.md):
//   u32 model_version, u32 section_count, then sections, each: u64 byte length, the bytes, zero
//   padding to a multiple of 8. Section 0 is a JSON object with at least {"model": kind}; the rest
//   are model-specific: float32 arrays or newline-joined strings.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/io/file_format.hpp"

namespace tandem::encode {

inline constexpr std::uint32_t kModelVersion = 1;

class ModelFileWriter {
 public:
  ModelFileWriter(const std::filesystem::path& path, std::uint32_t sections);
  void bytes(std::string_view data);
  void floats(std::span<const float> values);
  void strings(std::span<const std::string> values);  // joined by '\n' (none may contain one)
  void commit();

 private:
  io::FileWriter writer_;
  std::uint32_t expected_;
  std::uint32_t written_ = 0;
};

class ModelFileReader {
 public:
  /// Opens and verifies the file (header, checksum, model version).
  explicit ModelFileReader(const std::filesystem::path& path);
  const std::string& path() const { return file_.path(); }
  std::uint32_t sections() const { return sections_; }
  /// The next section, as raw bytes, floats (count checked) or strings (count checked).
  std::string_view bytes(const char* what);
  std::vector<float> floats(const char* what, std::uint64_t count);
  std::vector<std::string> strings(const char* what, std::uint64_t count);
  [[noreturn]] void corrupt(const std::string& message) const;

 private:
  io::CheckedFile file_;
  std::uint32_t sections_ = 0;
  std::uint32_t read_ = 0;
  std::uint64_t offset_ = 8;
};

}  // namespace tandem::encode
