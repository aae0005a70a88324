#include <catch2/catch.hpp>

#include "store_fixtures.hpp"
#include "tsign/core/codec.hpp"
#include "tsign/store/backup.hpp"
#include "tsign/store/share_store.hpp"

using namespace tsign;
using namespace tsign::test;

namespace {

// The exporting party's identity key, which a restore trusts.
const IdentityKey& party_identity() {
  static const IdentityKey key = IdentityKey::from_seed(Bytes(32, 0x51)).value();
  return key;
}
const ByteArray<32>& trusted() { return party_identity().public_key(); }

Result<Bytes> export_signed(const ShareHeader& header, const ByteArray<32>& recipient) {
  return export_backup(header, sample_share(), recipient, party_identity());
}

// A backup's signed part with a new signature by `signer` (the format's last 64 bytes).
Bytes resigned(ByteSpan file_without_signature, const IdentityKey& signer) {
  Writer w;
  w.raw(as_bytes(std::string_view("tsign backup signature v2"))).raw(file_without_signature);
  Bytes out(file_without_signature.begin(), file_without_signature.end());
  const auto signature = signer.sign(w.bytes());
  out.insert(out.end(), signature.begin(), signature.end());
  return out;
}

}  // namespace

TEST_CASE("backup: export and restore with the backup secret key") {
  const BackupKeyPair backup_key = BackupKeyPair::generate();
  const ShareHeader header = sample_header(2, 9);
  auto file = export_signed(header, backup_key.public_key);
  REQUIRE(file.ok());

  auto info = inspect_backup(*file);
  REQUIRE(info.ok());
  CHECK(info->header == header);
  CHECK(info->recipient == backup_key.public_key);
  CHECK(info->signer == trusted());

  auto restored = restore_backup(*file, backup_key, trusted(), {header.key_id, 2, 9, ShareSuite::FrostSecp256k1});
  REQUIRE(restored.ok());
  CHECK(restored->header == header);
  CHECK(same(restored->share.expose(), sample_share()));

  // The offline key is usually kept as its 32-byte secret; the pair is rebuilt from it.
  auto rebuilt = BackupKeyPair::from_secret_key(backup_key.secret_key.clone());
  REQUIRE(rebuilt.ok());
  CHECK(rebuilt->public_key == backup_key.public_key);
  CHECK(restore_backup(*file, *rebuilt, trusted()).ok());
}

TEST_CASE("backup: restored share goes back into a store") {
  TempDir dir;
  const BackupKeyPair backup_key = BackupKeyPair::generate();
  auto file = export_signed(sample_header(1, 3), backup_key.public_key);
  REQUIRE(file.ok());
  auto restored = restore_backup(*file, backup_key, trusted());
  REQUIRE(restored.ok());
  auto store = ShareStore::open(dir.path(), 1);
  REQUIRE(store.ok());
  auto protector = fast_protector();
  REQUIRE(store->stage(restored->header, restored->share.expose(), protector).ok());
  REQUIRE(store->commit(restored->header.key_id, 3).ok());
  CHECK(same(store->load(restored->header.key_id, protector)->share.expose(), sample_share()));
}

TEST_CASE("backup: wrong backup key") {
  const BackupKeyPair right = BackupKeyPair::generate();
  const BackupKeyPair wrong = BackupKeyPair::generate();
  auto file = export_signed(sample_header(), right.public_key);
  REQUIRE(file.ok());

  auto r1 = restore_backup(*file, wrong, trusted());
  REQUIRE_FALSE(r1.ok());
  CHECK(r1.error().kind == ErrorKind::InvalidInput);
  CHECK(r1.error().message.find("sealed to backup key " + to_hex(right.public_key)) != std::string::npos);

  // A wrong secret key presented with the right public key: the box does not open.
  BackupKeyPair mismatched;
  mismatched.public_key = right.public_key;
  mismatched.secret_key = wrong.secret_key.clone();
  auto r2 = restore_backup(*file, mismatched, trusted());
  REQUIRE_FALSE(r2.ok());
  CHECK(r2.error().kind == ErrorKind::Storage);
  CHECK(r2.error().message.find("wrong backup key") != std::string::npos);

  CHECK_FALSE(BackupKeyPair::from_secret_key(SecretBytes(31)).ok());
  CHECK_FALSE(export_signed(sample_header(), ByteArray<32>{}).ok());  // low-order key
}

