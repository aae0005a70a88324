// Key generation, refresh, resharing and pair rebuilding: consistent shares, working pairs,
// strict encoding, blame.
#include "helpers.hpp"
#include "tsign/dkg/public_data.hpp"

using namespace tsign;
using namespace tsign::ecdsa_test;

namespace {

// The shares agree on the key, every pair is complete at both ends, and the seeds match.
void check_key(const std::vector<EcdsaKeyShare>& shares) {
  REQUIRE_FALSE(shares.empty());
  const auto digest = KeyPublicData<Secp256k1>::of(shares.front().key).digest();
  for (const auto& s : shares) {
    REQUIRE(s.validate().ok());
    CHECK(KeyPublicData<Secp256k1>::of(s.key).digest() == digest);
    CHECK(s.disabled_peers().empty());
    for (const auto& other : shares) {
      if (other.key.self == s.key.self) continue;
      CHECK(ct_equal(s.pairs.at(other.key.self).zero_seed.expose(), other.pairs.at(s.key.self).zero_seed.expose()));
    }
  }
}

const EcdsaKeyShare& share_of(const std::vector<EcdsaKeyShare>& shares, PartyId id) {
  for (const auto& s : shares) {
    if (s.key.self == id) return s;
  }
  FAIL("no share for party " << id);
  return shares.front();
}

void check_signs(std::vector<EcdsaKeyShare>& shares, const std::vector<PartyId>& signers) {
  const Digest32 digest = random_array<32>();
  check_signatures(sign(shares, signers, digest), digest, shares.front().key.group_public_key);
}

}  // namespace

TEST_CASE("ecdsa keygen: consistent shares with complete pair state") {
  auto shares = generate_key(3, {2, 5, 9, 11});
  check_key(shares);
  CHECK(shares[0].key.threshold == 3);
  CHECK(shares[0].pairs.size() == 3);
  check_signs(shares, {2, 9, 11});
}

TEST_CASE("ecdsa keygen: the key share encodes and decodes strictly") {
  auto shares = fresh_key(2, 3);
  const SecretBytes encoded = shares[1].encode();
  auto decoded = EcdsaKeyShare::decode(encoded.expose());
  REQUIRE(decoded.ok());
  CHECK(ct_equal(decoded->encode().expose(), encoded.expose()));
  shares[1] = std::move(decoded).value();
  check_signs(shares, {1, 2});

  const Bytes good(encoded.expose().begin(), encoded.expose().end());
  auto rejects = [](Bytes bytes) { return !EcdsaKeyShare::decode(bytes).ok(); };
  CHECK(rejects({}));
  CHECK(rejects(Bytes(good.begin(), good.end() - 1)));  // truncated
  Bytes longer = good;
  longer.push_back(0);
  CHECK(rejects(longer));  // trailing byte
  Bytes magic = good;
  magic[0] ^= 1;
  CHECK(rejects(magic));
  Bytes version = good;
  version[5] ^= 1;
  CHECK(rejects(version));
  // The pair count, then a peer id changed to one that is not a holder.
  const std::size_t inner = (std::size_t{good[6]} << 24) | (std::size_t{good[7]} << 16) | (std::size_t{good[8]} << 8) | good[9];
  const std::size_t pairs_at = 10 + inner;
  Bytes count = good;
  count[pairs_at + 3] = 1;
  CHECK(rejects(count));
  Bytes peer = good;
  peer[pairs_at + 4 + 3] = 7;
  CHECK(rejects(peer));
  // An OT state of another pair: swap the two roles' blocks of the first pair.
  Bytes role = good;
  role[pairs_at + 8 + 1] ^= 3;  // the OT state's role byte
  CHECK(rejects(role));
}

TEST_CASE("ecdsa keygen: refresh keeps the key and rebuilds every pair") {
  auto shares = fresh_key(2, 3);
  const SessionId session = random_session();
  std::vector<EcdsaKeyProtocol> parties;
  for (const auto& s : shares) parties.push_back(EcdsaKeyProtocol::refresh(s, session).value());
  REQUIRE(run_protocols(pointers(parties)).all_finished());
  std::vector<EcdsaKeyShare> fresh;
  for (auto& p : parties) fresh.push_back(p.take_output().value().value());
  check_key(fresh);
  CHECK(fresh[0].key.group_public_key == shares[0].key.group_public_key);
  CHECK(fresh[0].key.epoch == shares[0].key.epoch + 1);
  CHECK_FALSE(fresh[0].key.signing_share.expose() == shares[0].key.signing_share.expose());
  CHECK_FALSE(ct_equal(fresh[0].pairs.at(2).zero_seed.expose(), shares[0].pairs.at(2).zero_seed.expose()));
  check_signs(fresh, {1, 3});
  // Old and new epochs do not mix.
  std::vector<EcdsaKeyShare> mixed;
  mixed.push_back(shares[0].clone());
  mixed.push_back(fresh[1].clone());
  auto run = sign(mixed, {1, 2}, random_array<32>());
  CHECK(run.signatures.empty());
}

