// One writer per index: an exclusive advisory lock on <index>/write.lock.
#pragma once

#include <filesystem>

namespace tandem::index {

/// Holds the write lock of an index directory for its lifetime. The lock is an flock(2) on
/// write.lock, so it is released by the kernel if the process dies (no stale locks after kill -9).
class WriteLock {
 public:
  /// Throws Error(invalid_argument) naming the holder's pid if another process holds the lock.
  explicit WriteLock(const std::filesystem::path& index_dir);
  ~WriteLock();
  WriteLock(const WriteLock&) = delete;
  WriteLock& operator=(const WriteLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace tandem::index
