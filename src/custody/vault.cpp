#include <sys/stat.h>

#include <cerrno>

#include "tsign/core/file_io.hpp"
#include "tsign/custody/confirm_protocol.hpp"
#include "tsign/protocol/session_id.hpp"
#include "tsign/store/atomic_file.hpp"
#include "tsign/store/hsm_protector.hpp"
#include "tsign/store/passphrase_protector.hpp"
#include "vault_state.hpp"

namespace tsign {

namespace {

// A vault's directory is its owner's alone.
Status check_owner_only(const std::filesystem::path& dir) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) return posix_error("cannot stat", dir);
  if ((st.st_mode & 077) != 0) {
    return make_error(ErrorKind::Storage, dir.string() + " is readable by group or others: make it mode 0700");
  }
  return {};
}

Status check_vault_dir(const VaultPaths& paths) {
  struct stat st {};
  if (::lstat(paths.identity().c_str(), &st) != 0) {
    return make_error(ErrorKind::InvalidInput, paths.dir.string() + " is not a vault (no identity file)");
  }
  return check_owner_only(paths.dir);
}

Result<IdentityHeader> read_header(const VaultPaths& paths) {
  TSIGN_CHECK(check_vault_dir(paths));
  TSIGN_TRY(Bytes file, read_file(paths.identity(), kIdentityFileSize + 1, FileAccess::owner_only));
  return read_identity_header(file);
}

Result<std::unique_ptr<KeyProtector>> make_protector(VaultUnlock& unlock, const Argon2Params& kdf) {
  if (!unlock.hsm) {
    return std::unique_ptr<KeyProtector>(std::make_unique<PassphraseProtector>(unlock.passphrase.clone(), kdf));
  }
  TSIGN_TRY(std::shared_ptr<Pkcs11Token> token, Pkcs11Token::open(std::move(*unlock.hsm)));
  TSIGN_TRY(HsmProtector protector,
            HsmProtector::open(std::move(token), unlock.hsm_key_label, HsmProtector::KeySource::GenerateIfMissing));
  return std::unique_ptr<KeyProtector>(std::make_unique<HsmProtector>(std::move(protector)));
}

}  // namespace

SessionId confirm_session(const SessionId& session, const std::vector<PartyId>& participants) {
  return derive_session_id("tsign/confirm", participants, session);
}

Result<SessionId> vault_session(std::string_view operation, const std::vector<PartyId>& parties, const std::string& label,
                                std::initializer_list<ByteSpan> context) {
  if (label.size() > 256) return make_error(ErrorKind::InvalidInput, "a session label has at most 256 characters");
  Writer w;
  w.str(label);
  for (ByteSpan part : context) w.var(part);
  return derive_session_id("tsign/" + std::string(operation), parties, w.bytes());
}

// ---- State ----

Result<StoredKey> Vault::State::load(const KeyId& key_id) {
  TSIGN_TRY(StoredKey key, load_stored_key(store, key_id, *protector));
  if (auto latest = log.latest_epoch(key_id); latest && *latest > key.header.epoch) {
    return make_error(ErrorKind::Storage,
                      "the share file of key " + to_hex(key_id) + " holds epoch " + std::to_string(key.header.epoch) +
                          ", but the audit log records epoch " + std::to_string(*latest) +
                          ": an older copy was put back. Restore a backup of epoch " + std::to_string(*latest) +
                          ", or have the other holders reshare the key to this party");
  }
  if (auto* ecdsa = std::get_if<EcdsaKeyShare>(&key.share)) TSIGN_CHECK(ecdsa->attach_journal(pair_checks));
  return key;
}

Status Vault::State::confirm(PeerLink& peers, const SessionId& session, const std::vector<PartyId>& participants,
                             const Digest32& agreed, const std::string& label) {
  ConfirmProtocol protocol(id, participants, agreed);
  peers.report(label + ": confirming with every party that the new share is stored");
  return peers.run(protocol, confirm_session(session, participants), label);
}

Status Vault::State::stage_read_back(const StoredKey& key, const std::string& what) {
  TSIGN_CHECK(stage_stored_key(store, key, *protector));
  // The new file must open as the share it was made from (say, under an HSM key that changed)
  // before anything relies on it.
  auto staged = store.load_staged(key.header.key_id, *protector);
  const SecretBytes expected = encode_share(key.share);
  if (!staged || !ct_equal(staged->share.expose(), expected.expose())) {
    (void)store.discard(key.header.key_id, key.header.epoch);
    return make_error(ErrorKind::Storage, what + " did not read back whole" +
                                              (staged ? std::string() : " (" + staged.error().message + ")") +
                                              "; nothing was replaced");
  }
  return {};
}

