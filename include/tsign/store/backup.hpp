#pragma once
// Cold backups: a share sealed to an offline X25519 backup key (libsodium crypto_box_seal), so that
// whoever holds the backup secret key, and only they, can restore it on a new machine. The share
// header travels in clear (to identify the backup) and again inside the sealed box, where it is
// bound to the share: a backup cannot be relabelled to another party, key or epoch.
//
// crypto_box_seal does not authenticate the sender (anyone with the backup public key can seal a
// share), so the whole file is also signed by the exporting party's identity key, and a restore
// names the identity it trusts. The restored share must still be checked by its protocol against
// the key's public data, including that its key id is derived from its group key.
#include "tsign/core/bytes.hpp"
#include "tsign/core/result.hpp"
#include "tsign/core/secret.hpp"
#include "tsign/core/identity_key.hpp"
#include "tsign/store/sealed_share.hpp"
#include "tsign/store/share_header.hpp"

namespace tsign {

inline constexpr std::uint16_t kBackupFileVersion = 2;

struct BackupKeyPair {
  ByteArray<32> public_key{};
  SecretBytes secret_key;  // 32-byte X25519 scalar

  static BackupKeyPair generate();
  static Result<BackupKeyPair> from_secret_key(SecretBytes secret_key);
};

// The whole backup file (format in docs/share-file-format.md), signed by `signer`.
Result<Bytes> export_backup(const ShareHeader& header, ByteSpan share, const ByteArray<32>& backup_public_key,
                            const IdentityKey& signer);

// The clear part, readable without the backup key (not yet authenticated).
struct BackupInfo {
  ShareHeader header;
  ByteArray<32> recipient{};  // the backup public key it is sealed to
  ByteArray<32> signer{};     // the identity key it claims to be signed by
};
Result<BackupInfo> inspect_backup(ByteSpan backup);

// Checks, before the box is opened, that the file is signed by `trusted_signer` (an identity
// public key the caller knows: this party's own, or the one that exported it) and sealed to `key`.
// InvalidInput when the backup is for another backup key, signed by another identity or fails the
// expectation; Storage when the signature or the box does not verify, or the inner header differs
// from the clear one.
Result<UnsealedShare> restore_backup(ByteSpan backup, const BackupKeyPair& key, const ByteArray<32>& trusted_signer,
                                     const ShareExpectation& expect = {});

}  // namespace tsign
