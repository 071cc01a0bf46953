// Read-only memory maps: how every index file is read.
#pragma once

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>

namespace tandem::io {

/// A whole file mapped read-only. Move-only; unmaps on destruction. An empty file maps to an empty
/// span (no mapping is made).
class MappedFile {
 public:
  MappedFile() = default;
  /// Throws Error(not_found) if the file does not exist, Error(io) if it cannot be mapped.
  explicit MappedFile(const std::filesystem::path& path);
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  std::span<const std::byte> bytes() const { return {data_, size_}; }
  const std::byte* data() const { return data_; }
  std::size_t size() const { return size_; }
  const std::string& path() const { return path_; }

  /// Hints the kernel that the whole file will be needed soon (madvise WILLNEED).
  void prefetch() const;

 private:
  void release() noexcept;
  const std::byte* data_ = nullptr;
  std::size_t size_ = 0;
  std::string path_;
};

}  // namespace tandem::io