TEST_CASE("backup: every modified byte, truncation and trailing data are refused") {
  const BackupKeyPair key = BackupKeyPair::generate();
  auto file = export_signed(sample_header(), key.public_key);
  REQUIRE(file.ok());
  for (std::size_t i = 0; i < file->size(); ++i) {
    Bytes bad = *file;
    bad[i] ^= 0x01;
    INFO("byte " << i);
    CHECK_FALSE(restore_backup(bad, key, trusted()).ok());
  }
  for (std::size_t len = 0; len < file->size(); ++len) {
    INFO("length " << len);
    CHECK_FALSE(restore_backup(ByteSpan(*file).first(len), key, trusted()).ok());
  }
  Bytes longer = *file;
  longer.push_back(0);
  auto r = restore_backup(longer, key, trusted());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("trailing") != std::string::npos);
}

TEST_CASE("backup: a backup forged with only the backup public key is refused") {
  const BackupKeyPair key = BackupKeyPair::generate();
  const IdentityKey forger = IdentityKey::generate();
  // Sealing needs only the public key; the forger signs with its own identity.
  auto own_name = export_backup(sample_header(1, 5), sample_share(), key.public_key, forger);
  REQUIRE(own_name.ok());
  auto r1 = restore_backup(*own_name, key, trusted());
  REQUIRE_FALSE(r1.ok());
  CHECK(r1.error().kind == ErrorKind::InvalidInput);
  CHECK(r1.error().message.find("signed by identity " + to_hex(forger.public_key())) != std::string::npos);

  // Or it claims the party's identity, which it cannot sign for.
  Bytes claimed = *own_name;
  std::copy(trusted().begin(), trusted().end(), claimed.begin() + 8 + 2 + 32);
  auto r2 = restore_backup(claimed, key, trusted());
  REQUIRE_FALSE(r2.ok());
  CHECK(r2.error().kind == ErrorKind::Storage);
  CHECK(r2.error().message.find("signature does not verify") != std::string::npos);
}

TEST_CASE("backup: a relabelled clear header is caught by the sealed copy") {
  const BackupKeyPair key = BackupKeyPair::generate();
  const ShareHeader header = sample_header(1, 5);
  auto file = export_signed(header, key.public_key);
  REQUIRE(file.ok());

  // Rewrite the clear header as party 2, epoch 6; the sealed part is kept as is.
  ShareHeader forged = header;
  forged.party_id = 2;
  forged.epoch = 6;
  Writer w;
  w.raw(ByteSpan(*file).first(8 + 2 + 32 + 32));
  encode(w, forged);
  Bytes relabelled = std::move(w).take();
  append(relabelled, ByteSpan(*file).subspan(relabelled.size()));
  REQUIRE(inspect_backup(relabelled).ok());
  // Without the identity key the signature gives it away first.
  auto unsigned_relabel = restore_backup(relabelled, key, trusted());
  REQUIRE_FALSE(unsigned_relabel.ok());
  CHECK(unsigned_relabel.error().message.find("signature does not verify") != std::string::npos);
  // Re-signed by the identity itself (say, a compromised exporter): the sealed copy still disagrees.
  const Bytes signed_relabel = resigned(ByteSpan(relabelled).first(relabelled.size() - 64), party_identity());
  REQUIRE(inspect_backup(signed_relabel).ok());
  auto r = restore_backup(signed_relabel, key, trusted());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::Storage);
  CHECK(r.error().message.find("does not match its sealed content") != std::string::npos);

  ShareExpectation other_party;
  other_party.party_id = 3;
  auto r2 = restore_backup(*file, key, trusted(), other_party);
  REQUIRE_FALSE(r2.ok());
  CHECK(r2.error().message.find("expected party 3") != std::string::npos);
}
