#include "tsign/store/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>

#include "tsign/core/file_io.hpp"
#include "tsign/core/random.hpp"

namespace tsign {

namespace {

constexpr std::string_view kTempMarker = ".tmp-";

std::filesystem::path parent_of(const std::filesystem::path& path) {
  auto dir = path.parent_path();
  return dir.empty() ? std::filesystem::path(".") : dir;
}

void step(const StepHook& hook, std::string_view name) {
  if (hook) hook(name);
}

}  // namespace


bool is_temporary_file_name(std::string_view name) {
  return name.size() > 1 && name.front() == '.' && name.find(kTempMarker) != std::string_view::npos;
}

Status fsync_directory(const std::filesystem::path& dir) {
  FileDescriptor fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) return posix_error("cannot open directory", dir);
  if (::fsync(fd.get()) != 0) return posix_error("cannot fsync directory", dir);
  return {};
}

Status write_file_atomic(const std::filesystem::path& path, ByteSpan data, const StepHook& hook) {
  const std::filesystem::path dir = parent_of(path);
  const std::filesystem::path temp =
      dir / ("." + path.filename().string() + std::string(kTempMarker) + to_hex(random_array<8>()));

  FileDescriptor fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (!fd.valid()) return posix_error("cannot create", temp);
  auto fail = [&](Error e) -> Status {
    ::unlink(temp.c_str());
    return e;
  };
  if (auto st = write_all(fd, data, temp); !st) return fail(st.error());
  if (::fsync(fd.get()) != 0) return fail(posix_error("cannot fsync", temp));
  if (fd.close() != 0) return fail(posix_error("cannot close", temp));
  step(hook, "write:synced");
  if (::rename(temp.c_str(), path.c_str()) != 0) return fail(posix_error("cannot rename onto", path));
  step(hook, "write:renamed");
  return fsync_directory(dir);
}

Status rename_durable(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) return posix_error("cannot rename " + from.string() + " to", to);
  return fsync_directory(parent_of(to));
}

Status wipe_file(const std::filesystem::path& path) {
  {
    FileDescriptor fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd.valid()) return posix_error("cannot open for wiping", path);
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return posix_error("cannot stat", path);
    if (!S_ISREG(st.st_mode)) return make_error(ErrorKind::Storage, path.string() + " is not a regular file");
    static const std::array<std::uint8_t, 4096> zeros{};
    for (auto left = static_cast<std::uint64_t>(st.st_size); left > 0;) {
      const std::size_t chunk = left < zeros.size() ? static_cast<std::size_t>(left) : zeros.size();
      TSIGN_CHECK(write_all(fd, ByteSpan(zeros).first(chunk), path));
      left -= chunk;
    }
    if (::fsync(fd.get()) != 0) return posix_error("cannot fsync", path);
    if (fd.close() != 0) return posix_error("cannot close", path);
  }
  if (::unlink(path.c_str()) != 0) return posix_error("cannot remove", path);
  return fsync_directory(parent_of(path));
}

}  // namespace tsign
