#pragma once
// A party's audit trail: an append-only file of hash-chained entries, each signed by the party's
// Ed25519 identity key, plus a signed checkpoint of the head kept beside it (<log>.head).
// Verification detects an edited byte (signatures, hashes), reordering and deletion (sequence
// numbers and the chain), and truncation (the checkpoint names how many entries there are).
// Rolling back the log and its checkpoint together to an older state is only detectable against a
// head recorded elsewhere: pass it as AuditVerifyOptions::known_head. Format: docs/audit-log-format.md.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tsign/core/bytes.hpp"
#include "tsign/core/hash.hpp"
#include "tsign/core/result.hpp"
#include "tsign/core/identity_key.hpp"
#include "tsign/store/share_header.hpp"

namespace tsign {

// The numbers are part of the file format: never reuse one.
enum class AuditEventKind : std::uint8_t {
  Generated = 1,
  Refreshed = 2,
  Reshared = 3,
  Repaired = 4,
  Signed = 5,
  Denied = 6,
  Exported = 7,
  Restored = 8,
  Decommissioned = 9,
  Approved = 10,  // a signing request passed the policy; recorded before this party's share leaves
  Failed = 11,    // a signing attempt that produced no signature (error, abort, timeout)
};
const char* to_string(AuditEventKind kind);

inline constexpr std::size_t kMaxAuditDetails = 4096;
inline constexpr std::size_t kMaxAuditPathDepth = 255;
inline constexpr std::size_t kMaxAuditSigners = 65535;

struct AuditEvent {
  AuditEventKind kind = AuditEventKind::Generated;
  KeyId key_id{};
  std::uint64_t epoch = 0;                     // the key's epoch after the event
  std::optional<Digest32> digest;              // signed, denied: what was (to be) signed
  std::vector<std::uint32_t> derivation_path;  // signed, denied
  std::vector<PartyId> signers;                // signed, denied; the committee for generated, reshared
  std::string details;                         // free text: a denial's reason, a backup's recipient

  bool operator==(const AuditEvent&) const = default;
};

struct AuditEntry {
  std::uint64_t sequence = 0;      // 0, 1, 2, ... without gaps
  std::uint64_t timestamp_ms = 0;  // Unix time when appended
  Digest32 previous_hash{};        // the previous entry's hash; for the first, the log's genesis hash
  AuditEvent event;
  ByteArray<64> signature{};
  Digest32 hash{};                 // of this entry, signature included
};

// A position in a log: `count` entries, the last of which hashes to `hash` (the genesis hash when
// count is 0).
struct AuditHead {
  std::uint64_t count = 0;
  Digest32 hash{};
  bool operator==(const AuditHead&) const = default;
};

// <log>.head
std::filesystem::path audit_checkpoint_path(const std::filesystem::path& log);

class AuditLog {
 public:
  enum class Missing {
    create,  // a new party: start the log
    refuse,  // the party holds keys: a log that vanished must not be silently started afresh
  };
  // Creates the log (and its checkpoint) or opens an existing one, which must verify under the
  // identity's public key. A record torn by a crash after the checkpoint is cut off; one before it
  // is tampering and an error. Holds an exclusive lock (<log>.lock) while open.
  static Result<AuditLog> open(std::filesystem::path path, IdentityKey identity, Missing if_missing = Missing::create);
  AuditLog(AuditLog&&) noexcept;
  AuditLog& operator=(AuditLog&&) noexcept;
  ~AuditLog();

  // Appends and fsyncs the entry, then rewrites the checkpoint. Thread-safe.
  Result<AuditEntry> append(AuditEvent event);
  AuditHead head() const;
  const ByteArray<32>& public_key() const;
  // The party's identity key, which signs the log (and, through it, the party's backups): the log
  // is its one owner in a process.
  const IdentityKey& identity() const;
  // The highest epoch any entry records for the key: a share file below it was put back from an
  // older copy.
  std::optional<std::uint64_t> latest_epoch(const KeyId& key_id) const;

  struct State;

 private:
  explicit AuditLog(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

struct AuditVerifyOptions {
  // A head recorded outside this machine: the log must still contain that entry.
  std::optional<AuditHead> known_head;
  // Sees every entry, in order, once it has passed its checks.
  std::function<void(const AuditEntry&)> on_entry;
};

struct AuditVerification {
  AuditHead head;        // the last entry of the log
  AuditHead checkpoint;  // what the signed checkpoint vouches for (at most head.count)
};

// Checks the whole log and its checkpoint against the expected identity key. Storage error naming
// the first problem: a bad signature, a broken chain, a sequence gap, a truncated log.
Result<AuditVerification> verify_audit_log(const std::filesystem::path& log, const ByteArray<32>& public_key,
                                           const AuditVerifyOptions& options = {});

}  // namespace tsign