TEST_CASE("ecdsa keygen: a refresh re-enables a pair disabled by a failed check") {
  auto shares = fresh_key(2, 3);
  // A failure seen on a copy of party 1's share, carried back to the share itself.
  EcdsaKeyShare copy = shares[0].clone();
  copy.pairs.at(2).receiver.mark_poisoned();
  for (PartyId peer : copy.disabled_peers()) shares[0].disable_pair(peer);
  CHECK(shares[0].disabled_peers() == std::vector<PartyId>{2});
  CHECK_FALSE(EcdsaSignProtocol::create(shares[0], {random_session(), {1, 2}, {}, random_array<32>()}).ok());
  const SessionId session = random_session();
  std::vector<EcdsaKeyProtocol> parties;
  for (const auto& s : shares) parties.push_back(EcdsaKeyProtocol::refresh(s, session).value());
  REQUIRE(run_protocols(pointers(parties)).all_finished());
  std::vector<EcdsaKeyShare> fresh;
  for (auto& p : parties) fresh.push_back(p.take_output().value().value());
  check_key(fresh);
  check_signs(fresh, {1, 2});
}

TEST_CASE("ecdsa keygen: rebuild_pairs gives fresh pair state for the same key share") {
  auto shares = fresh_key(2, 3);
  const SessionId session = random_session();
  std::vector<EcdsaKeyProtocol> parties;
  for (const auto& s : shares) parties.push_back(EcdsaKeyProtocol::rebuild_pairs(s.key, session).value());
  REQUIRE(run_protocols(pointers(parties)).all_finished());
  std::vector<EcdsaKeyShare> rebuilt;
  for (auto& p : parties) rebuilt.push_back(p.take_output().value().value());
  check_key(rebuilt);
  CHECK(rebuilt[0].key.signing_share.expose() == shares[0].key.signing_share.expose());
  check_signs(rebuilt, {2, 3});
}

TEST_CASE("ecdsa keygen: resharing 2-of-3 to 3-of-4 with a new member") {
  auto shares = fresh_key(2, 3);
  const ReshareConfig config{random_session(), {1, 3}, {1, 2, 3, 4}, 3};
  std::vector<EcdsaKeyProtocol> parties;
  for (const auto& s : shares) parties.push_back(EcdsaKeyProtocol::reshare(s, config).value());
  parties.push_back(
      EcdsaKeyProtocol::join(4, shares[0].key.key_id, shares[0].key.group_public_key, config).value());
  REQUIRE(run_protocols(pointers(parties)).all_finished());
  std::vector<EcdsaKeyShare> fresh;
  for (auto& p : parties) {
    REQUIRE(p.produces_share());
    fresh.push_back(p.take_output().value().value());
  }
  check_key(fresh);
  CHECK(fresh[0].key.threshold == 3);
  CHECK(fresh[0].key.group_public_key == shares[0].key.group_public_key);
  check_signs(fresh, {2, 3, 4});
  check_signs(fresh, {1, 2, 4});
}

TEST_CASE("ecdsa keygen: resharing to a committee without some old holders") {
  auto shares = fresh_key(2, 3);
  const ReshareConfig config{random_session(), {1, 2}, {2, 3}, 2};
  std::vector<EcdsaKeyProtocol> parties;
  for (const auto& s : shares) parties.push_back(EcdsaKeyProtocol::reshare(s, config).value());
  REQUIRE(run_protocols(pointers(parties)).all_finished());
  CHECK_FALSE(parties[0].produces_share());
  auto dealt = parties[0].take_output();  // finished, with no share of the new epoch
  REQUIRE(dealt.ok());
  CHECK_FALSE(dealt->has_value());
  std::vector<EcdsaKeyShare> fresh;
  for (std::size_t i = 1; i < parties.size(); ++i) fresh.push_back(parties[i].take_output().value().value());
  check_key(fresh);
  CHECK(share_of(fresh, 2).pairs.size() == 1);
  check_signs(fresh, {2, 3});
}

