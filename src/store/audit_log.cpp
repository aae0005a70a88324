#include "tsign/store/audit_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <map>
#include <mutex>

#include "audit_format.hpp"
#include "tsign/core/file_io.hpp"
#include "tsign/store/atomic_file.hpp"
#include "tsign/store/file_lock.hpp"

namespace tsign {

namespace {

using detail::AuditCheckpoint;

Error audit_error(const std::string& why) { return make_error(ErrorKind::Storage, "audit log: " + why); }

std::uint32_t read_be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]};
}

// The log read from start to end with every entry checked against the chain and the key.
struct Scan {
  Digest32 genesis{};
  AuditHead head;
  std::uint64_t valid_end = 0;  // file offset just after the last complete entry
  bool torn_tail = false;       // an incomplete entry follows (a crash while appending)
  std::map<std::uint64_t, Digest32> hash_at;  // for the counts asked for
};

Result<Scan> scan_log(const std::filesystem::path& path, const ByteArray<32>& public_key,
                      const std::vector<std::uint64_t>& counts_of_interest,
                      const std::function<void(const AuditEntry&)>& on_entry) {
  TSIGN_TRY(FileDescriptor in, open_regular_file(path));
  Bytes header(detail::kAuditLogHeaderSize);
  TSIGN_TRY(std::size_t header_read, read_up_to(in, header, path));
  if (header_read != header.size()) return audit_error("truncated file header");
  TSIGN_TRY(ByteArray<32> log_key, detail::decode_audit_log_header(header));
  if (log_key != public_key) {
    return audit_error("signed by identity " + to_hex(log_key) + ", expected identity " + to_hex(public_key));
  }

  Scan scan;
  scan.genesis = detail::audit_genesis_hash(header);
  scan.head = {0, scan.genesis};
  scan.valid_end = header.size();
  auto remember = [&] {
    for (std::uint64_t c : counts_of_interest) {
      if (c == scan.head.count) scan.hash_at[c] = scan.head.hash;
    }
  };
  remember();

  Bytes record;
  for (;;) {
    std::array<std::uint8_t, 4> len_bytes{};
    TSIGN_TRY(std::size_t got, read_up_to(in, len_bytes, path));
    if (got == 0) break;
    if (got < 4) {
      scan.torn_tail = true;
      break;
    }
    const std::uint32_t len = read_be32(len_bytes.data());
    const std::string where = "entry " + std::to_string(scan.head.count);
    if (len < 64 || len > detail::kMaxAuditRecordSize) {
      return audit_error(where + " has an impossible length " + std::to_string(len));
    }
    record.resize(len);
    TSIGN_TRY(std::size_t record_read, read_up_to(in, record, path));
    if (record_read != len) {
      scan.torn_tail = true;
      break;
    }
    auto entry = detail::decode_audit_record(record);
    if (!entry.ok()) return audit_error(where + ": " + entry.error().message);
    if (entry->sequence != scan.head.count) {
      return audit_error(where + " carries sequence number " + std::to_string(entry->sequence) +
                         ": entries were removed or reordered");
    }
    if (entry->previous_hash != scan.head.hash) {
      return audit_error(where + " does not follow the previous entry: the hash chain is broken");
    }
    const ByteSpan body = ByteSpan(record).first(record.size() - 64);
    if (!verify_identity_signature(public_key, detail::audit_entry_message(body), entry->signature)) {
      return audit_error(where + " has an invalid signature: it was modified");
    }
    scan.head = {scan.head.count + 1, entry->hash};
    scan.valid_end += 4 + len;
    remember();
    if (on_entry) on_entry(*entry);
  }
  return scan;
}

Result<AuditCheckpoint> read_checkpoint(const std::filesystem::path& log) {
  const auto path = audit_checkpoint_path(log);
  if (!std::filesystem::exists(path)) {
    return audit_error("checkpoint " + path.string() + " is missing: truncation cannot be ruled out");
  }
  TSIGN_TRY(Bytes file, read_file(path, 1024));
  auto cp = detail::decode_audit_checkpoint(file);
  if (!cp.ok()) return audit_error(cp.error().message);
  return cp;
}

