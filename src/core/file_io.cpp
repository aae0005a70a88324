#include "tsign/core/file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

namespace tsign {

Error posix_error(std::string_view action, const std::filesystem::path& path, int err) {
  return make_error(ErrorKind::Storage, std::string(action) + " " + path.string() + ": " + std::strerror(err));
}

Error posix_error(std::string_view action, const std::filesystem::path& path) {
  return posix_error(action, path, errno);
}

FileDescriptor::~FileDescriptor() {
  if (fd_ >= 0) ::close(fd_);
}

FileDescriptor& FileDescriptor::operator=(FileDescriptor&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.release();
  }
  return *this;
}

int FileDescriptor::release() noexcept { return std::exchange(fd_, -1); }

int FileDescriptor::close() noexcept { return ::close(release()); }

namespace {
Result<FileDescriptor> open_regular(const std::filesystem::path& path, struct stat& st) {
  // O_NONBLOCK: opening a FIFO for reading must not wait for a writer; it is refused below.
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
  if (!fd.valid()) {
    if (errno == ELOOP) return make_error(ErrorKind::Storage, path.string() + " is a symbolic link");
    return posix_error("cannot open", path);
  }
  if (::fstat(fd.get(), &st) != 0) return posix_error("cannot stat", path);
  if (!S_ISREG(st.st_mode)) return make_error(ErrorKind::Storage, path.string() + " is not a regular file");
  return fd;
}
}  // namespace

Result<FileDescriptor> open_regular_file(const std::filesystem::path& path) {
  struct stat st {};
  return open_regular(path, st);
}

Result<std::size_t> read_up_to(const FileDescriptor& fd, std::span<std::uint8_t> out,
                               const std::filesystem::path& path) {
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::read(fd.get(), out.data() + done, out.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return posix_error("cannot read", path);
    }
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  return done;
}

Result<Bytes> read_file(const std::filesystem::path& path, std::size_t max_size, FileAccess access) {
  struct stat st {};
  TSIGN_TRY(FileDescriptor fd, open_regular(path, st));
  if (access == FileAccess::owner_only && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return make_error(ErrorKind::Storage, path.string() + " is open to group or others (chmod 600)");
  }
  if (static_cast<std::uint64_t>(st.st_size) > max_size) {
    return make_error(ErrorKind::InvalidInput, path.string() + " is larger than " + std::to_string(max_size) + " bytes");
  }
  // One byte more than fstat promised: reading it means the file grew in between.
  Bytes out(static_cast<std::size_t>(st.st_size) + 1);
  TSIGN_TRY(std::size_t got, read_up_to(fd, out, path));
  if (got != out.size() - 1) return make_error(ErrorKind::Storage, path.string() + " changed while being read");
  out.pop_back();
  return out;
}

Status write_all(const FileDescriptor& fd, ByteSpan data, const std::filesystem::path& path) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd.get(), data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return posix_error("cannot write", path);
    }
    done += static_cast<std::size_t>(n);
  }
  return {};
}

}  // namespace tsign