TEST_CASE("ecdsa keygen: a tampered direct message names its sender and nobody gets a key") {
  const DkgConfig config{random_session(), ids_1_to(3), 2};
  struct Tamper {
    std::size_t round;
    PartyId from, to;
    std::size_t offset;  // into the direct message: tag, flags, then the length-prefixed parts
  };
  // Round 0 the base-OT sender's point A, round 1 the DKG share, round 2 the forward SetupMsg3's
  // session tag (lower to higher id), round 3 the reverse SetupMsg3's session tag (higher to lower).
  const Tamper tampers[] = {{0, 2, 3, 37}, {1, 2, 3, 49}, {2, 2, 3, 13}, {3, 3, 2, 13}};
  for (const Tamper& t : tampers) {
    INFO("round " << t.round);
    std::vector<EcdsaKeyProtocol> parties;
    for (PartyId p : config.parties) parties.push_back(EcdsaKeyProtocol::keygen(p, config).value());
    auto run = run_protocols(pointers(parties), [&](InFlight& m) {
      if (m.round == t.round && m.from == t.from && m.to == t.to && !m.broadcast) m.payload[t.offset] ^= 1;
    });
    CHECK(run.none_finished());
    REQUIRE_FALSE(run.status.at(t.to).ok());
    CHECK(run.error(t.to).culprits == std::vector<PartyId>{t.from});
    for (auto& p : parties) CHECK_FALSE(p.take_output().ok());
  }
}

TEST_CASE("ecdsa keygen: a party that cheats in the reverse setup's extension is named") {
  // Party 2 (the lower id) extends random OTs from its forward setup with party 3; a flipped
  // correction makes its choice bits inconsistent, which party 3's extension check catches.
  const DkgConfig config{random_session(), ids_1_to(3), 2};
  std::vector<EcdsaKeyProtocol> parties;
  for (PartyId p : config.parties) parties.push_back(EcdsaKeyProtocol::keygen(p, config).value());
  auto run = run_protocols(pointers(parties), [&](InFlight& m) {
    if (m.round == 2 && m.from == 2 && m.to == 3 && !m.broadcast) m.payload[m.payload.size() - 100] ^= 1;
  });
  CHECK(run.none_finished());
  REQUIRE_FALSE(run.status.at(3).ok());
  CHECK(run.error(3).kind == ErrorKind::ProtocolAborted);
  CHECK(run.error(3).culprits == std::vector<PartyId>{2});
}

TEST_CASE("ecdsa keygen: a missing confirmation leaves everyone without a key") {
  const DkgConfig config{random_session(), ids_1_to(3), 2};
  std::vector<EcdsaKeyProtocol> parties;
  for (PartyId p : config.parties) parties.push_back(EcdsaKeyProtocol::keygen(p, config).value());
  auto run = run_protocols(pointers(parties), [](InFlight& m) {
    if (m.round == EcdsaKeyProtocol::kRounds - 1 && m.from == 1) m.deliver = false;
  });
  for (PartyId p : {2u, 3u}) {
    REQUIRE_FALSE(run.status.at(p).ok());
    CHECK(run.error(p).kind == ErrorKind::Timeout);
    CHECK(run.error(p).culprits == std::vector<PartyId>{1});
  }
}

TEST_CASE("ecdsa keygen: validate refuses pair states that do not match the holders") {
  auto shares = fresh_key(2, 3);
  REQUIRE(shares[0].validate().ok());
  auto expect_invalid = [](const EcdsaKeyShare& share, const std::string& why) {
    const Status status = share.validate();
    REQUIRE_FALSE(status.ok());
    INFO(status.error().describe());
    CHECK(status.error().kind == ErrorKind::InvalidKeyShare);
    CHECK_THAT(status.error().message, Catch::Contains(why));
  };
  SECTION("a pair state for a party that does not hold the key") {
    EcdsaKeyShare extra = shares[0].clone();
    extra.pairs.emplace(7, extra.pairs.at(2).clone());
    expect_invalid(extra, "pair states do not match the holders");
  }
  SECTION("a holder's pair state filed under another party") {
    EcdsaKeyShare moved = shares[0].clone();
    auto node = moved.pairs.extract(2);
    node.key() = 7;
    moved.pairs.insert(std::move(node));
    expect_invalid(moved, "no pair state for party 2");
  }
  SECTION("the pair states of two peers swapped") {
    EcdsaKeyShare swapped = shares[0].clone();
    std::swap(swapped.pairs.at(2), swapped.pairs.at(3));
    expect_invalid(swapped, "the pair state for party 2 belongs to another pair");
  }
  SECTION("the other end's pair state") {
    EcdsaKeyShare other = shares[0].clone();
    other.pairs.at(2) = shares[1].pairs.at(1).clone();
    expect_invalid(other, "the pair state for party 2 belongs to another pair");
  }
  SECTION("a zero-sharing seed of the wrong size") {
    EcdsaKeyShare short_seed = shares[0].clone();
    short_seed.pairs.at(3).zero_seed = SecretBytes(EcdsaPairState::kZeroSeedSize - 1);
    expect_invalid(short_seed, "zero-sharing seed of the wrong size");
  }
}

