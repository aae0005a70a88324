// Signed broadcasts: blame for an inconsistent broadcast rests on signatures, so colluding echoers
// cannot frame an honest broadcaster and an equivocator leaves a proof anyone can check.
#include <catch2/catch.hpp>

#include "session_network.hpp"

using namespace tsign;
using namespace tsign::test;

namespace {

constexpr std::size_t kEntry = 4 + 32 + 64;  // sender, hash, signature

// Delivers every round-0 broadcast to everyone.
void deliver_round0(Network& net, const std::vector<PartyId>& ids) {
  for (PartyId to : ids) {
    for (PartyId from : ids) {
      if (from != to) net.deliver(net.take([&](const InFlight& x) { return x.from == from && x.to == to; }));
    }
  }
}

InFlight take_echo(Network& net, PartyId from, PartyId to) {
  return net.take([&](const InFlight& x) { return x.from == from && x.to == to && open(x).kind == MessageKind::Echo; });
}

// The echo entry about `sender` (ascending order of the parties that broadcast).
std::size_t entry_offset(const std::vector<PartyId>& ids, PartyId sender) {
  return 4 + kEntry * static_cast<std::size_t>(std::find(ids.begin(), ids.end(), sender) - ids.begin());
}

}  // namespace

TEST_CASE("signed echoes: two colluders doctoring echoes about an honest broadcaster are named and it is not") {
  const std::vector<PartyId> ids{1, 2, 3, 4};
  Network net(ids, Broadcasts::Signed);
  net.start();
  deliver_round0(net, ids);
  // Parties 3 and 4 tell every honest party that party 2 broadcast something else: once with a
  // made-up hash under 2's real signature, once with a made-up signature too.
  for (PartyId victim : {1u, 2u}) {
    for (PartyId colluder : {3u, 4u}) {
      Envelope e = open(take_echo(net, colluder, victim));
      const std::size_t at = entry_offset(ids, 2);
      e.payload[at + 4] ^= 1;
      if (colluder == 4) e.payload[at + 4 + 32] ^= 1;
      net.deliver({colluder, victim, encode_envelope(e)});
    }
  }
  for (PartyId victim : {1u, 2u}) {
    for (PartyId honest : {1u, 2u}) {
      if (honest != victim) net.deliver(take_echo(net, honest, victim));
    }
    REQUIRE(net.outcome.count(victim));
    INFO(describe(net.outcome.at(victim)));
    CHECK(blames(net.outcome.at(victim), {3, 4}));
    CHECK(net.outcome.at(victim).error().message.find("never sent") != std::string::npos);
    CHECK(net.sessions.at(victim)->equivocation_proofs().empty());
  }
}

TEST_CASE("signed echoes: an equivocating broadcaster is named with a proof a third party can verify") {
  const std::vector<PartyId> ids{1, 2, 3};
  Network net(ids, Broadcasts::Signed);
  net.start();
  // Party 2 shows party 3 another round-0 broadcast, properly signed.
  InFlight to3 = net.take([](const InFlight& x) { return x.from == 2 && x.to == 3; });
  Envelope other = open(to3);
  other.payload.back() ^= 1;
  other.signature = net.signing.identity.at(2).sign(
      broadcast_statement(other.session, other.protocol, other.round, 2, broadcast_payload_hash(other.payload)));
  net.deliver({2, 3, encode_envelope(other)});
  for (auto [from, to] : {std::pair{1u, 2u}, {1u, 3u}, {2u, 1u}, {3u, 1u}, {3u, 2u}}) {
    net.deliver(net.take([from = from, to = to](const InFlight& x) { return x.from == from && x.to == to; }));
  }
  net.deliver(take_echo(net, 2, 1));
  net.deliver(take_echo(net, 3, 1));

  REQUIRE(net.outcome.count(1));
  INFO(describe(net.outcome.at(1)));
  CHECK(blames(net.outcome.at(1), {2}));
  CHECK(net.outcome.at(1).error().message.find("equivocation") != std::string::npos);
  const auto& proofs = net.sessions.at(1)->equivocation_proofs();
  REQUIRE(proofs.size() == 1);
  const EquivocationProof& proof = proofs.front();
  CHECK(proof.sender == 2);
  CHECK(proof.round == 0);

  // Transferable: the proof travels as bytes and verifies under party 2's key alone.
  auto decoded = decode_equivocation_proof(encode_equivocation_proof(proof));
  REQUIRE(decoded);
  CHECK(verify_equivocation_proof(*decoded, net.signing.identity.at(2).public_key()));
  CHECK_FALSE(verify_equivocation_proof(*decoded, net.signing.identity.at(3).public_key()));
  EquivocationProof forged = *decoded;
  forged.second_hash[0] ^= 1;
  CHECK_FALSE(verify_equivocation_proof(forged, net.signing.identity.at(2).public_key()));
  forged = *decoded;
  forged.round = 1;  // the statements name their slot
  CHECK_FALSE(verify_equivocation_proof(forged, net.signing.identity.at(2).public_key()));
}

