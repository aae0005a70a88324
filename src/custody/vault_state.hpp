#pragma once
// What an open Vault holds, and the steps its operations share (vault.cpp, vault_sign.cpp,
// vault_rotate.cpp).
#include "tsign/custody/vault.hpp"

namespace tsign::custody_internal {

// "the protocol produced nothing" guard for take_output() results.
template <class T>
Result<T> taken(Result<T> value, std::string_view what) {
  if (!value) return make_error(value.error().kind, std::string(what) + ": " + value.error().message, value.error().culprits);
  return value;
}

}  // namespace tsign::custody_internal

namespace tsign {

struct Vault::State {
  VaultPaths paths;
  PartyId id = 0;
  X25519KeyPair transport_key;
  VaultOptions options;
  ShareStore store;
  AuditLog log;  // also the one owner of the identity key
  std::unique_ptr<KeyProtector> protector;
  std::shared_ptr<FileCheckJournal> pair_checks;
  PresignaturePool presignatures;

  void step(std::string_view name) const {
    if (options.on_step) options.on_step(name);
  }

  // The committed share, refused when the audit log records a later epoch of the key (an older
  // file put back) and, for ECDSA, attached to the pair-check journal.
  Result<StoredKey> load(const KeyId& key_id);
  // Stages `key` and reads the staged file back: it must open as the same share, or it is
  // discarded and `what` named in the error.
  Status stage_read_back(const StoredKey& key, const std::string& what);
  // An ECDSA protocol on `key`'s share; a pair disabled during the run is written back to the
  // committed file (the journal already holds it) before the run's status is returned.
  Status run_ecdsa(PeerLink& peers, RoundProtocol& protocol, const SessionId& session, std::string_view label,
                   const StoredKey& key);
  // Stages `key`, reads the staged file back (it must open as the same share), waits until every
  // participant states `agreed`, then commits: the previous epoch is wiped only after that.
  // A refresh or resharing also voids the key's presignatures here.
  Status stage_confirm_commit(PeerLink& peers, const StoredKey& key, const SessionId& session,
                              const std::vector<PartyId>& participants, const Digest32& agreed, const std::string& label);
  // The barrier alone, for a participant that stages nothing (a dealer leaving, a repair helper).
  Status confirm(PeerLink& peers, const SessionId& session, const std::vector<PartyId>& participants,
                 const Digest32& agreed, const std::string& label);
  Result<VaultKey> describe(const StoredKey& key, std::span<const std::uint32_t> path = {}) const;
  Status record(AuditEventKind kind, const KeyId& key_id, std::uint64_t epoch, std::vector<PartyId> parties,
                std::string details = {});
};

// The session of the commit barrier that follows `session`.
SessionId confirm_session(const SessionId& session, const std::vector<PartyId>& participants);

}  // namespace tsign
