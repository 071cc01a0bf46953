#include "tandem/io/file_format.hpp"

#include <atomic>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>
#include <xxhash.h>

#include "tandem/core/error.hpp"

namespace tandem::io {

namespace {

constexpr char kHeaderMagic[8] = {'T', 'A', 'N', 'D', 'E', 'M', '\0', '\x1a'};
constexpr char kFooterMagic[8] = {'T', 'N', 'D', 'M', 'E', 'N', 'D', '\n'};
constexpr std::size_t kBufferSize = 1 << 20;

std::atomic<std::uint64_t> temp_counter{0};

void write_all(int fd, const void* data, std::size_t size, const std::filesystem::path& path) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd, p, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == ENOSPC) fail(ErrorKind::io, "{}: disk full while writing", path.string());
      fail_errno(errno, "cannot write " + path.string());
    }
    p += n;
    size -= static_cast<std::size_t>(n);
  }
}

std::filesystem::path make_temp_path(const std::filesystem::path& path) {
  return path.parent_path() / fmt::format("{}.tmp-{}-{}", path.filename().string(), ::getpid(),
                                          temp_counter.fetch_add(1));
}

void fsync_fd(int fd, const std::filesystem::path& path) {
  if (::fsync(fd) != 0) fail_errno(errno, "cannot fsync " + path.string());
}

}  // namespace

std::string to_string(FileKind kind) {
  const auto v = static_cast<std::uint32_t>(kind);
  std::string s(4, ' ');
  for (int i = 0; i < 4; ++i) s[i] = static_cast<char>((v >> (8 * i)) & 0xff);
  return s;
}

void sync_directory(const std::filesystem::path& dir) {
  const auto d = dir.empty() ? std::filesystem::path(".") : dir;
  const int fd = ::open(d.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) fail_errno(errno, "cannot open directory " + d.string());
  const int rc = ::fsync(fd);
  const int e = errno;
  ::close(fd);
  if (rc != 0) fail_errno(e, "cannot fsync directory " + d.string());
}

FileWriter::FileWriter(std::filesystem::path path, FileKind kind)
    : path_(std::move(path)), temp_path_(make_temp_path(path_)) {
  fd_ = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd_ < 0) fail_errno(errno, "cannot create " + temp_path_.string());
  buffer_.reserve(kBufferSize);
  auto* state = XXH3_createState();
  XXH3_64bits_reset(state);
  hash_state_ = state;
  std::byte header[kHeaderSize] = {};
  std::memcpy(header, kHeaderMagic, 8);
  const std::uint32_t version = kFormatVersion;
  const auto k = static_cast<std::uint32_t>(kind);
  std::memcpy(header + 8, &version, 4);
  std::memcpy(header + 12, &k, 4);
  XXH3_64bits_update(state, header, kHeaderSize);
  write_all(fd_, header, kHeaderSize, temp_path_);
}

FileWriter::~FileWriter() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(temp_path_.c_str());
  XXH3_freeState(static_cast<XXH3_state_t*>(hash_state_));
}

void FileWriter::flush_buffer() {
  if (buffer_.empty()) return;
  XXH3_64bits_update(static_cast<XXH3_state_t*>(hash_state_), buffer_.data(), buffer_.size());
  write_all(fd_, buffer_.data(), buffer_.size(), temp_path_);
  buffer_.clear();
}

void FileWriter::write(const void* data, std::size_t size) {
  const auto* p = static_cast<const std::byte*>(data);
  written_ += size;
  if (buffer_.size() + size > kBufferSize) flush_buffer();
  if (size >= kBufferSize) {
    XXH3_64bits_update(static_cast<XXH3_state_t*>(hash_state_), p, size);
    write_all(fd_, p, size, temp_path_);
    return;
  }
  buffer_.insert(buffer_.end(), p, p + size);
}

