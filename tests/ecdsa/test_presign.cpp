// Presigning ahead of the message, then the online round: single use, message agreement.
#include "ecdsa/sign_messages.hpp"
#include "helpers.hpp"

using namespace tsign;
using namespace tsign::ecdsa_test;

namespace {

struct OnlineRun {
  SimulationResult run;
  std::vector<EcdsaOnlineProtocol> parties;
};

const EcdsaKeyShare& share_of(const std::vector<EcdsaKeyShare>& shares, PartyId id) {
  for (const auto& s : shares) {
    if (s.key.self == id) return s;
  }
  throw std::invalid_argument("no share of that party");
}

OnlineRun online(const std::vector<EcdsaKeyShare>& shares, std::vector<Presignature>& presignatures,
                 const std::vector<Digest32>& digests, const Tamper& tamper = {}) {
  OnlineRun out;
  for (std::size_t i = 0; i < presignatures.size(); ++i) {
    const EcdsaKeyShare& share = share_of(shares, presignatures[i].self());
    out.parties.push_back(EcdsaOnlineProtocol::create(share, std::move(presignatures[i]), digests[i]).value());
  }
  out.run = run_protocols(pointers(out.parties), tamper);
  return out;
}

}  // namespace

TEST_CASE("ecdsa presign: presignatures made ahead sign a message chosen later") {
  auto shares = fresh_key(3, 5);
  for (const std::vector<std::uint32_t>& path : {std::vector<std::uint32_t>{}, {1, 2, 3}}) {
    auto presignatures = presign(shares, {1, 4, 5}, path);
    const auto& key = shares.front().key;
    const auto expected = derive_path(ExtendedPublicKey::root(key.group_public_key, key.chain_code), path).value();
    for (const auto& p : presignatures) {
      CHECK(p.usable());
      CHECK(p.public_key() == expected.xpub.key);
      CHECK(p.id() == presignatures.front().id());
      CHECK(p.nonce_point() == presignatures.front().nonce_point());
    }
    const Digest32 digest = random_array<32>();
    auto run = online(shares, presignatures, {digest, digest, digest});
    REQUIRE(run.run.all_finished());
    std::vector<EcdsaSignature> sigs;
    for (auto& p : run.parties) sigs.push_back(p.take_output().value());
    const EcdsaSignature& sig = sigs.front();
    for (const auto& s : sigs) CHECK(s.compact() == sig.compact());
    CHECK(verify_ecdsa(sig, digest, expected.xpub.key).ok());
    CHECK(recover_ecdsa(sig, digest).value() == expected.xpub.key);
  }
}

TEST_CASE("ecdsa presign: a presignature is consumed by its first use") {
  auto shares = fresh_key(2, 3);
  auto presignatures = presign(shares, {1, 2});
  Presignature& mine = presignatures[0];
  const Digest32 digest = random_array<32>();
  auto first = EcdsaOnlineProtocol::create(shares[0], std::move(mine), digest);
  REQUIRE(first.ok());
  CHECK_FALSE(mine.usable());  // moved into the online round: the caller's object is empty
  auto second = EcdsaOnlineProtocol::create(shares[0], std::move(mine), random_array<32>());
  REQUIRE_FALSE(second.ok());
  CHECK_THAT(second.error().message, Catch::Contains("already used"));
  // Moving a presignature around keeps exactly one usable copy.
  Presignature moved = std::move(presignatures[1]);
  CHECK(moved.usable());
  CHECK_FALSE(presignatures[1].usable());
  static_assert(!std::is_copy_constructible_v<Presignature>);
  static_assert(!std::is_copy_assignable_v<Presignature>);
}

TEST_CASE("ecdsa presign: signers fed different messages name each other, nothing released") {
  auto shares = fresh_key(2, 3);
  auto presignatures = presign(shares, {1, 2, 3});
  const Digest32 digest = random_array<32>();
  Digest32 other = digest;
  other[31] ^= 1;
  auto run = online(shares, presignatures, {digest, digest, other});
  for (auto& p : run.parties) CHECK_FALSE(p.take_output().ok());
  for (PartyId p : {1u, 2u}) {
    REQUIRE_FALSE(run.run.status.at(p).ok());
    CHECK(run.run.error(p).culprits == std::vector<PartyId>{3});
    CHECK_THAT(run.run.error(p).message, Catch::Contains("different message"));
  }
}

TEST_CASE("ecdsa presign: an online share from another presignature is refused") {
  auto shares = fresh_key(2, 3);
  auto a = presign(shares, {1, 2});
  auto b = presign(shares, {1, 2});
  const Digest32 digest = random_array<32>();
  auto first = online(shares, a, {digest, digest});
  REQUIRE(first.run.all_finished());
  Bytes replayed;
  for (const auto& m : first.run.transcript) {
    if (m.from == 2) replayed = m.payload;
  }
  auto second = online(shares, b, {digest, digest}, [&](InFlight& m) {
    if (m.from == 2) m.payload = replayed;
  });
  REQUIRE_FALSE(second.run.status.at(1).ok());
  CHECK(second.run.error(1).culprits == std::vector<PartyId>{2});
  CHECK_FALSE(second.parties[0].take_output().ok());
}

