// The one exception type of the library (architecture.md, "Errors").
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace tandem {

enum class ErrorKind {
  invalid_argument,  // bad input from the caller or from a file the caller gave (names file and
                     // line)
  not_found,         // a file, index, field, document or term that does not exist
  corruption,        // a file whose header, checksum or structure is wrong (names the file)
  io,                // the operating system refused: open, read, write, fsync, rename, disk full
  unsupported,       // a valid request this version does not do (newer format, unknown codec)
  limit_exceeded,    // a size or count over a documented limit
};

std::string_view to_string(ErrorKind kind);

/// Thrown at the library's boundaries on user error; internal invariants are debug asserts instead.
/// what() is a complete sentence for a user: what is wrong and where (file, line, field).
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const noexcept { return kind_; }

 private:
  ErrorKind kind_;
};

/// Builds and throws an Error with an fmt-formatted message.
template <typename... Args>
[[noreturn]] void fail(ErrorKind kind, fmt::format_string<Args...> format, Args&&... args) {
  throw Error(kind, fmt::format(format, std::forward<Args>(args)...));
}

/// Throws ErrorKind::io with the message and strerror(errno_value).
[[noreturn]] void fail_errno(int errno_value, std::string_view what);

}  // namespace tandem