Status Vault::State::stage_confirm_commit(PeerLink& peers, const StoredKey& key, const SessionId& session,
                                          const std::vector<PartyId>& participants, const Digest32& agreed,
                                          const std::string& label) {
  TSIGN_CHECK(stage_read_back(key, label + ": the new share"));
  Status confirmed = confirm(peers, session, participants, agreed, label);
  if (!confirmed) {
    const Error& e = confirmed.error();
    return make_error(e.kind,
                      e.message + "; epoch " + std::to_string(key.header.epoch) +
                          " is staged but not committed (a committed earlier epoch stays in use). Once every party is "
                          "known to hold it, commit it (`tsign staged --key " + to_hex(key.header.key_id) +
                          " --commit`); otherwise discard it (`--discard`)",
                      e.culprits);
  }
  TSIGN_CHECK(store.commit(key.header.key_id, key.header.epoch));
  // Presignatures of the previous epoch are void.
  return presignatures.purge(key.header.key_id);
}

Result<VaultKey> Vault::State::describe(const StoredKey& key, std::span<const std::uint32_t> path) const {
  TSIGN_TRY(PublicView view, public_view(key, path));
  return VaultKey{key.header.key_id, key.header.suite, key.header.epoch, key.threshold(), key.parties(), std::move(view)};
}

Status Vault::State::record(AuditEventKind kind, const KeyId& key_id, std::uint64_t epoch, std::vector<PartyId> parties,
                            std::string details) {
  AuditEvent event;
  event.kind = kind;
  event.key_id = key_id;
  event.epoch = epoch;
  event.signers = std::move(parties);
  event.details = std::move(details);
  TSIGN_TRY(AuditEntry entry, log.append(std::move(event)));
  (void)entry;
  return {};
}

// ---- Opening ----

Result<PublicIdentity> Vault::create(const std::filesystem::path& dir, PartyId id, const SecretBytes& passphrase,
                                     const Argon2Params& kdf) {
  if (id == 0) return make_error(ErrorKind::InvalidInput, "party ids start at 1");
  if (auto valid = kdf.validate(); !valid) return make_error(ErrorKind::InvalidInput, valid.error().message);
  const VaultPaths paths{dir};
  if (std::filesystem::exists(paths.identity())) {
    return make_error(ErrorKind::InvalidInput, dir.string() + " already holds a party identity");
  }
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return posix_error("cannot create", dir);
  TSIGN_CHECK(check_owner_only(dir));
  PartyIdentity identity;
  identity.id = id;
  identity.kdf = kdf;
  TSIGN_TRY(Bytes sealed, seal_identity(identity, passphrase));
  const PublicIdentity pub{id, identity.transport.public_key(), identity.audit.public_key()};
  TSIGN_CHECK(write_file_atomic(paths.identity(), sealed));
  TSIGN_CHECK(write_file_atomic(paths.identity_public(), as_bytes(format_public_identity(pub))));
  TSIGN_TRY(ShareStore store, ShareStore::open(paths.shares(), id));
  TSIGN_TRY(AuditLog log, AuditLog::open(paths.audit_log(), std::move(identity.audit)));
  return pub;
}

Result<Vault> Vault::open(const std::filesystem::path& dir, VaultUnlock unlock, VaultOptions options) {
  const VaultPaths paths{dir};
  TSIGN_CHECK(check_vault_dir(paths));
  TSIGN_TRY(Bytes identity_file, read_file(paths.identity(), kIdentityFileSize + 1, FileAccess::owner_only));
  TSIGN_TRY(PartyIdentity identity, unseal_identity(identity_file, unlock.passphrase));
  TSIGN_TRY(std::unique_ptr<KeyProtector> protector, make_protector(unlock, identity.kdf));
  TSIGN_TRY(ShareStore store, ShareStore::open(paths.shares(), identity.id, {options.on_step}));
  TSIGN_TRY(std::vector<KeyId> keys, store.keys());
  TSIGN_TRY(AuditLog log, AuditLog::open(paths.audit_log(), std::move(identity.audit),
                                         keys.empty() ? AuditLog::Missing::create : AuditLog::Missing::refuse));
  TSIGN_TRY(std::shared_ptr<FileCheckJournal> pair_checks, FileCheckJournal::open(paths.pair_checks(), {options.on_step}));
  TSIGN_TRY(PresignaturePool pool, PresignaturePool::open(paths.presignatures(), {options.on_step}));
  auto state = std::make_unique<State>(State{paths, identity.id, std::move(identity.transport), std::move(options),
                                             std::move(store), std::move(log), std::move(protector),
                                             std::move(pair_checks), std::move(pool)});
  return Vault(std::move(state));
}