void FileWriter::align(std::size_t alignment) {
  static constexpr std::byte kZeros[64] = {};
  std::size_t pad = (alignment - written_ % alignment) % alignment;
  while (pad > 0) {
    const std::size_t n = std::min(pad, sizeof(kZeros));
    write(kZeros, n);
    pad -= n;
  }
}

void FileWriter::commit() {
  flush_buffer();
  std::byte footer[kFooterSize];
  const std::uint64_t checksum = XXH3_64bits_digest(static_cast<XXH3_state_t*>(hash_state_));
  std::memcpy(footer, &checksum, 8);
  std::memcpy(footer + 8, kFooterMagic, 8);
  write_all(fd_, footer, kFooterSize, temp_path_);
  fsync_fd(fd_, temp_path_);
  if (::close(fd_) != 0) {
    fd_ = -1;
    fail_errno(errno, "cannot close " + temp_path_.string());
  }
  fd_ = -1;
  if (::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    fail_errno(errno, "cannot rename " + temp_path_.string() + " to " + path_.string());
  }
  committed_ = true;
  sync_directory(path_.parent_path());
}

CheckedFile::CheckedFile(const std::filesystem::path& path, FileKind expected) : file_(path) {
  const auto bytes = file_.bytes();
  const std::string& name = file_.path();
  if (bytes.size() < kHeaderSize + kFooterSize) {
    fail(ErrorKind::corruption, "{}: file too short ({} bytes) to be a tandem {} file", name,
         bytes.size(), to_string(expected));
  }
  if (std::memcmp(bytes.data(), kHeaderMagic, 8) != 0) {
    fail(ErrorKind::corruption, "{}: not a tandem index file (bad magic)", name);
  }
  std::uint32_t kind = 0;
  std::memcpy(&version_, bytes.data() + 8, 4);
  std::memcpy(&kind, bytes.data() + 12, 4);
  if (version_ > kFormatVersion) {
    fail(ErrorKind::unsupported,
         "{}: format version {} is not supported by this build (it reads version {}); "
         "upgrade tandem",
         name, version_, kFormatVersion);
  }
  if (version_ < kOldestFormatVersion) {
    fail(ErrorKind::unsupported,
         "{}: format version {} is no longer supported by this build (it reads version {}); "
         "rebuild the index",
         name, version_, kFormatVersion);
  }
  if (kind != static_cast<std::uint32_t>(expected)) {
    fail(ErrorKind::corruption, "{}: holds a '{}' file where a '{}' file was expected", name,
         to_string(static_cast<FileKind>(kind)), to_string(expected));
  }
  if (std::memcmp(bytes.data() + bytes.size() - 8, kFooterMagic, 8) != 0) {
    fail(ErrorKind::corruption, "{}: truncated or damaged (footer missing)", name);
  }
  payload_ = bytes.subspan(kHeaderSize, bytes.size() - kHeaderSize - kFooterSize);
}

void CheckedFile::verify() const {
  const auto bytes = file_.bytes();
  const std::size_t body = bytes.size() - kFooterSize;
  std::uint64_t stored = 0;
  std::memcpy(&stored, bytes.data() + body, 8);
  const std::uint64_t actual = XXH3_64bits(bytes.data(), body);
  if (stored != actual) {
    fail(ErrorKind::corruption, "{}: checksum mismatch (stored {:016x}, computed {:016x})",
         file_.path(), stored, actual);
  }
}

void write_file_atomic(const std::filesystem::path& path, std::string_view content) {
  const auto temp = make_temp_path(path);
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) fail_errno(errno, "cannot create " + temp.string());
  try {
    write_all(fd, content.data(), content.size(), temp);
    fsync_fd(fd, temp);
  } catch (...) {
    ::close(fd);
    ::unlink(temp.c_str());
    throw;
  }
  ::close(fd);
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int e = errno;
    ::unlink(temp.c_str());
    fail_errno(e, "cannot rename " + temp.string() + " to " + path.string());
  }
  sync_directory(path.parent_path());
}

}  // namespace tandem::io
