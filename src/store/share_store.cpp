#include "tsign/store/share_store.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "tsign/core/file_io.hpp"

namespace tsign {

namespace {

constexpr std::string_view kCommittedSuffix = ".share";
constexpr std::string_view kStagedSuffix = ".staged";
constexpr std::size_t kEpochDigits = 20;  // u64 max has 20 digits: names sort as epochs do
constexpr std::size_t kMaxFileSize = kMaxSharePayload + 16 + 4096;

std::string epoch_file_name(std::uint64_t epoch, bool staged) {
  char digits[kEpochDigits + 1];
  std::snprintf(digits, sizeof digits, "%020llu", static_cast<unsigned long long>(epoch));
  return std::string(digits) + std::string(staged ? kStagedSuffix : kCommittedSuffix);
}

struct EpochName {
  std::uint64_t epoch;
  bool staged;
};

std::optional<EpochName> parse_epoch_file_name(std::string_view name) {
  bool staged = false;
  if (name.size() == kEpochDigits + kCommittedSuffix.size() && name.ends_with(kCommittedSuffix)) {
    staged = false;
  } else if (name.size() == kEpochDigits + kStagedSuffix.size() && name.ends_with(kStagedSuffix)) {
    staged = true;
  } else {
    return std::nullopt;
  }
  const std::string_view digits = name.substr(0, kEpochDigits);
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
  std::uint64_t epoch = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), epoch);
  if (ec != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;  // above u64
  return EpochName{epoch, staged};
}

std::optional<KeyId> parse_key_dir_name(std::string_view name) {
  if (name.size() != 64) return std::nullopt;
  if (!std::all_of(name.begin(), name.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); })) {
    return std::nullopt;
  }
  Bytes raw = from_hex(name);
  KeyId id;
  std::copy(raw.begin(), raw.end(), id.begin());
  return id;
}

struct Listing {
  std::vector<std::uint64_t> committed;
  std::optional<std::uint64_t> staged;
  std::vector<std::filesystem::path> temporaries;  // left by a writer that died
};

// Reads a key directory strictly: anything but epoch files and orphaned temporaries is an error.
Result<Listing> list_key_dir(const std::filesystem::path& dir) {
  Listing out;
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) return posix_error("cannot list", dir, ec.value());
  for (const auto& entry : it) {
    const std::string name = entry.path().filename().string();
    if (is_temporary_file_name(name)) {
      out.temporaries.push_back(entry.path());
      continue;
    }
    auto parsed = parse_epoch_file_name(name);
    if (!parsed || !entry.is_regular_file()) {
      return make_error(ErrorKind::Storage, "unexpected entry " + entry.path().string() + " in a share directory");
    }
    if (!parsed->staged) {
      out.committed.push_back(parsed->epoch);
    } else if (out.staged) {
      return make_error(ErrorKind::Storage, "two staged epochs in " + dir.string());
    } else {
      out.staged = parsed->epoch;
    }
  }
  std::sort(out.committed.begin(), out.committed.end());
  return out;
}

Status make_private_dir(const std::filesystem::path& dir) {
  if (::mkdir(dir.c_str(), 0700) != 0) {
    if (errno != EEXIST) return posix_error("cannot create directory", dir);
    if (!std::filesystem::is_directory(dir)) return make_error(ErrorKind::Storage, dir.string() + " is not a directory");
    return {};
  }
  auto parent = dir.parent_path();
  return fsync_directory(parent.empty() ? std::filesystem::path(".") : parent);
}

Status wipe_all(const std::vector<std::filesystem::path>& files) {
  for (const auto& f : files) TSIGN_CHECK(wipe_file(f));
  return {};
}

}  // namespace

ShareStore::ShareStore(std::filesystem::path root, PartyId party, Options options, FileLock lock)
    : root_(std::move(root)), party_(party), options_(std::move(options)), lock_(std::move(lock)) {}

Result<ShareStore> ShareStore::open(std::filesystem::path root, PartyId party, Options options) {
  if (party == 0) return make_error(ErrorKind::InvalidInput, "share store: party id 0 is not allowed");
  TSIGN_CHECK(make_private_dir(root));
  TSIGN_TRY(FileLock lock, FileLock::acquire(root / ".lock"));
  return ShareStore(std::move(root), party, std::move(options), std::move(lock));
}

std::filesystem::path ShareStore::key_dir(const KeyId& key_id) const { return root_ / to_hex(key_id); }

void ShareStore::step(std::string_view name) const {
  if (options_.on_step) options_.on_step(name);
}