// The checkpoint must be signed by the identity and vouch for a prefix of the scanned log.
Status check_anchor(const Scan& scan, const AuditHead& anchor, const std::string& what) {
  if (anchor.count > scan.head.count) {
    return audit_error(what + " records " + std::to_string(anchor.count) + " entries but the log holds " +
                       std::to_string(scan.head.count) + ": it was truncated or rolled back");
  }
  auto it = scan.hash_at.find(anchor.count);
  if (it == scan.hash_at.end() || it->second != anchor.hash) {
    return audit_error("entry " + std::to_string(anchor.count) + " differs from the " + what +
                       ": the log was rewritten");
  }
  return {};
}

Status check_checkpoint(const Scan& scan, const AuditCheckpoint& cp, const ByteArray<32>& public_key) {
  if (!verify_identity_signature(public_key, detail::audit_checkpoint_message(scan.genesis, cp.head), cp.signature)) {
    return audit_error("the checkpoint's signature is invalid");
  }
  return check_anchor(scan, cp.head, "checkpoint");
}

Status write_checkpoint(const std::filesystem::path& log, const IdentityKey& identity, const Digest32& genesis,
                        const AuditHead& head) {
  AuditCheckpoint cp{head, identity.sign(detail::audit_checkpoint_message(genesis, head))};
  return write_file_atomic(audit_checkpoint_path(log), detail::encode_audit_checkpoint(cp));
}

std::filesystem::path lock_path(const std::filesystem::path& log) { return std::filesystem::path(log.string() + ".lock"); }

std::uint64_t now_ms() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

}  // namespace

std::filesystem::path audit_checkpoint_path(const std::filesystem::path& log) {
  return std::filesystem::path(log.string() + ".head");
}

Result<AuditVerification> verify_audit_log(const std::filesystem::path& log, const ByteArray<32>& public_key,
                                           const AuditVerifyOptions& options) {
  TSIGN_TRY(AuditCheckpoint cp, read_checkpoint(log));
  std::vector<std::uint64_t> counts{cp.head.count};
  if (options.known_head) counts.push_back(options.known_head->count);
  TSIGN_TRY(Scan scan, scan_log(log, public_key, counts, options.on_entry));
  if (scan.torn_tail) return audit_error("ends in an incomplete entry after entry " + std::to_string(scan.head.count));
  TSIGN_CHECK(check_checkpoint(scan, cp, public_key));
  if (options.known_head) TSIGN_CHECK(check_anchor(scan, *options.known_head, "known head"));
  return AuditVerification{scan.head, cp.head};
}

struct AuditLog::State {
  State(std::filesystem::path p, IdentityKey id, FileLock l)
      : path(std::move(p)), identity(std::move(id)), lock(std::move(l)) {}
  State(const State&) = delete;
  State& operator=(const State&) = delete;

  std::filesystem::path path;
  IdentityKey identity;
  FileLock lock;
  FileDescriptor fd;
  Digest32 genesis{};
  AuditHead head;
  std::uint64_t size = 0;  // bytes of complete entries: where the next one starts
  std::map<KeyId, std::uint64_t> latest_epochs;
  mutable std::mutex mutex;
};

AuditLog::AuditLog(std::unique_ptr<State> state) : state_(std::move(state)) {}
AuditLog::AuditLog(AuditLog&&) noexcept = default;
AuditLog& AuditLog::operator=(AuditLog&&) noexcept = default;
AuditLog::~AuditLog() = default;

