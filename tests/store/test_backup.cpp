#include <catch2/catch.hpp>

#include "store_fixtures.hpp"
#include "tsign/core/codec.hpp"
#include "tsign/store/backup.hpp"
#include "tsign/store/share_store.hpp"

using namespace tsign;
using namespace tsign::test;

TEST_CASE("backup: export and restore with the backup secret key") {
  const BackupKeyPair backup_key = BackupKeyPair::generate();
  const ShareHeader header = sample_header(2, 9);
  auto file = export_backup(header, sample_share(), backup_key.public_key);
  REQUIRE(file.ok());

  auto info = inspect_backup(*file);
  REQUIRE(info.ok());
  CHECK(info->header == header);
  CHECK(info->recipient == backup_key.public_key);

  auto restored = restore_backup(*file, backup_key, {header.key_id, 2, 9, ShareSuite::FrostSecp256k1});
  REQUIRE(restored.ok());
  CHECK(restored->header == header);
  CHECK(same(restored->share.expose(), sample_share()));

  // The offline key is usually kept as its 32-byte secret; the pair is rebuilt from it.
  auto rebuilt = BackupKeyPair::from_secret_key(backup_key.secret_key.clone());
  REQUIRE(rebuilt.ok());
  CHECK(rebuilt->public_key == backup_key.public_key);
  CHECK(restore_backup(*file, *rebuilt).ok());
}

TEST_CASE("backup: restored share goes back into a store") {
  TempDir dir;
  const BackupKeyPair backup_key = BackupKeyPair::generate();
  auto file = export_backup(sample_header(1, 3), sample_share(), backup_key.public_key);
  REQUIRE(file.ok());
  auto restored = restore_backup(*file, backup_key);
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
  auto file = export_backup(sample_header(), sample_share(), right.public_key);
  REQUIRE(file.ok());

  auto r1 = restore_backup(*file, wrong);
  REQUIRE_FALSE(r1.ok());
  CHECK(r1.error().kind == ErrorKind::InvalidInput);
  CHECK(r1.error().message.find("sealed to backup key " + to_hex(right.public_key)) != std::string::npos);

  // A wrong secret key presented with the right public key: the box does not open.
  BackupKeyPair mismatched;
  mismatched.public_key = right.public_key;
  mismatched.secret_key = wrong.secret_key.clone();
  auto r2 = restore_backup(*file, mismatched);
  REQUIRE_FALSE(r2.ok());
  CHECK(r2.error().kind == ErrorKind::Storage);
  CHECK(r2.error().message.find("wrong backup key") != std::string::npos);

  CHECK_FALSE(BackupKeyPair::from_secret_key(SecretBytes(31)).ok());
  CHECK_FALSE(export_backup(sample_header(), sample_share(), ByteArray<32>{}).ok());  // low-order key
}

TEST_CASE("backup: every modified byte, truncation and trailing data are refused") {
  const BackupKeyPair key = BackupKeyPair::generate();
  auto file = export_backup(sample_header(), sample_share(), key.public_key);
  REQUIRE(file.ok());
  for (std::size_t i = 0; i < file->size(); ++i) {
    Bytes bad = *file;
    bad[i] ^= 0x01;
    INFO("byte " << i);
    CHECK_FALSE(restore_backup(bad, key).ok());
  }
  for (std::size_t len = 0; len < file->size(); ++len) {
    INFO("length " << len);
    CHECK_FALSE(restore_backup(ByteSpan(*file).first(len), key).ok());
  }
  Bytes longer = *file;
  longer.push_back(0);
  auto r = restore_backup(longer, key);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("trailing") != std::string::npos);
}

TEST_CASE("backup: a relabelled clear header is caught by the sealed copy") {
  const BackupKeyPair key = BackupKeyPair::generate();
  const ShareHeader header = sample_header(1, 5);
  auto file = export_backup(header, sample_share(), key.public_key);
  REQUIRE(file.ok());

  // Rewrite the clear header as party 2, epoch 6; the sealed part is kept as is.
  ShareHeader forged = header;
  forged.party_id = 2;
  forged.epoch = 6;
  Writer w;
  w.raw(ByteSpan(*file).first(8 + 2 + 32));
  encode(w, forged);
  Bytes relabelled = std::move(w).take();
  append(relabelled, ByteSpan(*file).subspan(relabelled.size()));
  REQUIRE(inspect_backup(relabelled).ok());
  auto r = restore_backup(relabelled, key);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::Storage);
  CHECK(r.error().message.find("does not match its sealed content") != std::string::npos);

  ShareExpectation other_party;
  other_party.party_id = 3;
  auto r2 = restore_backup(*file, key, other_party);
  REQUIRE_FALSE(r2.ok());
  CHECK(r2.error().message.find("expected party 3") != std::string::npos);
}
