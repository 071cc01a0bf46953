#include "tandem/io/line_reader.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include <zlib.h>

#include "tandem/core/error.hpp"

namespace tandem::io {

namespace {
constexpr std::size_t kReadSize = 1 << 20;
}

// gzopen reads plain files transparently, so one code path serves both.
struct LineReader::Source {
  gzFile file = nullptr;
  ~Source() {
    if (file != nullptr) gzclose(file);
  }
};

bool is_gzip_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  unsigned char magic[2] = {0, 0};
  in.read(reinterpret_cast<char*>(magic), 2);
  return in.gcount() == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
}

LineReader::LineReader(const std::filesystem::path& path)
    : source_(std::make_unique<Source>()), path_(path.string()) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    fail(ErrorKind::invalid_argument, "{}: is a directory, expected a file", path_);
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    if (ec == std::errc::no_such_file_or_directory)
      fail(ErrorKind::not_found, "{}: no such file", path_);
    fail(ErrorKind::io, "{}: {}", path_, ec.message());
  }
  file_size_ = size;
  source_->file = gzopen(path_.c_str(), "rb");
  if (source_->file == nullptr) fail_errno(errno, "cannot open " + path_);
  gzbuffer(source_->file, kReadSize);
}

LineReader::~LineReader() = default;

std::uint64_t LineReader::bytes_consumed() const {
  const auto off = gzoffset(source_->file);
  return off < 0 ? 0 : static_cast<std::uint64_t>(off);
}

bool LineReader::fill() {
  if (eof_) return false;
  if (begin_ > 0) {
    buffer_.erase(0, begin_);
    begin_ = 0;
  }
  const std::size_t old = buffer_.size();
  buffer_.resize(old + kReadSize);
  const int got = gzread(source_->file, buffer_.data() + old, static_cast<unsigned>(kReadSize));
  if (got < 0) {
    int errnum = 0;
    const char* msg = gzerror(source_->file, &errnum);
    buffer_.resize(old);
    if (errnum == Z_ERRNO) fail_errno(errno, "cannot read " + path_);
    fail(ErrorKind::corruption, "{}: damaged gzip data ({})", path_, msg);
  }
  buffer_.resize(old + static_cast<std::size_t>(got));
  if (got == 0) {
    int errnum = 0;
    gzerror(source_->file, &errnum);
    if (errnum == Z_BUF_ERROR) {
      fail(ErrorKind::corruption, "{}: truncated gzip file (the compressed stream ends early)",
           path_);
    }
    eof_ = true;
    return false;
  }
  return true;
}

bool LineReader::next(std::string_view& line) {
  while (true) {
    const char* start = buffer_.data() + begin_;
    if (const std::size_t nl = buffer_.find('\n', begin_); nl != std::string::npos) {
      std::size_t len = nl - begin_;
      begin_ = nl + 1;
      if (len > 0 && start[len - 1] == '\r') --len;
      line = std::string_view(start, len);
      ++line_number_;
      return true;
    }
    if (!fill()) {
      if (begin_ >= buffer_.size()) return false;
      // Last line without a newline.
      start = buffer_.data() + begin_;
      std::size_t len = buffer_.size() - begin_;
      begin_ = buffer_.size();
      if (len > 0 && start[len - 1] == '\r') --len;
      line = std::string_view(start, len);
      ++line_number_;
      return true;
    }
  }
}

std::size_t LineReader::next_chunk(std::string& out, std::size_t target_bytes) {
  std::size_t lines = 0;
  std::size_t appended = 0;
  std::string_view line;
  while (appended < target_bytes && next(line)) {
    out.append(line);
    out.push_back('\n');
    appended += line.size() + 1;
    ++lines;
  }
  return lines;
}

}  // namespace tandem::io
