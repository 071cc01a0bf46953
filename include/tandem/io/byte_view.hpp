// Bounds-checked typed views into the payload of a mapped index file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <type_traits>

#include "tandem/core/error.hpp"

namespace tandem::io {

/// Reads fixed-layout structures from a file payload. Every access is checked against the payload
/// size and alignment, and a violation is reported as corruption of the named file: opening an
/// index validates its tables once, so that the hot path can use the spans without checks.
class ByteView {
 public:
  ByteView(std::span<const std::byte> bytes, std::string file)
      : bytes_(bytes), file_(std::move(file)) {}

  template <typename T>
  requires std::is_trivially_copyable_v<T> T read(std::uint64_t offset, const char* what)
  const {
    check(offset, sizeof(T), what);
    T value;
    std::memcpy(&value, bytes_.data() + offset, sizeof(T));
    return value;
  }

  /// A span of `count` T at `offset`, which must be aligned for T.
  template <typename T>
  requires std::is_trivially_copyable_v<T> std::span<const T> array(std::uint64_t offset,
                                                                    std::uint64_t count,
                                                                    const char* what)
  const {
    if (count > bytes_.size() / (sizeof(T) == 0 ? 1 : sizeof(T)))
      too_short(offset, count * sizeof(T), what);
    check(offset, count * sizeof(T), what);
    if (reinterpret_cast<std::uintptr_t>(bytes_.data() + offset) % alignof(T) != 0) {
      fail(ErrorKind::corruption, "{}: {} is misaligned (offset {})", file_, what, offset);
    }
    return {reinterpret_cast<const T*>(bytes_.data() + offset), static_cast<std::size_t>(count)};
  }

  std::span<const std::byte> bytes(std::uint64_t offset, std::uint64_t size,
                                   const char* what) const {
    check(offset, size, what);
    return bytes_.subspan(offset, size);
  }

  std::uint64_t size() const { return bytes_.size(); }
  const std::string& file() const { return file_; }

  [[noreturn]] void corrupt(const std::string& message) const {
    fail(ErrorKind::corruption, "{}: {}", file_, message);
  }

 private:
  void check(std::uint64_t offset, std::uint64_t size, const char* what) const {
    if (offset > bytes_.size() || size > bytes_.size() - offset) too_short(offset, size, what);
  }
  [[noreturn]] void too_short(std::uint64_t offset, std::uint64_t size, const char* what) const {
    fail(ErrorKind::corruption,
         "{}: {} ({} bytes at offset {}) lies beyond the end of the data ({} bytes)", file_, what,
         size, offset, bytes_.size());
  }

  std::span<const std::byte> bytes_;
  std::string file_;
};

}  // namespace tandem::io
