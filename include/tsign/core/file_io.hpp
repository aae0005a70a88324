#pragma once
// Reading files an attacker may have planted or swapped: never through a symbolic link, never
// blocking on a FIFO or a device, never more bytes than the caller bounds.
#include <filesystem>
#include <string_view>

#include "tsign/core/bytes.hpp"
#include "tsign/core/result.hpp"

namespace tsign {

// A storage error that names the action, the path and the system's reason.
Error posix_error(std::string_view action, const std::filesystem::path& path, int err);
Error posix_error(std::string_view action, const std::filesystem::path& path);  // with errno

// Owns a file descriptor: closes it on scope exit.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd = -1) noexcept : fd_(fd) {}
  ~FileDescriptor();
  FileDescriptor(FileDescriptor&& other) noexcept : fd_(other.release()) {}
  FileDescriptor& operator=(FileDescriptor&& other) noexcept;
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;

  int get() const noexcept { return fd_; }
  bool valid() const noexcept { return fd_ >= 0; }
  int release() noexcept;
  // close(2) can report a delayed write error: callers that wrote must check it.
  int close() noexcept;

 private:
  int fd_;
};

// Opens a regular file for reading: a symbolic link in the last component, a FIFO, a socket or a
// device is refused before any byte is read.
Result<FileDescriptor> open_regular_file(const std::filesystem::path& path);

// Who may read a file that is about to be trusted.
enum class FileAccess {
  any,         // public data: configurations, public keys
  owner_only,  // secrets: refused if group or others may read or write it
};

// A whole regular file of at most max_size bytes; refused if it grows while being read.
Result<Bytes> read_file(const std::filesystem::path& path, std::size_t max_size,
                        FileAccess access = FileAccess::any);

// read(2) into out until it is full or the file ends; returns the bytes read.
Result<std::size_t> read_up_to(const FileDescriptor& fd, std::span<std::uint8_t> out, const std::filesystem::path& path);

// write(2) until every byte is written, retrying on EINTR.
Status write_all(const FileDescriptor& fd, ByteSpan data, const std::filesystem::path& path);

}  // namespace tsign