Status ShareStore::stage(const ShareHeader& header, ByteSpan share, KeyProtector& protector) {
  if (header.party_id != party_) {
    return make_error(ErrorKind::InvalidInput, "share of party " + std::to_string(header.party_id) +
                                                   " cannot be stored for party " + std::to_string(party_));
  }
  const auto dir = key_dir(header.key_id);
  const bool new_key = !std::filesystem::exists(dir);
  Listing listing;
  if (!new_key) {
    TSIGN_TRY(listing, list_key_dir(dir));
  }
  if (!listing.committed.empty()) {
    const std::uint64_t current = listing.committed.back();
    if (header.epoch <= current) {
      return make_error(ErrorKind::InvalidInput, "epoch " + std::to_string(header.epoch) +
                                                     " is not above the committed epoch " + std::to_string(current));
    }
    TSIGN_TRY(Bytes committed_file, read_file(dir / epoch_file_name(current, false), kMaxFileSize, FileAccess::owner_only));
    TSIGN_TRY(SealedShareFile committed, parse_sealed_share(committed_file));
    if (committed.header.share.suite != header.suite) {
      return make_error(ErrorKind::InvalidInput, std::string("key is ") + to_string(committed.header.share.suite) +
                                                     ", the new epoch is " + to_string(header.suite));
    }
  }
  if (listing.staged && *listing.staged != header.epoch) {
    return make_error(ErrorKind::InvalidInput, "epoch " + std::to_string(*listing.staged) +
                                                   " is already staged: commit or discard it first");
  }
  TSIGN_TRY(Bytes file, seal_share(header, share, protector));
  TSIGN_CHECK(make_private_dir(dir));
  TSIGN_CHECK(wipe_all(listing.temporaries));
  if (auto written = write_file_atomic(dir / epoch_file_name(header.epoch, true), file, options_.on_step); !written) {
    if (new_key) ::rmdir(dir.c_str());  // leave no empty key behind
    return written;
  }
  step("stage:done");
  return {};
}

Status ShareStore::commit(const KeyId& key_id, std::uint64_t epoch) {
  step("commit:begin");
  const auto dir = key_dir(key_id);
  TSIGN_TRY(Listing listing, list_key_dir(dir));
  const bool already = std::find(listing.committed.begin(), listing.committed.end(), epoch) != listing.committed.end();
  if (listing.staged == epoch) {
    // The staged file must really be this party's share of this key and epoch before it becomes
    // the one load() returns.
    const auto staged = dir / epoch_file_name(epoch, true);
    TSIGN_TRY(Bytes file, read_file(staged, kMaxFileSize, FileAccess::owner_only));
    TSIGN_TRY(SealedShareFile parsed, parse_sealed_share(file));
    TSIGN_CHECK(check_expectation(parsed.header.share, {key_id, party_, epoch, std::nullopt}));
    TSIGN_CHECK(rename_durable(staged, dir / epoch_file_name(epoch, false)));
    step("commit:renamed");
  } else if (!already) {
    return make_error(ErrorKind::InvalidInput, "epoch " + std::to_string(epoch) + " of key " + to_hex(key_id) +
                                                   " is not staged");
  }
  std::vector<std::filesystem::path> older;
  for (std::uint64_t e : listing.committed) {
    if (e < epoch) older.push_back(dir / epoch_file_name(e, false));
  }
  TSIGN_CHECK(wipe_all(older));
  step("commit:done");
  return {};
}

Status ShareStore::discard(const KeyId& key_id, std::uint64_t epoch) {
  const auto dir = key_dir(key_id);
  TSIGN_TRY(Listing listing, list_key_dir(dir));
  if (listing.staged != epoch) {
    return make_error(ErrorKind::InvalidInput, "epoch " + std::to_string(epoch) + " of key " + to_hex(key_id) +
                                                   " is not staged");
  }
  TSIGN_CHECK(wipe_file(dir / epoch_file_name(epoch, true)));
  TSIGN_CHECK(wipe_all(listing.temporaries));
  if (listing.committed.empty()) {
    // A key generation that never committed leaves nothing behind.
    if (::rmdir(dir.c_str()) != 0) return posix_error("cannot remove", dir);
    TSIGN_CHECK(fsync_directory(root_));
  }
  return {};
}