Result<AuditLog> AuditLog::open(std::filesystem::path path, IdentityKey identity, Missing if_missing) {
  TSIGN_TRY(FileLock lock, FileLock::acquire(lock_path(path)));
  const bool have_log = std::filesystem::exists(path);
  const bool have_checkpoint = std::filesystem::exists(audit_checkpoint_path(path));
  if (!have_log) {
    if (have_checkpoint) return audit_error(path.string() + " is missing but its checkpoint exists");
    if (if_missing == Missing::refuse) {
      return audit_error(path.string() + " and its checkpoint are missing while keys exist: the log was deleted. "
                                         "Restore both from a backup of this directory; tsign never starts a new "
                                         "log beside existing keys");
    }
    TSIGN_CHECK(write_file_atomic(path, detail::encode_audit_log_header(identity.public_key())));
  }

  std::optional<AuditCheckpoint> cp;
  if (have_checkpoint) {
    TSIGN_TRY(cp, read_checkpoint(path));
  }
  std::vector<std::uint64_t> counts;
  if (cp) counts.push_back(cp->head.count);
  std::map<KeyId, std::uint64_t> latest_epochs;
  const auto note_epoch = [&latest_epochs](const AuditEntry& entry) {
    auto& epoch = latest_epochs[entry.event.key_id];
    epoch = std::max(epoch, entry.event.epoch);
  };
  TSIGN_TRY(Scan scan, scan_log(path, identity.public_key(), counts, note_epoch));
  if (!cp && scan.head.count > 0) {
    return audit_error("checkpoint " + audit_checkpoint_path(path).string() +
                       " is missing: truncation cannot be ruled out");
  }
  // (A log without entries and without a checkpoint is one whose creation was interrupted.)
  if (cp) TSIGN_CHECK(check_checkpoint(scan, *cp, identity.public_key()));

  auto state = std::make_unique<State>(std::move(path), std::move(identity), std::move(lock));
  state->fd = FileDescriptor(::open(state->path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW));
  if (!state->fd.valid()) return posix_error("cannot open for appending", state->path);
  if (scan.torn_tail) {
    // Only entries past the checkpoint can be torn here (check_checkpoint passed), i.e. an append
    // that never completed: cut it off.
    if (::ftruncate(state->fd.get(), static_cast<off_t>(scan.valid_end)) != 0 || ::fsync(state->fd.get()) != 0) {
      return posix_error("cannot cut the incomplete entry off", state->path);
    }
  }
  if (!cp || cp->head != scan.head) {
    TSIGN_CHECK(write_checkpoint(state->path, state->identity, scan.genesis, scan.head));
  }
  state->genesis = scan.genesis;
  state->head = scan.head;
  state->size = scan.valid_end;
  state->latest_epochs = std::move(latest_epochs);
  return AuditLog(std::move(state));
}

AuditHead AuditLog::head() const {
  std::lock_guard<std::mutex> guard(state_->mutex);
  return state_->head;
}

const ByteArray<32>& AuditLog::public_key() const { return state_->identity.public_key(); }

const IdentityKey& AuditLog::identity() const { return state_->identity; }

std::optional<std::uint64_t> AuditLog::latest_epoch(const KeyId& key_id) const {
  std::lock_guard<std::mutex> guard(state_->mutex);
  auto it = state_->latest_epochs.find(key_id);
  if (it == state_->latest_epochs.end()) return std::nullopt;
  return it->second;
}

Result<AuditEntry> AuditLog::append(AuditEvent event) {
  TSIGN_CHECK(detail::validate(event));
  std::lock_guard<std::mutex> guard(state_->mutex);
  State& s = *state_;

  AuditEntry entry;
  entry.sequence = s.head.count;
  entry.timestamp_ms = now_ms();
  entry.previous_hash = s.head.hash;
  const Bytes body = detail::encode_audit_body(entry.sequence, entry.timestamp_ms, entry.previous_hash, event);
  entry.signature = s.identity.sign(detail::audit_entry_message(body));
  entry.hash = detail::audit_entry_hash(body, entry.signature);
  entry.event = std::move(event);

  Writer frame;
  frame.u32(static_cast<std::uint32_t>(body.size() + entry.signature.size())).raw(body).raw(entry.signature);
  const Bytes bytes = std::move(frame).take();
  Status written = write_all(s.fd, bytes, s.path);
  if (written.ok() && ::fsync(s.fd.get()) != 0) written = posix_error("cannot fsync", s.path);
  if (!written.ok()) {
    // Leave no partial entry for the next append to follow.
    if (::ftruncate(s.fd.get(), static_cast<off_t>(s.size)) != 0) {
      return audit_error("append failed and the partial entry could not be removed: " + written.error().message);
    }
    return written.error();
  }
  s.size += bytes.size();
  s.head = {s.head.count + 1, entry.hash};
  auto& latest = s.latest_epochs[entry.event.key_id];
  latest = std::max(latest, entry.event.epoch);
  TSIGN_CHECK(write_checkpoint(s.path, s.identity, s.genesis, s.head));
  return entry;
}

}  // namespace tsign