Result<PublicIdentity> Vault::public_identity(const std::filesystem::path& dir) {
  const VaultPaths paths{dir};
  TSIGN_CHECK(check_vault_dir(paths));
  TSIGN_TRY(Bytes raw, read_file(paths.identity_public(), 4096));
  return parse_public_identity(std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()));
}

namespace {

Result<std::vector<VaultListing>> list_store(const ShareStore& store) {
  TSIGN_TRY(std::vector<KeyId> ids, store.keys());
  std::vector<VaultListing> out;
  for (const KeyId& id : ids) {
    TSIGN_TRY(ShareStore::KeyState state, store.state(id));
    TSIGN_TRY(ShareHeader h, read_clear_header(store, id));
    VaultListing entry;
    entry.key_id = id;
    entry.suite = h.suite;
    if (!state.committed.empty()) entry.epoch = state.committed.back();
    entry.staged_epoch = state.staged;
    entry.threshold = h.threshold;
    entry.parties = h.parties;
    out.push_back(entry);
  }
  return out;
}

}  // namespace

Result<std::vector<VaultListing>> Vault::list(const std::filesystem::path& dir) {
  const VaultPaths paths{dir};
  TSIGN_TRY(IdentityHeader header, read_header(paths));
  TSIGN_TRY(ShareStore store, ShareStore::open(paths.shares(), header.id));
  return list_store(store);
}

Vault::Vault(std::unique_ptr<State> state) : state_(std::move(state)) {}
Vault::Vault(Vault&&) noexcept = default;
Vault& Vault::operator=(Vault&&) noexcept = default;
Vault::~Vault() = default;

PartyId Vault::id() const { return state_->id; }
const VaultPaths& Vault::paths() const { return state_->paths; }
const X25519KeyPair& Vault::transport_key() const { return state_->transport_key; }
PublicIdentity Vault::public_identity() const {
  return {state_->id, state_->transport_key.public_key(), state_->log.public_key()};
}

Result<KeyId> Vault::resolve(std::string_view key_id_hex) const { return resolve_key_id(state_->store, key_id_hex); }

Result<std::vector<VaultListing>> Vault::keys() const { return list_store(state_->store); }

Result<VaultKey> Vault::key(const KeyId& key_id, std::span<const std::uint32_t> path) {
  TSIGN_TRY(StoredKey key, state_->load(key_id));
  return state_->describe(key, path);
}

Result<std::optional<PolicyRules>> Vault::policy() const {
  if (!std::filesystem::exists(state_->paths.signing_policy())) return std::optional<PolicyRules>();
  TSIGN_TRY(PolicyRules rules, PolicyRules::load(state_->paths.signing_policy()));
  return std::optional<PolicyRules>(std::move(rules));
}

Result<AuditEntry> Vault::record_refusal(const KeyId& key_id, std::string details) {
  AuditEvent event;
  event.kind = AuditEventKind::Denied;
  event.key_id = key_id;
  if (details.size() > kMaxAuditDetails) details.resize(kMaxAuditDetails);
  event.details = std::move(details);
  return state_->log.append(std::move(event));
}

AuditHead Vault::audit_head() const { return state_->log.head(); }

// ---- Staged epochs ----

Result<VaultKey> Vault::commit_staged(const KeyId& key_id) {
  State& s = *state_;
  TSIGN_TRY(ShareStore::KeyState state, s.store.state(key_id));
  if (!state.staged) return make_error(ErrorKind::InvalidInput, "no staged epoch of key " + to_hex(key_id));
  TSIGN_TRY(UnsealedShare unsealed, s.store.load_staged(key_id, *s.protector));
  TSIGN_TRY(StoredKey next, decode_stored_key(unsealed));
  std::optional<ShareHeader> previous;
  if (!state.committed.empty()) {
    TSIGN_TRY(ShareHeader h, read_clear_header(s.store, key_id));
    previous = h;
  }
  TSIGN_CHECK(s.store.commit(key_id, *state.staged));
  TSIGN_CHECK(s.presignatures.purge(key_id));
  const AuditEventKind kind = !previous ? AuditEventKind::Generated
                              : (previous->threshold == next.header.threshold && previous->parties == next.header.parties)
                                  ? AuditEventKind::Refreshed
                                  : AuditEventKind::Reshared;
  TSIGN_CHECK(s.record(kind, key_id, *state.staged, next.parties(), "staged epoch committed by the operator"));
  return s.describe(next);
}

Status Vault::discard_staged(const KeyId& key_id) {
  TSIGN_TRY(ShareStore::KeyState state, state_->store.state(key_id));
  if (!state.staged) return make_error(ErrorKind::InvalidInput, "no staged epoch of key " + to_hex(key_id));
  return state_->store.discard(key_id, *state.staged);
}