TEST_CASE("ecdsa keygen: key share decoding refuses pairs out of order and a malformed receiver state") {
  auto shares = fresh_key(2, 3);
  const SecretBytes encoded = shares[0].encode();
  const Bytes good(encoded.expose().begin(), encoded.expose().end());
  const std::size_t inner = (std::size_t{good[6]} << 24) | (std::size_t{good[7]} << 16) | (std::size_t{good[8]} << 8) | good[9];
  const std::size_t pairs_at = 10 + inner + 4;  // after the pair count
  constexpr std::size_t kSender = ot::OtSenderSetup::kEncodedSize;
  constexpr std::size_t kPair = 4 + kSender + ot::OtReceiverSetup::kEncodedSize + EcdsaPairState::kZeroSeedSize;
  REQUIRE(good.size() == pairs_at + 2 * kPair);
  REQUIRE(EcdsaKeyShare::decode(good).ok());
  auto expect_refused = [](const Bytes& bytes, const std::string& why) {
    auto decoded = EcdsaKeyShare::decode(bytes);
    REQUIRE_FALSE(decoded.ok());
    INFO(decoded.error().describe());
    CHECK(decoded.error().kind == ErrorKind::InvalidInput);
    CHECK_THAT(decoded.error().message, Catch::Contains(why));
  };
  // The pairs with parties 3 and 2, in that order: the same content, not the canonical encoding.
  Bytes swapped = good;
  const auto first = swapped.begin() + static_cast<std::ptrdiff_t>(pairs_at);
  std::rotate(first, first + static_cast<std::ptrdiff_t>(kPair), first + static_cast<std::ptrdiff_t>(2 * kPair));
  expect_refused(swapped, "pair states not in ascending order of peer");
  // The receiver state of the pair with party 2 claims the sender's role.
  Bytes role = good;
  role[pairs_at + 4 + kSender + 1] = 1;
  expect_refused(role, "pair with party 2: OT receiver state: wrong role");
}

TEST_CASE("ecdsa keygen: GGM corrections that do not match the trees fail key generation, naming their sender") {
  // The forward setup 2 -> 3 (round 2) and the reverse setup 3 -> 2 (round 3): message 3 starts at
  // byte 11 of the direct message (after its tag, flags and length), its corrections 18 bytes
  // later; both sides of base OT 10's correction are flipped, so whatever Δ is, the receiving
  // party's seeds are wrong, and its check of the tree proofs fails before any key exists.
  constexpr std::size_t kCorrections = 11 + 18;
  const struct {
    std::size_t round;
    PartyId from, to;
  } cases[] = {{2, 2, 3}, {3, 3, 2}};
  for (const auto& c : cases) {
    INFO("round " << c.round);
    const DkgConfig config{random_session(), ids_1_to(3), 2};
    std::vector<EcdsaKeyProtocol> parties;
    for (PartyId p : config.parties) parties.push_back(EcdsaKeyProtocol::keygen(p, config).value());
    auto run = run_protocols(pointers(parties), [&](InFlight& m) {
      if (m.round == c.round && m.from == c.from && m.to == c.to && !m.broadcast) {
        m.payload[kCorrections + 2 * 10 * 32] ^= 1;
        m.payload[kCorrections + (2 * 10 + 1) * 32] ^= 1;
      }
    });
    CHECK(run.none_finished());
    REQUIRE_FALSE(run.status.at(c.to).ok());
    CHECK(run.error(c.to).kind == ErrorKind::ProtocolAborted);
    CHECK(run.error(c.to).culprits == std::vector<PartyId>{c.from});
    CHECK_THAT(run.error(c.to).message, Catch::Contains("not consistent with their proofs"));
  }
}