TEST_CASE("ecdsa presign: presigning and the online round over random signer sets") {
  auto shares = fresh_key(2, 4);
  for (const std::vector<PartyId>& signers : {std::vector<PartyId>{1, 2}, {3, 4}, {1, 3, 4}, {1, 2, 3, 4}}) {
    auto presignatures = presign(shares, signers);
    const Digest32 digest = random_array<32>();
    std::vector<Digest32> digests(signers.size(), digest);
    auto run = online(shares, presignatures, digests);
    REQUIRE(run.run.all_finished());
    CHECK(verify_ecdsa(run.parties.front().take_output().value(), digest, shares.front().key.group_public_key).ok());
  }
}

TEST_CASE("ecdsa presign: a share that negates the combined s is refused for its recovery id") {
  // Party 2 sends w_2' = -2·w_1 - w_2, so party 1 combines -s: the low-s form still verifies, but
  // R's parity no longer gives the recovery id, which would name another key.
  auto shares = fresh_key(2, 3);
  auto presignatures = presign(shares, {1, 2});
  const Digest32 sid = presignatures[0].id();
  const Digest32 digest = random_array<32>();
  std::optional<ecdsa_internal::ShareMessage> first;
  auto run = online(shares, presignatures, {digest, digest}, [&](InFlight& m) {
    if (m.from == 1) first = ecdsa_internal::ShareMessage::decode(m.payload, sid).value();
    if (m.from != 2) return;
    REQUIRE(first.has_value());
    auto share = ecdsa_internal::ShareMessage::decode(m.payload, sid).value();
    share.w = -(first->w + first->w + share.w);
    m.payload = share.encode(sid);
  });
  REQUIRE_FALSE(run.run.status.at(1).ok());
  INFO(run.run.error(1).describe());
  CHECK(run.run.error(1).kind == ErrorKind::ProtocolAborted);
  CHECK(run.run.error(1).culprits == std::vector<PartyId>{2});
  CHECK_THAT(run.run.error(1).message, Catch::Contains("the recovery id does not recover the key"));
  CHECK_FALSE(run.parties[0].take_output().ok());
}

TEST_CASE("ecdsa presign: a presignature made before a refresh of the key is refused after it") {
  auto shares = fresh_key(2, 3);
  auto presignatures = presign(shares, {1, 2});
  CHECK(presignatures[0].epoch() == shares[0].key.epoch);
  CHECK(presignatures[0].key_id() == shares[0].key.key_id);
  std::vector<EcdsaKeyProtocol> parties;
  const SessionId session = random_session();
  for (const auto& s : shares) parties.push_back(EcdsaKeyProtocol::refresh(s, session).value());
  REQUIRE(run_protocols(pointers(parties)).all_finished());
  std::vector<EcdsaKeyShare> refreshed;
  for (auto& p : parties) refreshed.push_back(p.take_output().value().value());
  // Stored and read back (as a pool would), it is still bound to the old epoch.
  const SecretBytes stored = Presignature::encode(std::move(presignatures[0])).value();
  Presignature restored = Presignature::decode(stored.expose()).value();
  CHECK(restored.epoch() == shares[0].key.epoch);
  auto stale = EcdsaOnlineProtocol::create(refreshed[0], std::move(restored), random_array<32>());
  REQUIRE_FALSE(stale.ok());
  CHECK_THAT(stale.error().message, Catch::Contains("voids every presignature made before it"));
  // Nor does it serve another party's share or another key.
  auto other_party = EcdsaOnlineProtocol::create(shares[0], std::move(presignatures[1]), random_array<32>());
  REQUIRE_FALSE(other_party.ok());
  CHECK_THAT(other_party.error().message, Catch::Contains("another key or another party's share"));
}

TEST_CASE("ecdsa presign: the stored form of a presignature is strict") {
  auto shares = fresh_key(2, 3);
  auto presignatures = presign(shares, {1, 2});
  const SecretBytes stored = Presignature::encode(std::move(presignatures[0])).value();
  CHECK_FALSE(presignatures[0].usable());  // the bytes are now the only copy
  CHECK_FALSE(Presignature::encode(std::move(presignatures[0])).ok());
  const Bytes good(stored.expose().begin(), stored.expose().end());
  REQUIRE(Presignature::decode(good).ok());
  CHECK_FALSE(Presignature::decode(ByteSpan(good).first(good.size() - 1)).ok());
  Bytes longer = good;
  longer.push_back(0);
  CHECK_FALSE(Presignature::decode(longer).ok());
  Bytes magic = good;
  magic[0] ^= 1;
  CHECK_THAT(Presignature::decode(magic).error().message, Catch::Contains("bad magic"));
  Bytes version = good;
  version[5] ^= 1;
  CHECK_THAT(Presignature::decode(version).error().message, Catch::Contains("unsupported version"));
  // The signer list (after magic, version, id, key id, epoch and self) must include self.
  Bytes signers = good;
  const std::size_t first_signer = 4 + 2 + 32 + 32 + 8 + 4 + 4;
  signers[first_signer + 3] = 9;  // signer 1 becomes 9: above signer 2, and self (1) is gone
  CHECK_FALSE(Presignature::decode(signers).ok());
  // An invalid nonce point.
  Bytes point = good;
  point[good.size() - 96 - 33] = 0x05;
  CHECK_FALSE(Presignature::decode(point).ok());
}