// ---- Backups ----

Result<Bytes> Vault::backup(const KeyId& key_id, const ByteArray<32>& backup_public_key) {
  State& s = *state_;
  TSIGN_TRY(StoredKey key, s.load(key_id));  // refuses a file older than the log
  const SecretBytes share = encode_share(key.share);
  TSIGN_TRY(Bytes backup, export_backup(key.header, share.expose(), backup_public_key, s.log.identity()));
  TSIGN_CHECK(s.record(AuditEventKind::Exported, key_id, key.header.epoch, {},
                       "cold backup sealed to " + to_hex(backup_public_key)));
  return backup;
}

Result<VaultKey> Vault::restore(ByteSpan backup, const BackupKeyPair& backup_key,
                                const std::optional<ByteArray<32>>& trusted_signer,
                                const std::optional<Bytes>& expected_group_key) {
  State& s = *state_;
  TSIGN_TRY(BackupInfo info, inspect_backup(backup));
  if (info.header.party_id != s.id) {
    return make_error(ErrorKind::InvalidInput, "the backup holds a share of party " + std::to_string(info.header.party_id) +
                                                   ", this vault is party " + std::to_string(s.id));
  }
  TSIGN_TRY(UnsealedShare unsealed, restore_backup(backup, backup_key, trusted_signer.value_or(s.log.public_key()),
                                                   {std::nullopt, s.id, std::nullopt, std::nullopt}));
  TSIGN_TRY(StoredKey key, decode_stored_key(unsealed));
  TSIGN_TRY(PublicView view, public_view(key));
  const KeyId& key_id = key.header.key_id;
  if (expected_group_key && !ct_equal(*expected_group_key, view.group_key)) {
    return make_error(ErrorKind::InvalidInput, "the backup is of another key (group key " + to_hex(view.group_key) + ")");
  }
  TSIGN_TRY(ShareStore::KeyState state, s.store.state(key_id));
  if (!state.committed.empty()) {
    TSIGN_TRY(StoredKey current, load_stored_key(s.store, key_id, *s.protector));
    TSIGN_TRY(PublicView current_view, public_view(current));
    if (!ct_equal(current_view.group_key, view.group_key)) {
      return make_error(ErrorKind::InvalidInput, "the backup's group key differs from the one held under key id " + to_hex(key_id));
    }
  }
  if (auto latest = s.log.latest_epoch(key_id); latest && *latest > key.header.epoch) {
    return make_error(ErrorKind::InvalidInput, "the backup holds epoch " + std::to_string(key.header.epoch) +
                                                   ", but the audit log records epoch " + std::to_string(*latest) +
                                                   " of the key: an older backup cannot be restored");
  }
  // The store refuses an epoch at or below the committed one; the committed epoch is wiped only
  // once the restored one has read back whole.
  TSIGN_CHECK(s.stage_read_back(key, "the restored share"));
  TSIGN_CHECK(s.store.commit(key_id, key.header.epoch));
  TSIGN_CHECK(s.presignatures.purge(key_id));
  TSIGN_CHECK(s.record(AuditEventKind::Restored, key_id, key.header.epoch, {},
                       "from a cold backup sealed to " + to_hex(info.recipient)));
  return s.describe(key);
}

// ---- The end of a share ----

Result<DecommissionReport> Vault::decommission(const KeyId& key_id, bool force) {
  State& s = *state_;
  std::optional<UnsealedShare> held;
  DecommissionReport report;
  if (!force) {
    TSIGN_TRY(UnsealedShare unsealed, s.store.load(key_id, *s.protector));
    report.epoch = unsealed.header.epoch;
    held = std::move(unsealed);
  } else {
    TSIGN_TRY(ShareStore::KeyState state, s.store.state(key_id));
    if (!state.committed.empty()) report.epoch = state.committed.back();
  }
  // Recorded before the wipe: a wipe interrupted half-way is still on record.
  TSIGN_CHECK(s.record(AuditEventKind::Decommissioned, key_id, report.epoch, {}, force ? "forced, without unsealing" : ""));
  if (Status wiped = s.store.decommission(key_id, std::move(held)); !wiped) report.failures.push_back(wiped.error().message);
  if (Status purged = s.presignatures.purge(key_id); !purged) report.failures.push_back(purged.error().message);
  std::string outcome = report.failures.empty() ? "every file wiped" : "incomplete: ";
  for (std::size_t i = 0; i < report.failures.size(); ++i) outcome += (i ? "; " : "") + report.failures[i];
  TSIGN_CHECK(s.record(AuditEventKind::Decommissioned, key_id, report.epoch, {}, outcome.substr(0, kMaxAuditDetails)));
  return report;
}

}  // namespace tsign
