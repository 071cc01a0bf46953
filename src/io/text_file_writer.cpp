#include "tandem/io/text_file_writer.hpp"

#include <cerrno>

#include <unistd.h>

#include "tandem/core/error.hpp"
#include "tandem/io/file_format.hpp"

namespace tandem::io {

TextFileWriter::TextFileWriter(std::filesystem::path path)
    : path_(std::move(path)), temp_(path_.string() + ".tmp-" + std::to_string(::getpid())) {
  if (path_.has_parent_path()) {
    std::error_code ec;
    if (!std::filesystem::is_directory(path_.parent_path(), ec)) {
      fail(ErrorKind::not_found, "{}: the directory does not exist", path_.parent_path().string());
    }
  }
  file_ = std::fopen(temp_.c_str(), "wb");
  if (file_ == nullptr) fail_errno(errno, "cannot create " + temp_.string());
  std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
}

TextFileWriter::~TextFileWriter() {
  if (file_ != nullptr) std::fclose(file_);
  if (!committed_) ::unlink(temp_.c_str());
}

void TextFileWriter::write(std::string_view text) {
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size()) {
    if (errno == ENOSPC) fail(ErrorKind::io, "{}: disk full while writing", path_.string());
    fail_errno(errno, "cannot write " + temp_.string());
  }
}

void TextFileWriter::commit() {
  if (std::fflush(file_) != 0) {
    if (errno == ENOSPC) fail(ErrorKind::io, "{}: disk full while writing", path_.string());
    fail_errno(errno, "cannot write " + temp_.string());
  }
  if (::fsync(::fileno(file_)) != 0) fail_errno(errno, "cannot fsync " + temp_.string());
  const int rc = std::fclose(file_);
  file_ = nullptr;
  if (rc != 0) fail_errno(errno, "cannot close " + temp_.string());
  if (std::rename(temp_.c_str(), path_.c_str()) != 0)
    fail_errno(errno, "cannot rename " + temp_.string());
  committed_ = true;
  sync_directory(path_.has_parent_path() ? path_.parent_path() : std::filesystem::path("."));
}

}  // namespace tandem::io
