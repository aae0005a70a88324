#pragma once
// Vault: one party's custody of its key shares, whole operations at a time.
//
//   <dir>/identity          sealed identity (identity_file.hpp); identity.pub its public keys
//   <dir>/shares/           the share store (store/share_store.hpp)
//   <dir>/audit.log         the audit log and its signed checkpoint audit.log.head
//   <dir>/pair-checks/      the record of ECDSA pair checks (check_journal.hpp)
//   <dir>/presignatures/    sealed ECDSA presignatures (presignature_pool.hpp)
//   <dir>/signing-policy    optional rules every signature must pass (docs/signing-policy.md)
//
//   TSIGN_TRY(Vault vault, Vault::open(dir, VaultUnlock(std::move(passphrase))));
//   TcpPeerLink peers(*node);
//   TSIGN_TRY(VaultKey key, vault.keygen({ShareSuite::EcdsaSecp256k1, 2, {1, 2, 3}, "ticket-42"}, peers));
//   TSIGN_TRY(VaultSignature sig, vault.sign({key.key_id, digest, {1, 2}}, peers));
//
// Each call does the whole operation and keeps every rule of the custody model itself: shares
// are staged, confirmed by every participant (the commit barrier) and only then committed; every
// signing attempt passes the vault's policy and is recorded in the audit log, durably, before this
// party's share leaves, and failures are recorded too; ECDSA pair checks are journalled before
// they run, so no copy of a share and no crash re-runs one that failed; presignatures are single
// use and void after a refresh; a share file older than what the audit log records for its key
// is refused; backups are signed and restores authenticated. A vault is locked against a second
// opener (the share store and the audit log each hold a lock).
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "tsign/custody/check_journal.hpp"
#include "tsign/custody/identity_file.hpp"
#include "tsign/custody/peer_link.hpp"
#include "tsign/custody/presignature_pool.hpp"
#include "tsign/custody/public_view.hpp"
#include "tsign/custody/stored_key.hpp"
#include "tsign/custody/suite_signature.hpp"
#include "tsign/ecdsa/signature.hpp"
#include "tsign/store/audit_log.hpp"
#include "tsign/store/backup.hpp"
#include "tsign/store/pkcs11_token.hpp"
#include "tsign/store/policy_rules.hpp"

namespace tsign {

struct VaultPaths {
  std::filesystem::path dir;

  std::filesystem::path identity() const { return dir / "identity"; }
  std::filesystem::path identity_public() const { return dir / "identity.pub"; }
  std::filesystem::path shares() const { return dir / "shares"; }
  std::filesystem::path audit_log() const { return dir / "audit.log"; }
  std::filesystem::path pair_checks() const { return dir / "pair-checks"; }
  std::filesystem::path presignatures() const { return dir / "presignatures"; }
  std::filesystem::path signing_policy() const { return dir / "signing-policy"; }
};

// What unlocks a vault: the passphrase (it unseals the identity and, without an HSM, the shares)
// and optionally a PKCS#11 token whose AES key wraps each share file's key instead.
struct VaultUnlock {
  VaultUnlock() = default;
  explicit VaultUnlock(SecretBytes passphrase_) : passphrase(std::move(passphrase_)) {}

  SecretBytes passphrase;
  std::optional<Pkcs11Config> hsm;
  std::string hsm_key_label = "tsign-share-key";
};

struct VaultOptions {
  // Fault injection for tests, passed to the store, the check journal and the presignature pool,
  // and called at the vault's own steps: "sign:approved" (the approval is durable, the share has
  // not left).
  StepHook on_step;
};

// A key as this vault holds it.
struct VaultKey {
  KeyId key_id{};
  ShareSuite suite{};
  std::uint64_t epoch = 0;
  std::uint32_t threshold = 0;
  std::vector<PartyId> parties;
  PublicView view;  // of the key, or of the child at the path asked for
};

// A key as the clear header of its file describes it (no passphrase needed).
struct VaultListing {
  KeyId key_id{};
  ShareSuite suite{};
  std::optional<std::uint64_t> epoch;  // committed
  std::optional<std::uint64_t> staged_epoch;
  std::uint32_t threshold = 0;
  std::uint32_t parties = 0;
};

struct KeygenRequest {
  ShareSuite suite{};
  std::uint32_t threshold = 0;
  std::vector<PartyId> parties;  // ascending, this party included
  std::string session;           // a label every party passes alike, new for each run
};

struct SignRequest {
  KeyId key_id{};
  SignedContent content;                  // the message, or 32 digest bytes signed as given
  std::vector<PartyId> signers;           // every signer, this party included
  std::vector<std::uint32_t> path;        // non-hardened BIP-32 path (secp256k1 keys)
  std::optional<Digest32> taproot_root;   // BIP-340/Taproot keys: the script tree's Merkle root
  std::string session;                    // optional: tells apart two runs of one request
  std::vector<PolicyRules> extra_rules;   // must allow as well as the vault's own policy
  std::optional<Digest32> presignature;   // ECDSA: sign in one round on this pooled presignature
};

struct VaultSignature {
  ShareSuite suite{};
  std::uint64_t epoch = 0;
  Bytes signature;          // BIP-340 / Ed25519 / FROST (64 or 65 bytes), or ECDSA compact r‖s
  Bytes public_key;         // what it verifies under, in the suite's form
  std::optional<EcdsaSignature> ecdsa;  // ECDSA: recovery id and DER as well
  Digest32 digest{};        // ECDSA: the digest signed
};

struct PresignRequest {
  KeyId key_id{};
  std::vector<PartyId> signers;
  std::vector<std::uint32_t> path;
  std::string session;  // required: every signer passes it alike
};

struct ReshareRequest {
  KeyId key_id{};
  std::vector<PartyId> old_quorum;   // at least t holders of the current epoch: they deal
  std::vector<PartyId> new_parties;  // the new committee
  std::uint32_t threshold = 0;       // the new threshold
  std::string session;
  // A new member holding no share yet: the key's suite and group key (33 or 32 bytes).
  std::optional<std::pair<ShareSuite, Bytes>> join;
};

struct ReshareOutcome {
  std::optional<VaultKey> key;  // none: this party left the committee and its share was wiped
  std::uint64_t epoch = 0;
};

struct RepairRequest {
  KeyId key_id{};
  std::vector<PartyId> helpers;
  PartyId recovering = 0;
  std::string session;
  // The recovering party (which holds no share): the key's suite and current epoch.
  std::optional<std::pair<ShareSuite, std::uint64_t>> recover;
};

struct DecommissionReport {
  std::uint64_t epoch = 0;
  std::vector<std::string> failures;  // every file that could not be wiped, and why; empty: all gone
};

class Vault {
 public:
  // A new vault in `dir` (created 0700) for party `id`: fresh transport and audit keys sealed
  // with the passphrase at Argon2id cost `kdf`, an empty share store and audit log.
  static Result<PublicIdentity> create(const std::filesystem::path& dir, PartyId id, const SecretBytes& passphrase,
                                       const Argon2Params& kdf);
  // Unseals the identity and opens the store, the audit log (refused when it vanished while keys
  // exist), the pair-check journal and the presignature pool. No file is read with a KDF cost above
  // twice the vault's own.
  static Result<Vault> open(const std::filesystem::path& dir, VaultUnlock unlock, VaultOptions options = {});
  // The clear headers of a vault's keys, without its passphrase.
  static Result<std::vector<VaultListing>> list(const std::filesystem::path& dir);
  static Result<PublicIdentity> public_identity(const std::filesystem::path& dir);

