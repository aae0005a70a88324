#pragma once
// A party directory and the unlocked party it holds:
//
//   <dir>/identity        sealed identity (identity_file.hpp)
//   <dir>/identity.pub    the public keys, as `tsign init` printed them
//   <dir>/shares/         the share store (store/share_store.hpp)
//   <dir>/audit.log       the audit log and its signed checkpoint audit.log.head
//   <dir>/pair-checks/    the record of ECDSA pair checks (custody/check_journal.hpp)
//   <dir>/signing-policy  optional rules every signature must pass (docs/signing-policy.md)
//
// Opening a party asks for the passphrase once: it unseals the identity, and it (or, with the HSM
// options, a PKCS#11 token) seals and unseals the shares.
#include <filesystem>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "args.hpp"
#include "identity_file.hpp"
#include "tsign/custody/check_journal.hpp"
#include "tsign/store/audit_log.hpp"
#include "tsign/store/share_store.hpp"

namespace tsign::cli {

// --dir (or TSIGN_DIR), --passphrase-file and the HSM options.
std::vector<std::string_view> party_options();

struct PartyPaths {
  std::filesystem::path dir;

  std::filesystem::path identity() const { return dir / "identity"; }
  std::filesystem::path identity_public() const { return dir / "identity.pub"; }
  std::filesystem::path shares() const { return dir / "shares"; }
  std::filesystem::path audit_log() const { return dir / "audit.log"; }
  std::filesystem::path pair_checks() const { return dir / "pair-checks"; }
  std::filesystem::path signing_policy() const { return dir / "signing-policy"; }
};

// --dir, else TSIGN_DIR; UsageError when neither is given.
PartyPaths party_paths(const Args& args);

struct PublicIdentity {
  PartyId id = 0;
  X25519PublicKey transport_key{};
  ByteArray<32> audit_key{};
};
std::string format_public_identity(const PublicIdentity& identity);
Result<PublicIdentity> read_public_identity(const PartyPaths& paths);

struct Party {
  PartyPaths paths;
  PartyId id = 0;
  X25519KeyPair transport_key;
  ByteArray<32> audit_key{};
  IdentityKey identity_key;  // signs the audit log and the backups this party exports
  ShareStore store;
  AuditLog log;
  std::unique_ptr<KeyProtector> protector;
  // Every ECDSA share is attached to it before it signs: a check that failed, or never finished,
  // disables its pair for every copy of the share, backups included.
  std::shared_ptr<FileCheckJournal> pair_checks;
};

// Unseals the identity (reading the passphrase), opens the share store, the audit log and the key
// protector. InvalidInput when the directory is not a party directory; Storage for a wrong
// passphrase, a damaged identity file or an unavailable HSM.
Result<Party> open_party(const Args& args);

}  // namespace tsign::cli
