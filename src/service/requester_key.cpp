#include "tsign/service/requester_key.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include "tsign/core/file_io.hpp"
#include "tsign/core/text_fields.hpp"

namespace tsign {

Status write_requester_key_file(const std::filesystem::path& file, const IdentityKey& key) {
  FileDescriptor fd(::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!fd.valid()) return posix_error("cannot create the requester key file", file);
  const SecretBytes seed = key.seed();
  std::string text = to_hex(seed.expose());
  text += '\n';
  Status written = write_all(fd, as_bytes(text), file);
  sodium_memzero(text.data(), text.size());
  if (written.ok() && ::fsync(fd.get()) != 0) written = posix_error("cannot fsync", file);
  if (fd.close() != 0 && written.ok()) written = posix_error("cannot close", file);
  if (!written.ok()) {
    ::unlink(file.c_str());
    return written;
  }
  return {};
}

Result<IdentityKey> read_requester_key_file(const std::filesystem::path& file) {
  auto bytes = read_file(file, 128, FileAccess::owner_only);
  if (!bytes) return make_error(ErrorKind::Storage, "requester key file: " + bytes.error().message);
  std::string_view view(reinterpret_cast<const char*>(bytes->data()), bytes->size());
  if (!view.empty() && view.back() == '\n') view.remove_suffix(1);
  auto seed = parse_hex(view, "requester key", 32);
  sodium_memzero(bytes->data(), bytes->size());
  if (!seed) return make_error(ErrorKind::Storage, "requester key file " + file.string() + ": expected 64 hex digits");
  auto key = IdentityKey::from_seed(*seed);
  sodium_memzero(seed->data(), seed->size());
  return key;
}

}  // namespace tsign
