#pragma once
// Cold backups: a share sealed to an offline X25519 backup key (libsodium crypto_box_seal), so that
// whoever holds the backup secret key, and only they, can restore it on a new machine. The share
// header travels in clear (to identify the backup) and again inside the sealed box, where it is
// authenticated: a backup cannot be relabelled to another party, key or epoch.
//
// crypto_box_seal does not authenticate the sender: anyone with the public key can make a backup.
// A restored share must therefore be checked against the key's public data (verifying shares,
// group key) by its protocol before use, as any share from outside the store should be.
#include "tsign/core/bytes.hpp"
#include "tsign/core/result.hpp"
#include "tsign/core/secret.hpp"
#include "tsign/store/sealed_share.hpp"
#include "tsign/store/share_header.hpp"

namespace tsign {

inline constexpr std::uint16_t kBackupFileVersion = 1;

struct BackupKeyPair {
  ByteArray<32> public_key{};
  SecretBytes secret_key;  // 32-byte X25519 scalar

  static BackupKeyPair generate();
  static Result<BackupKeyPair> from_secret_key(SecretBytes secret_key);
};

// The whole backup file (format in docs/share-file-format.md).
Result<Bytes> export_backup(const ShareHeader& header, ByteSpan share, const ByteArray<32>& backup_public_key);

// The clear part, readable without the backup key.
struct BackupInfo {
  ShareHeader header;
  ByteArray<32> recipient{};  // the backup public key it is sealed to
};
Result<BackupInfo> inspect_backup(ByteSpan backup);

// InvalidInput when the backup is for another backup key or fails the expectation; Storage when the
// box does not open or its inner header differs from the clear one.
Result<UnsealedShare> restore_backup(ByteSpan backup, const BackupKeyPair& key, const ShareExpectation& expect = {});

}  // namespace tsign