  Vault(Vault&&) noexcept;
  Vault& operator=(Vault&&) noexcept;
  ~Vault();

  PartyId id() const;
  const VaultPaths& paths() const;
  const X25519KeyPair& transport_key() const;  // the Noise static key of this party
  PublicIdentity public_identity() const;

  // A key from its full id or an unambiguous prefix of at least 8 hex digits.
  Result<KeyId> resolve(std::string_view key_id_hex) const;
  Result<std::vector<VaultListing>> keys() const;
  // The key, or its child at `path`: public key, group key, xpub.
  Result<VaultKey> key(const KeyId& key_id, std::span<const std::uint32_t> path = {});

  Result<VaultKey> keygen(const KeygenRequest& request, PeerLink& peers);
  Result<VaultSignature> sign(const SignRequest& request, PeerLink& peers);
  // Runs ECDSA presigning and pools this party's presignature; returns its id, which the signers
  // pass to sign() later.
  Result<Digest32> presign(const PresignRequest& request, PeerLink& peers);
  Result<std::vector<PresignaturePool::Entry>> presignatures(const KeyId& key_id) const;
  Result<VaultKey> refresh(const KeyId& key_id, const std::string& session, PeerLink& peers);
  Result<ReshareOutcome> reshare(const ReshareRequest& request, PeerLink& peers);
  Result<VaultKey> repair(const RepairRequest& request, PeerLink& peers);

  // An epoch left staged by a commit barrier that did not complete: commit it (once every party
  // is known to hold it) or discard it.
  Result<VaultKey> commit_staged(const KeyId& key_id);
  Status discard_staged(const KeyId& key_id);

  // The committed share sealed to an offline backup key and signed by this party's identity.
  Result<Bytes> backup(const KeyId& key_id, const ByteArray<32>& backup_public_key);
  // Checks the signature (by this party's identity, or `trusted_signer`), opens the backup, checks
  // the share (this party's, its key id derived from its group key, the group key `expected_group_key`
  // when given or the one already held under that id) and commits it once the stored file reads
  // back whole. Refused for an epoch this vault holds already or older than its audit log records.
  Result<VaultKey> restore(ByteSpan backup, const BackupKeyPair& backup_key,
                           const std::optional<ByteArray<32>>& trusted_signer = std::nullopt,
                           const std::optional<Bytes>& expected_group_key = std::nullopt);
  // Wipes every file of the key (share epochs, presignatures) and records the outcome. Without
  // `force` the share is unsealed first, proving the passphrase.
  Result<DecommissionReport> decommission(const KeyId& key_id, bool force = false);

  // The vault's policy file as rules (none: every request is approved, and still recorded).
  Result<std::optional<PolicyRules>> policy() const;

  // Records, as `denied`, a request refused before any protocol ran (the signer service's
  // authorization, expiry and replay checks); `details` is cut to the audit log's bound.
  Result<AuditEntry> record_refusal(const KeyId& key_id, std::string details);
  AuditHead audit_head() const;

  struct State;

 private:
  explicit Vault(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// The session id every participant of an operation derives alike.
Result<SessionId> vault_session(std::string_view operation, const std::vector<PartyId>& parties,
                                const std::string& label, std::initializer_list<ByteSpan> context);

}  // namespace tsign
