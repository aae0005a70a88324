#include "tsign/custody/process.hpp"

#include <malloc.h>
#include <sodium.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "tsign/core/file_io.hpp"

namespace tsign {

Status harden_process() {
  const rlimit none{0, 0};
  if (::setrlimit(RLIMIT_CORE, &none) != 0) {
    return make_error(ErrorKind::Internal, std::string("cannot disable core dumps: ") + std::strerror(errno));
  }
  if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
    return make_error(ErrorKind::Internal, std::string("cannot make the process non-dumpable: ") + std::strerror(errno));
  }
  return {};
}

std::optional<SecretBytes> take_secret_from_environment(const char* name) {
  char* value = std::getenv(name);
  if (value == nullptr) return std::nullopt;
  const std::size_t size = std::strlen(value);
  SecretBytes out = SecretBytes::copy_of({reinterpret_cast<const std::uint8_t*>(value), size});
  sodium_memzero(value, size);
  ::unsetenv(name);
  return out;
}

void keep_freed_heap_for_reuse() {
#ifdef __GLIBC__
  ::mallopt(M_TRIM_THRESHOLD, 64 << 20);
  ::mallopt(M_TOP_PAD, 16 << 20);
#endif
}

Result<SecretBytes> read_secret_file(const std::filesystem::path& file, std::size_t max_size) {
  TSIGN_TRY(Bytes raw, read_file(file, max_size + 2, FileAccess::owner_only));
  std::size_t n = raw.size();
  if (n > 0 && raw[n - 1] == '\n') --n;
  if (n > 0 && raw[n - 1] == '\r') --n;
  SecretBytes out = SecretBytes::copy_of(ByteSpan(raw).first(n));
  detail::secure_wipe(raw.data(), raw.size());
  if (n > max_size) return make_error(ErrorKind::InvalidInput, file.string() + ": longer than " + std::to_string(max_size) + " bytes");
  return out;
}

}  // namespace tsign