TEST_CASE("signed broadcasts: a broadcast whose signature does not verify names its sender at once") {
  const std::vector<PartyId> ids{1, 2, 3};
  Network net(ids, Broadcasts::Signed);
  net.start();
  Envelope e = open(net.take([](const InFlight& x) { return x.from == 2 && x.to == 1; }));
  SECTION("a flipped signature") { e.signature[7] ^= 1; }
  SECTION("no signature") { e.signature = {}; }
  SECTION("another payload under the real signature") { e.payload.back() ^= 1; }
  net.deliver({2, 1, encode_envelope(e)});
  REQUIRE(net.outcome.count(1));
  CHECK(blames(net.outcome.at(1), {2}));
  CHECK(net.outcome.at(1).error().message.find("signature does not verify") != std::string::npos);
}

TEST_CASE("signed broadcasts: a signature in an unsigned session is refused") {
  const std::vector<PartyId> ids{1, 2};
  Network net(ids);
  net.start();
  Envelope e = open(net.take([](const InFlight& x) { return x.from == 2 && x.to == 1; }));
  e.signature[0] = 1;
  net.deliver({2, 1, encode_envelope(e)});
  REQUIRE(net.outcome.count(1));
  CHECK(blames(net.outcome.at(1), {2}));
}

TEST_CASE("signed broadcasts: keys that miss a party or another signing key refuse to start") {
  CoinTossGroup group({1, 2, 3});
  IdentityKey mine = IdentityKey::generate();
  IdentityKey other = IdentityKey::generate();
  BroadcastKeys keys{&mine, {{1, mine.public_key()}, {2, other.public_key()}}};
  SECTION("a party without a key") {}
  SECTION("a session key that is not the own key") {
    keys.public_keys[3] = other.public_key();
    keys.public_keys[1] = other.public_key();
  }
  SECTION("no own key") {
    keys.public_keys[3] = other.public_key();
    keys.own = nullptr;
  }
  ProtocolSession s(group.party(1), group.session, kDefaultMaxPayload, &keys);
  auto started = s.start();
  REQUIRE_FALSE(started);
  CHECK(started.error().kind == ErrorKind::InvalidInput);
  CHECK(started.error().message.find("broadcast keys") != std::string::npos);
}

TEST_CASE("signed broadcasts: a signed session runs to the agreed value in any order") {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 20; ++trial) {
    Network net({1, 2, 3, 4, 5}, Broadcasts::Signed);
    net.start();
    net.run(rng);
    CHECK(net.outcome.empty());
    CHECK(net.group.all_agree());
  }
}

TEST_CASE("an equivocation proof decodes strictly") {
  EquivocationProof p;
  p.protocol = "test/proof";
  p.sender = 2;
  p.second_hash[0] = 1;
  const Bytes good = encode_equivocation_proof(p);
  REQUIRE(decode_equivocation_proof(good));
  Bytes trailing = good;
  trailing.push_back(0);
  CHECK_FALSE(decode_equivocation_proof(trailing));
  CHECK_FALSE(decode_equivocation_proof(ByteSpan(good).first(good.size() - 1)));
  Bytes magic = good;
  magic[0] ^= 1;
  CHECK_FALSE(decode_equivocation_proof(magic));
  EquivocationProof same = p;
  same.second_hash = same.first_hash;
  CHECK_FALSE(decode_equivocation_proof(encode_equivocation_proof(same)));
  EquivocationProof nobody = p;
  nobody.sender = 0;
  CHECK_FALSE(decode_equivocation_proof(encode_equivocation_proof(nobody)));
  CHECK_FALSE(verify_equivocation_proof(p, IdentityKey::generate().public_key()));
}
