#include "tandem/core/error.hpp"

#include <cstring>

namespace tandem {

std::string_view to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid_argument:
      return "invalid argument";
    case ErrorKind::not_found:
      return "not found";
    case ErrorKind::corruption:
      return "corruption";
    case ErrorKind::io:
      return "I/O error";
    case ErrorKind::unsupported:
      return "unsupported";
    case ErrorKind::limit_exceeded:
      return "limit exceeded";
  }
  return "error";
}

void fail_errno(int errno_value, std::string_view what) {
  fail(ErrorKind::io, "{}: {}", what, std::strerror(errno_value));
}

}  // namespace tandem
