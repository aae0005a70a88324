#include "tsign/custody/presignature_pool.hpp"

#include <sys/stat.h>

#include <cerrno>

#include "tsign/core/file_io.hpp"

namespace tsign {

namespace {

constexpr std::string_view kSealedSuffix = ".presig";
constexpr std::string_view kUsedSuffix = ".used";
constexpr std::size_t kMaxSealedSize = 64 * 1024;

Status make_private_dir(const std::filesystem::path& dir) {
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return posix_error("cannot create", dir);
  struct stat st {};
  if (::lstat(dir.c_str(), &st) != 0) return posix_error("cannot stat", dir);
  if (!S_ISDIR(st.st_mode)) return make_error(ErrorKind::Storage, dir.string() + " is not a directory");
  if ((st.st_mode & 077) != 0) {
    return make_error(ErrorKind::Storage, dir.string() + " is readable by group or others: make it mode 0700");
  }
  return {};
}

std::string sealed_name(std::uint64_t epoch, const Digest32& id) {
  return std::to_string(epoch) + "-" + to_hex(id) + std::string(kSealedSuffix);
}

bool is_hex64(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

Result<PresignaturePool> PresignaturePool::open(std::filesystem::path dir, Options options) {
  TSIGN_CHECK(make_private_dir(dir));
  return PresignaturePool(std::move(dir), std::move(options));
}

std::filesystem::path PresignaturePool::key_dir(const KeyId& key_id) const { return dir_ / to_hex(key_id); }

Status PresignaturePool::add(const ShareHeader& key_header, Presignature&& presignature, KeyProtector& protector) {
  if (presignature.self() != key_header.party_id) {
    return make_error(ErrorKind::InvalidInput, "the presignature is of another party");
  }
  TSIGN_TRY(std::vector<Entry> present, list(key_header.key_id));
  if (present.size() >= kMaxPerKey) {
    return make_error(ErrorKind::InvalidInput, "the key already has " + std::to_string(present.size()) + " presignatures");
  }
  const std::filesystem::path dir = key_dir(key_header.key_id);
  TSIGN_CHECK(make_private_dir(dir));
  const Digest32 id = presignature.id();
  TSIGN_TRY(SecretBytes bytes, Presignature::encode(std::move(presignature)));
  TSIGN_TRY(Bytes sealed, seal_share(key_header, bytes.expose(), protector));
  return write_file_atomic(dir / sealed_name(key_header.epoch, id), sealed);
}

Result<std::vector<PresignaturePool::Entry>> PresignaturePool::list(const KeyId& key_id) const {
  std::vector<Entry> out;
  const std::filesystem::path dir = key_dir(key_id);
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) return out;
  for (const auto& item : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = item.path().filename().string();
    if (name.size() <= kSealedSuffix.size() || name.compare(name.size() - kSealedSuffix.size(), kSealedSuffix.size(), kSealedSuffix) != 0) continue;
    const std::string stem = name.substr(0, name.size() - kSealedSuffix.size());
    const auto dash = stem.find('-');
    if (dash == std::string::npos || dash == 0 || dash > 19 || !is_hex64(stem.substr(dash + 1))) continue;
    if (!std::all_of(stem.begin(), stem.begin() + static_cast<std::ptrdiff_t>(dash), [](char c) { return c >= '0' && c <= '9'; })) continue;
    Entry e;
    e.epoch = std::stoull(stem.substr(0, dash));
    const Bytes id = from_hex(stem.substr(dash + 1));
    std::copy(id.begin(), id.end(), e.id.begin());
    if (std::filesystem::exists(dir / (to_hex(e.id) + std::string(kUsedSuffix)), ec)) continue;
    out.push_back(e);
  }
  if (ec) return make_error(ErrorKind::Storage, "cannot list " + dir.string() + ": " + ec.message());
  std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) { return a.epoch != b.epoch ? a.epoch < b.epoch : a.id < b.id; });
  return out;
}

Result<Presignature> PresignaturePool::take(const ShareHeader& key_header, const Digest32& id, KeyProtector& protector) {
  const std::filesystem::path dir = key_dir(key_header.key_id);
  const std::filesystem::path used = dir / (to_hex(id) + std::string(kUsedSuffix));
  if (std::filesystem::exists(used)) {
    return make_error(ErrorKind::InvalidInput, "presignature " + to_hex(id) + " was used already");
  }
  const std::filesystem::path file = dir / sealed_name(key_header.epoch, id);
  if (!std::filesystem::exists(file)) {
    return make_error(ErrorKind::InvalidInput, "no presignature " + to_hex(id) + " for epoch " +
                                                   std::to_string(key_header.epoch) + " of this key (one made before "
                                                   "a refresh or resharing is void)");
  }
  TSIGN_TRY(Bytes sealed, read_file(file, kMaxSealedSize, FileAccess::owner_only));
  TSIGN_TRY(UnsealedShare unsealed,
            unseal_share(sealed, protector, {key_header.key_id, key_header.party_id, key_header.epoch, key_header.suite}));
  TSIGN_TRY(Presignature presignature, Presignature::decode(unsealed.share.expose()));
  if (presignature.id() != id || presignature.self() != key_header.party_id) {
    return make_error(ErrorKind::Storage, file.string() + " holds another presignature than its name says");
  }
  // Used from here on, durably, before anything made from it can leave.
  TSIGN_CHECK(write_file_atomic(used, {}));
  if (options_.on_step) options_.on_step("presignature:recorded");
  TSIGN_CHECK(wipe_file(file));
  return presignature;
}

Status PresignaturePool::purge(const KeyId& key_id) {
  const std::filesystem::path dir = key_dir(key_id);
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) return {};
  std::vector<std::filesystem::path> files;
  for (const auto& item : std::filesystem::directory_iterator(dir, ec)) files.push_back(item.path());
  if (ec) return make_error(ErrorKind::Storage, "cannot list " + dir.string() + ": " + ec.message());
  std::string failures;  // every file that can be wiped is; each failure is reported
  for (const auto& f : files) {
    if (Status wiped = wipe_file(f); !wiped) failures += (failures.empty() ? "" : "; ") + wiped.error().message;
  }
  if (!failures.empty()) return make_error(ErrorKind::Storage, "presignatures not wiped: " + failures);
  if (::rmdir(dir.c_str()) != 0) return posix_error("cannot remove", dir);
  return fsync_directory(dir_);
}

}  // namespace tsign