Status ShareStore::rewrite(const ShareHeader& header, ByteSpan share, KeyProtector& protector) {
  TSIGN_TRY(KeyState s, state(header.key_id));
  if (s.committed.empty() || s.committed.back() != header.epoch) {
    return make_error(ErrorKind::InvalidInput, "epoch " + std::to_string(header.epoch) + " of key " +
                                                   to_hex(header.key_id) + " is not the committed epoch");
  }
  const auto path = key_dir(header.key_id) / epoch_file_name(header.epoch, false);
  TSIGN_TRY(Bytes current_file, read_file(path, kMaxFileSize, FileAccess::owner_only));
  TSIGN_TRY(SealedShareFile current, parse_sealed_share(current_file));
  if (!(current.header.share == header)) {
    return make_error(ErrorKind::InvalidInput, "a rewrite must keep the header of the committed file");
  }
  TSIGN_TRY(Bytes file, seal_share(header, share, protector));
  return write_file_atomic(path, file, options_.on_step);
}

Result<UnsealedShare> ShareStore::load_file(const KeyId& key_id, std::uint64_t epoch, bool staged,
                                            KeyProtector& protector) const {
  TSIGN_TRY(Bytes file, read_file(key_dir(key_id) / epoch_file_name(epoch, staged), kMaxFileSize, FileAccess::owner_only));
  return unseal_share(file, protector, {key_id, party_, epoch, std::nullopt});
}

Result<UnsealedShare> ShareStore::load(const KeyId& key_id, KeyProtector& protector) const {
  TSIGN_TRY(KeyState s, state(key_id));
  if (s.committed.empty()) {
    return make_error(ErrorKind::Storage, "no committed share of key " + to_hex(key_id) + " in " + root_.string());
  }
  return load_file(key_id, s.committed.back(), false, protector);
}

Result<UnsealedShare> ShareStore::load_staged(const KeyId& key_id, KeyProtector& protector) const {
  TSIGN_TRY(KeyState s, state(key_id));
  if (!s.staged) return make_error(ErrorKind::Storage, "no staged share of key " + to_hex(key_id));
  return load_file(key_id, *s.staged, true, protector);
}

Result<ShareHeader> ShareStore::read_header(const KeyId& key_id, bool staged) const {
  TSIGN_TRY(KeyState s, state(key_id));
  if (staged ? !s.staged : s.committed.empty()) {
    return make_error(ErrorKind::Storage, std::string("no ") + (staged ? "staged" : "committed") + " share of key " +
                                              to_hex(key_id));
  }
  const std::uint64_t epoch = staged ? *s.staged : s.committed.back();
  TSIGN_TRY(Bytes file, read_file(key_dir(key_id) / epoch_file_name(epoch, staged), kMaxFileSize, FileAccess::owner_only));
  TSIGN_TRY(SealedShareFile parsed, parse_sealed_share(file));
  return parsed.header.share;
}

Result<ShareStore::KeyState> ShareStore::state(const KeyId& key_id) const {
  const auto dir = key_dir(key_id);
  if (!std::filesystem::exists(dir)) return KeyState{};
  TSIGN_TRY(Listing listing, list_key_dir(dir));
  return KeyState{std::move(listing.committed), listing.staged};
}

Result<std::vector<KeyId>> ShareStore::keys() const {
  std::vector<KeyId> out;
  std::error_code ec;
  std::filesystem::directory_iterator it(root_, ec);
  if (ec) return posix_error("cannot list", root_, ec.value());
  for (const auto& entry : it) {
    if (!entry.is_directory()) continue;
    if (auto id = parse_key_dir_name(entry.path().filename().string())) out.push_back(*id);
  }
  std::sort(out.begin(), out.end());
  return out;
}

Status ShareStore::decommission(const KeyId& key_id, std::optional<UnsealedShare> held) {
  if (held) held->share = SecretBytes{};  // freeing a SecretBytes wipes it
  const auto dir = key_dir(key_id);
  if (!std::filesystem::exists(dir)) return make_error(ErrorKind::Storage, "no share of key " + to_hex(key_id));
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) return posix_error("cannot list", dir, ec.value());
  // Every file that can be wiped is, whatever fails before it; each failure is reported.
  std::string failures;
  const auto failed = [&failures](const std::string& what) { failures += (failures.empty() ? "" : "; ") + what; };
  for (const auto& entry : it) {
    if (!entry.is_regular_file()) {
      failed("unexpected entry " + entry.path().string() + " left in place");
      continue;
    }
    if (Status wiped = wipe_file(entry.path()); !wiped) failed(wiped.error().message);
  }
  if (failures.empty() && ::rmdir(dir.c_str()) != 0) failed(posix_error("cannot remove", dir).message);
  if (failures.empty()) {
    if (Status synced = fsync_directory(root_); !synced) failed(synced.error().message);
  }
  if (!failures.empty()) return make_error(ErrorKind::Storage, "decommission incomplete: " + failures);
  return {};
}

}  // namespace tsign
