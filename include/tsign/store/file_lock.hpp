#pragma once
// An exclusive advisory lock (flock) held for the object's lifetime, so that one writer at a time
// uses a share store or an audit log. The kernel drops it when the process dies, so a crash never
// leaves a stale lock behind.
#include <filesystem>

#include "tsign/core/result.hpp"

namespace tsign {

class FileLock {
 public:
  // Creates the lock file if needed (mode 0600). Storage error when another holder has it.
  static Result<FileLock> acquire(const std::filesystem::path& path);

  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&& other) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace tsign
