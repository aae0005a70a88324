// The storage formats' decoders, one refusal at a time: each broken field is refused by the check
// made for it, whose diagnosis the test asserts.
#include <catch2/catch.hpp>

#include <sodium.h>

#include "store_fixtures.hpp"
#include "tsign/core/codec.hpp"
#include "tsign/store/backup.hpp"
#include "tsign/core/identity_key.hpp"
#include "tsign/store/sealed_share.hpp"
#include "tsign/store/share_header.hpp"

using namespace tsign;
using namespace tsign::test;

namespace {


// A share file with HSM protection under these labels: header, wrapped-key slot, and a body of the
// smallest size.
Bytes hsm_file(const std::string& token_label, const std::string& key_label) {
  SealedShareHeader h;
  h.share = sample_header();
  h.protection = HsmWrap{token_label, key_label, {}};
  h.body_size = 17;
  Bytes file = encode(h);
  file.resize(file.size() + kHsmKeySlotSize + h.body_size);
  return file;
}

}  // namespace

TEST_CASE("store decoders: share file magic labels and body size") {
  auto protector = fast_protector();
  const Bytes good = seal_share(sample_header(), sample_share(), protector).value();
  REQUIRE(parse_sealed_share(good).ok());
  Bytes bad_magic = good;
  bad_magic[0] ^= 1;
  expect_refused(parse_sealed_share(bad_magic), "bad magic");

  REQUIRE(parse_sealed_share(hsm_file("token", "key")).ok());
  expect_refused(parse_sealed_share(hsm_file("", "key")), "token label is empty");
  expect_refused(parse_sealed_share(hsm_file("token", "")), "key label is empty");
  expect_refused(parse_sealed_share(hsm_file("tok\x01", "key")), "token label is not printable ASCII");
  expect_refused(parse_sealed_share(hsm_file("token", "k\x7f")), "key label is not printable ASCII");

  for (std::uint64_t ops : {std::uint64_t{0}, std::uint64_t{65}}) {
    SealedShareHeader h = parse_sealed_share(good).value().header;
    std::get<PassphraseKdf>(h.protection).params.opslimit = ops;
    Bytes file = encode(h);
    file.resize(file.size() + h.body_size);
    expect_refused(parse_sealed_share(file), "opslimit");
  }
  for (std::uint32_t size : {std::uint32_t{16}, static_cast<std::uint32_t>(kMaxSharePayload + 17)}) {
    SealedShareHeader h = parse_sealed_share(good).value().header;
    h.body_size = size;
    Bytes file = encode(h);
    file.resize(file.size() + size);
    expect_refused(parse_sealed_share(file), "body size");
  }
}

TEST_CASE("store decoders: a share header with an unknown suite") {
  ShareHeader h = sample_header();
  h.suite = static_cast<ShareSuite>(0x7777);
  expect_refused(validate(h), "unknown suite");
  Writer w;
  encode(w, h);
  const Bytes bytes = std::move(w).take();
  Reader r(bytes, "share header");
  expect_refused(decode_share_header(r), "unknown suite code 30583");
}

TEST_CASE("store decoders: backup magic version and sealed part") {
  const auto key = BackupKeyPair::generate();
  const Bytes good = export_backup(sample_header(), sample_share(), key.public_key, IdentityKey::generate()).value();
  REQUIRE(inspect_backup(good).ok());
  Bytes bad_magic = good;
  bad_magic[0] ^= 1;
  expect_refused(inspect_backup(bad_magic), "bad magic");
  Bytes other_version = good;
  other_version[9] ^= 0x02;  // big-endian u16 after the 8-byte magic
  expect_refused(inspect_backup(other_version), "unsupported backup version");

  // The clear part, then a sealed part one byte shorter than the smallest possible.
  Writer header;
  encode(header, sample_header());
  const Bytes header_bytes = std::move(header).take();
  const std::size_t clear = 8 + 2 + 32 + 32 + header_bytes.size();
  Writer w;
  w.raw(ByteSpan(good).first(8 + 2 + 32 + 32)).raw(header_bytes).var(Bytes(clear + crypto_box_SEALBYTES));
  expect_refused(inspect_backup(std::move(w).take()), "sealed part too short");
}

TEST_CASE("store decoders: backups of an empty or oversized share and keys of the wrong size are refused") {
  const auto key = BackupKeyPair::generate();
  expect_refused(export_backup(sample_header(), Bytes{}, key.public_key, IdentityKey::generate()), "cannot be backed up");
  expect_refused(export_backup(sample_header(), Bytes(kMaxSharePayload + 1), key.public_key, IdentityKey::generate()), "cannot be backed up");
  expect_refused(BackupKeyPair::from_secret_key(SecretBytes(31)), "must be 32 bytes");
  expect_refused(IdentityKey::from_seed(Bytes(31)), "identity seed must be 32 bytes");
  // A restore with a key pair whose secret part has the wrong size.
  const IdentityKey signer = IdentityKey::generate();
  const Bytes backup = export_backup(sample_header(), sample_share(), key.public_key, signer).value();
  BackupKeyPair broken;
  broken.public_key = key.public_key;
  broken.secret_key = SecretBytes(16);
  expect_refused(restore_backup(backup, broken, signer.public_key()), "32 bytes");
}
