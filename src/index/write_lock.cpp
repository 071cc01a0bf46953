#include "tandem/index/write_lock.hpp"

#include <cerrno>
#include <string>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "tandem/core/error.hpp"

namespace tandem::index {

WriteLock::WriteLock(const std::filesystem::path& index_dir) {
  const auto path = index_dir / "write.lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) fail_errno(errno, "cannot open " + path.string());
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int e = errno;
    char buf[32] = {};
    const ssize_t n = ::pread(fd_, buf, sizeof(buf) - 1, 0);
    ::close(fd_);
    fd_ = -1;
    if (e == EWOULDBLOCK) {
      const std::string holder = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "unknown";
      fail(ErrorKind::invalid_argument,
           "{}: another tandem process (pid {}) is writing this index; wait for it to finish",
           index_dir.string(), holder);
    }
    fail_errno(e, "cannot lock " + path.string());
  }
  const std::string pid = std::to_string(::getpid());
  if (::ftruncate(fd_, 0) == 0) {
    [[maybe_unused]] const ssize_t w = ::pwrite(fd_, pid.data(), pid.size(), 0);
  }
}

WriteLock::~WriteLock() {
  if (fd_ >= 0) {
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
  }
}

}  // namespace tandem::index
