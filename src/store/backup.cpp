#include "tsign/store/backup.hpp"

#include <sodium.h>

#include "tsign/core/codec.hpp"
#include "core/sodium_init.hpp"

namespace tsign {

namespace {

constexpr std::string_view kMagic = "TSIGNBAK";
constexpr std::string_view kSignatureDomain = "tsign backup signature v2";
constexpr std::size_t kSealOverhead = crypto_box_SEALBYTES;
constexpr std::size_t kSignatureSize = 64;
static_assert(crypto_box_PUBLICKEYBYTES == 32 && crypto_box_SECRETKEYBYTES == 32);

// Magic, version, recipient, signer and share header: the bytes repeated inside the box.
Bytes clear_part(const ShareHeader& header, const ByteArray<32>& recipient, const ByteArray<32>& signer) {
  Writer w;
  w.raw(as_bytes(kMagic)).u16(kBackupFileVersion).raw(recipient).raw(signer);
  encode(w, header);
  return std::move(w).take();
}

// What the signature covers: everything before it, under a domain of its own.
Bytes signed_message(ByteSpan signed_part) {
  Writer w;
  w.raw(as_bytes(kSignatureDomain)).raw(signed_part);
  return std::move(w).take();
}

struct ParsedBackup {
  BackupInfo info;
  ByteSpan clear;
  ByteSpan sealed;
  ByteSpan signed_part;  // clear part and sealed box, as written
  ByteArray<64> signature{};
};

Result<ParsedBackup> parse_backup(ByteSpan backup) {
  Reader r(backup, "share backup");
  TSIGN_TRY(ByteSpan magic, r.raw(kMagic.size()));
  if (!std::equal(magic.begin(), magic.end(), kMagic.begin())) return r.fail("not a tsign share backup (bad magic)");
  TSIGN_TRY(std::uint16_t version, r.u16());
  if (version != kBackupFileVersion) return r.fail("unsupported backup version " + std::to_string(version));
  ParsedBackup out;
  TSIGN_TRY(out.info.recipient, r.array<32>());
  TSIGN_TRY(out.info.signer, r.array<32>());
  TSIGN_TRY(out.info.header, decode_share_header(r));
  out.clear = backup.first(backup.size() - r.remaining());
  const std::size_t min_sealed = out.clear.size() + 1 + kSealOverhead;
  TSIGN_TRY(out.sealed, r.var(out.clear.size() + kMaxSharePayload + kSealOverhead));
  if (out.sealed.size() < min_sealed) return r.fail("sealed part too short");
  out.signed_part = backup.first(backup.size() - r.remaining());
  TSIGN_TRY(out.signature, r.array<kSignatureSize>());
  TSIGN_CHECK(r.finish());
  return out;
}

}  // namespace

BackupKeyPair BackupKeyPair::generate() {
  ensure_sodium();
  BackupKeyPair kp;
  kp.secret_key = SecretBytes(crypto_box_SECRETKEYBYTES);
  crypto_box_keypair(kp.public_key.data(), kp.secret_key.expose_mut().data());
  return kp;
}

Result<BackupKeyPair> BackupKeyPair::from_secret_key(SecretBytes secret_key) {
  ensure_sodium();
  if (secret_key.size() != crypto_box_SECRETKEYBYTES) {
    return make_error(ErrorKind::InvalidInput, "backup secret key must be 32 bytes");
  }
  BackupKeyPair kp;
  if (crypto_scalarmult_base(kp.public_key.data(), secret_key.expose().data()) != 0) {
    return make_error(ErrorKind::InvalidInput, "unusable backup secret key");
  }
  kp.secret_key = std::move(secret_key);
  return kp;
}

Result<Bytes> export_backup(const ShareHeader& header, ByteSpan share, const ByteArray<32>& backup_public_key,
                            const IdentityKey& signer) {
  ensure_sodium();
  TSIGN_CHECK(validate(header));
  if (share.empty() || share.size() > kMaxSharePayload) {
    return make_error(ErrorKind::InvalidInput, "share of " + std::to_string(share.size()) + " bytes cannot be backed up");
  }
  const Bytes clear = clear_part(header, backup_public_key, signer.public_key());
  SecretBytes inner(clear.size() + share.size());
  auto in = inner.expose_mut();
  std::copy(clear.begin(), clear.end(), in.begin());
  std::copy(share.begin(), share.end(), in.begin() + static_cast<std::ptrdiff_t>(clear.size()));

  Bytes sealed(inner.size() + kSealOverhead);
  if (crypto_box_seal(sealed.data(), inner.expose().data(), inner.size(), backup_public_key.data()) != 0) {
    return make_error(ErrorKind::InvalidInput, "backup public key is not usable (low-order point)");
  }
  Writer w;
  w.raw(clear).var(sealed);
  w.raw(signer.sign(signed_message(w.bytes())));
  return std::move(w).take();
}

Result<BackupInfo> inspect_backup(ByteSpan backup) {
  TSIGN_TRY(ParsedBackup parsed, parse_backup(backup));
  return parsed.info;
}

Result<UnsealedShare> restore_backup(ByteSpan backup, const BackupKeyPair& key, const ByteArray<32>& trusted_signer,
                                     const ShareExpectation& expect) {
  ensure_sodium();
  TSIGN_TRY(ParsedBackup parsed, parse_backup(backup));
  if (parsed.info.signer != trusted_signer) {
    return make_error(ErrorKind::InvalidInput, "backup is signed by identity " + to_hex(parsed.info.signer) +
                                                   ", not by the trusted identity " + to_hex(trusted_signer));
  }
  if (!verify_identity_signature(trusted_signer, signed_message(parsed.signed_part), parsed.signature)) {
    return make_error(ErrorKind::Storage, "backup signature does not verify: the file was forged or modified");
  }
  if (parsed.info.recipient != key.public_key) {
    return make_error(ErrorKind::InvalidInput, "backup is sealed to backup key " + to_hex(parsed.info.recipient) +
                                                   ", not to " + to_hex(key.public_key));
  }
  TSIGN_CHECK(check_expectation(parsed.info.header, expect));
  if (key.secret_key.size() != crypto_box_SECRETKEYBYTES) {
    return make_error(ErrorKind::InvalidInput, "backup secret key must be 32 bytes");
  }

  SecretBytes inner(parsed.sealed.size() - kSealOverhead);
  if (crypto_box_seal_open(inner.expose_mut().data(), parsed.sealed.data(), parsed.sealed.size(),
                           key.public_key.data(), key.secret_key.expose().data()) != 0) {
    return make_error(ErrorKind::Storage, "backup authentication failed: wrong backup key, or the file was modified");
  }
  const auto in = inner.expose();
  if (!ct_equal(in.first(parsed.clear.size()), parsed.clear)) {
    return make_error(ErrorKind::Storage, "backup header does not match its sealed content: the file was modified");
  }
  return UnsealedShare{parsed.info.header, SecretBytes::copy_of(in.subspan(parsed.clear.size()))};
}

}  // namespace tsign
