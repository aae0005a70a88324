#include "tsign/store/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>

#include "posix_io.hpp"
#include "tsign/core/random.hpp"

namespace tsign {

namespace {

constexpr std::string_view kTempMarker = ".tmp-";

// Closes on scope exit unless released.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  // close(2) can report a delayed write error: callers that wrote must check it.
  int close() { return ::close(std::exchange(fd_, -1)); }

 private:
  int fd_;
};

std::filesystem::path parent_of(const std::filesystem::path& path) {
  auto dir = path.parent_path();
  return dir.empty() ? std::filesystem::path(".") : dir;
}

void step(const StepHook& hook, std::string_view name) {
  if (hook) hook(name);
}

}  // namespace

namespace detail {
Status write_all(int fd, ByteSpan data, const std::filesystem::path& path) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return posix_error("cannot write", path);
    }
    done += static_cast<std::size_t>(n);
  }
  return {};
}
}  // namespace detail

bool is_temporary_file_name(std::string_view name) {
  return name.size() > 1 && name.front() == '.' && name.find(kTempMarker) != std::string_view::npos;
}

Status fsync_directory(const std::filesystem::path& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) return detail::posix_error("cannot open directory", dir);
  if (::fsync(fd.get()) != 0) return detail::posix_error("cannot fsync directory", dir);
  return {};
}

Status write_file_atomic(const std::filesystem::path& path, ByteSpan data, const StepHook& hook) {
  const std::filesystem::path dir = parent_of(path);
  const std::filesystem::path temp =
      dir / ("." + path.filename().string() + std::string(kTempMarker) + to_hex(random_array<8>()));

  Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (!fd.valid()) return detail::posix_error("cannot create", temp);
  auto fail = [&](Error e) -> Status {
    ::unlink(temp.c_str());
    return e;
  };
  if (auto st = detail::write_all(fd.get(), data, temp); !st) return fail(st.error());
  if (::fsync(fd.get()) != 0) return fail(detail::posix_error("cannot fsync", temp));
  if (fd.close() != 0) return fail(detail::posix_error("cannot close", temp));
  step(hook, "write:synced");
  if (::rename(temp.c_str(), path.c_str()) != 0) return fail(detail::posix_error("cannot rename onto", path));
  step(hook, "write:renamed");
  return fsync_directory(dir);
}

Result<Bytes> read_file(const std::filesystem::path& path, std::size_t max_size) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return detail::posix_error("cannot open", path);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return detail::posix_error("cannot stat", path);
  if (!S_ISREG(st.st_mode)) return make_error(ErrorKind::Storage, path.string() + " is not a regular file");
  if (static_cast<std::uint64_t>(st.st_size) > max_size) {
    return make_error(ErrorKind::InvalidInput, path.string() + " is larger than " + std::to_string(max_size) + " bytes");
  }
  Bytes out(static_cast<std::size_t>(st.st_size));
  std::size_t done = 0;
  for (;;) {
    if (done == out.size()) {
      // The file must not have grown since fstat: one more byte means it did.
      std::uint8_t extra = 0;
      ssize_t n = ::read(fd.get(), &extra, 1);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return detail::posix_error("cannot read", path);
      if (n > 0) return make_error(ErrorKind::Storage, path.string() + " changed while being read");
      return out;
    }
    const ssize_t n = ::read(fd.get(), out.data() + done, out.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return detail::posix_error("cannot read", path);
    }
    if (n == 0) return make_error(ErrorKind::Storage, path.string() + " changed while being read");
    done += static_cast<std::size_t>(n);
  }
}

Status rename_durable(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) return detail::posix_error("cannot rename " + from.string() + " to", to);
  return fsync_directory(parent_of(to));
}

Status wipe_file(const std::filesystem::path& path) {
  {
    Fd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd.valid()) return detail::posix_error("cannot open for wiping", path);
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return detail::posix_error("cannot stat", path);
    if (!S_ISREG(st.st_mode)) return make_error(ErrorKind::Storage, path.string() + " is not a regular file");
    static const std::array<std::uint8_t, 4096> zeros{};
    for (auto left = static_cast<std::uint64_t>(st.st_size); left > 0;) {
      const std::size_t chunk = left < zeros.size() ? static_cast<std::size_t>(left) : zeros.size();
      TSIGN_CHECK(detail::write_all(fd.get(), ByteSpan(zeros).first(chunk), path));
      left -= chunk;
    }
    if (::fsync(fd.get()) != 0) return detail::posix_error("cannot fsync", path);
    if (fd.close() != 0) return detail::posix_error("cannot close", path);
  }
  if (::unlink(path.c_str()) != 0) return detail::posix_error("cannot remove", path);
  return fsync_directory(parent_of(path));
}

}  // namespace tsign
