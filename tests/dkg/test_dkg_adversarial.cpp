// DKG under attack: each check broken by one party names that party, and no honest party keeps
// a key.
#include "adversary.hpp"
#include "dkg/context.hpp"

using namespace tsign;
using namespace tsign::test;

namespace {

using C = FrostSecp256k1;
using G = Secp256k1;
const std::vector<PartyId> kIds = {1, 2, 3, 4, 5};
constexpr std::uint32_t kT = 3;
constexpr PartyId kBad = 3;
constexpr PartyId kVictim = 1;

SimulationResult run_dkg(const Tamper& tamper, std::uint8_t tag = 50) {
  auto parties = dkg_parties<C>({session_of(tag), kIds, kT});
  auto result = run_protocols(pointers(parties), tamper);
  for (auto& p : parties) {
    if (p.self() != kBad) CHECK_FALSE(p.take_output().ok());
  }
  return result;
}

}  // namespace

TEST_CASE("DKG: a share that does not match its commitment names its dealer") {
  auto result = run_dkg(rewrite(1, kBad, false, corrupt_last_byte, kVictim));
  CHECK_FALSE(result.any_finished());
  expect_blamed(result, kBad, {kVictim});
}

TEST_CASE("DKG: a commitment without a valid proof of knowledge (rogue key) names its sender") {
  auto result = run_dkg(rewrite(0, kBad, true, [](Bytes& b) {
    auto msg = DkgCommitMessage<G>::decode(b, session_of(50), kT).value();
    auto coeffs = msg.commitment.coefficients();
    coeffs[0] = coeffs[0] + G::Point::generator();  // shift the constant, keep the proof
    msg.commitment = FeldmanCommitment<G>(coeffs);
    b = msg.encode(session_of(50));
  }));
  CHECK_FALSE(result.any_finished());
  expect_blamed(result, kBad, all_but(kIds, kBad));
}

TEST_CASE("DKG: a proof of knowledge that does not verify for a commitment its shares match names its sender") {
  // Only the proof is wrong: the commitment, the shares and the cheater's own echo are honest, so
  // no other check can catch it.
  const DkgConfig config{session_of(50), kIds, kT};
  auto result = run_dkg(rewrite_consistently(0, kBad, dkg_internal::dkg_context(C::kName, config), [](Bytes& b) {
    auto msg = DkgCommitMessage<G>::decode(b, session_of(50), kT).value();
    msg.proof.z = msg.proof.z + G::Scalar::one();
    b = msg.encode(session_of(50));
  }));
  CHECK_FALSE(result.any_finished());
  expect_blamed(result, kBad, all_but(kIds, kBad));
  expect_reason(result, kBad, "proof of knowledge of the constant term does not verify");
}

TEST_CASE("DKG: a message or proof replayed from another session names its sender") {
  // Record party 3's round-0 message of one session.
  Bytes recorded;
  auto earlier = dkg_parties<C>({session_of(60), kIds, kT});
  run_protocols(pointers(earlier), [&](InFlight& m) {
    if (m.round == 0 && m.from == kBad && recorded.empty()) recorded = m.payload;
  });
  REQUIRE_FALSE(recorded.empty());
  SECTION("replayed as is: wrong session") {
    auto result = run_dkg(rewrite(0, kBad, true, [&](Bytes& b) { b = recorded; }));
    CHECK_FALSE(result.any_finished());
    expect_blamed(result, kBad, all_but(kIds, kBad));
  }
  SECTION("commitment and proof moved into this session's framing: the proof fails") {
    auto result = run_dkg(rewrite(0, kBad, true, [&](Bytes& b) {
      auto old = DkgCommitMessage<G>::decode(recorded, session_of(60), kT).value();
      b = old.encode(session_of(50));
    }));
    CHECK_FALSE(result.any_finished());
    expect_blamed(result, kBad, all_but(kIds, kBad));
  }
}

TEST_CASE("DKG: a broadcast that differs between recipients is caught in the next round") {
  // Party 3 tells party 1 a different chain-code commitment than everyone else.
  auto result = run_dkg(rewrite(0, kBad, true, [](Bytes& b) { b[b.size() - 1] ^= 1; }, kVictim));
  CHECK_FALSE(result.any_finished());
  // Party 3 signed both copies: whoever compares echoes holds two signed statements for one slot
  // and names party 3 alone, never party 1, which only reported what it received.
  expect_blamed(result, kBad, {kVictim});
  for (PartyId p : {2, 4, 5}) {
    const Error& e = result.error(p);
    const bool stopped_by_notice = e.message.find("aborted the session") != std::string::npos;
    INFO(e.describe());
    CHECK((e.culprits == std::vector<PartyId>{kBad} || stopped_by_notice));
  }
}

TEST_CASE("DKG: an echo that misreports a party's broadcast is caught") {
  auto result = run_dkg(rewrite(1, kBad, true, [](Bytes& b) {
    auto msg = DkgOpenMessage::decode(b, session_of(50), kIds).value();
    msg.echo.at(kVictim)[0] ^= 1;
    b = msg.encode(session_of(50));
  }));
  CHECK_FALSE(result.any_finished());
  expect_blamed(result, kBad, {kVictim});
}

TEST_CASE("DKG: a chain-code contribution that does not open its commitment names its sender") {
  auto result = run_dkg(rewrite(1, kBad, true, [](Bytes& b) { b.back() ^= 1; }));
  CHECK_FALSE(result.any_finished());
  expect_blamed(result, kBad, all_but(kIds, kBad));
}

TEST_CASE("DKG: a chain-code contribution that does not open its commitment in an otherwise intact message names its sender") {
  // The contribution changes after the commitment; the rest of the message and the cheater's
  // echo of it are consistent, so only the opening check can catch it.
  const DkgConfig config{session_of(50), kIds, kT};
  auto result = run_dkg(rewrite_consistently(1, kBad, dkg_internal::dkg_context(C::kName, config), [&](Bytes& b) {
    auto msg = DkgOpenMessage::decode(b, session_of(50), kIds).value();
    msg.chain_contribution[0] ^= 1;
    b = msg.encode(session_of(50));
  }));
  CHECK_FALSE(result.any_finished());
  expect_blamed(result, kBad, all_but(kIds, kBad));
  expect_reason(result, kBad, "chain-code contribution does not open its commitment");
}

TEST_CASE("DKG: a wrong verifying share names its sender") {
  auto result = run_dkg(rewrite(2, kBad, true, [](Bytes& b) {
    auto msg = ConfirmMessage<G>::decode(b, DkgMessageType::DkgConfirm, session_of(50), kIds, true).value();
    msg.verifying_share = *msg.verifying_share + G::Point::generator();
    b = msg.encode(session_of(50));
  }));
  expect_blamed(result, kBad, all_but(kIds, kBad));
}

TEST_CASE("DKG: malformed messages name their sender") {
  SECTION("truncated") {
    auto result = run_dkg(rewrite(0, kBad, true, [](Bytes& b) { b.pop_back(); }));
    expect_blamed(result, kBad, all_but(kIds, kBad));
  }
  SECTION("trailing byte") {
    auto result = run_dkg(rewrite(1, kBad, false, [](Bytes& b) { b.push_back(0); }, kVictim));
    expect_blamed(result, kBad, {kVictim});
  }
  SECTION("wrong type") {
    auto result = run_dkg(rewrite(2, kBad, true, [](Bytes& b) { b[0] = 0x13; }));
    expect_blamed(result, kBad, all_but(kIds, kBad));
  }
  SECTION("share not below the group order") {
    auto result = run_dkg(rewrite(1, kBad, false, [](Bytes& b) { std::fill(b.end() - 32, b.end(), 0xff); }, kVictim));
    expect_blamed(result, kBad, {kVictim});
  }
}

TEST_CASE("DKG: missing and unexpected senders are named before the protocol reads anything") {
  auto parties = dkg_parties<C>({session_of(70), {1, 2, 3}, 2});
  std::map<PartyId, Bytes> round0;
  for (auto& p : parties) round0[p.self()] = p.start().value().front().payload;
  RoundMessages in;
  in.broadcast[2] = round0[2];  // nothing from party 3
  in.broadcast[9] = round0[3];  // and something from a stranger
  auto out = parties[0].advance(0, in);
  REQUIRE_FALSE(out.ok());
  CHECK(out.error().kind == ErrorKind::ProtocolAborted);
  CHECK(out.error().culprits == std::vector<PartyId>{3, 9});
  CHECK(parties[0].failed());
  CHECK_FALSE(parties[0].advance(0, in).ok());  // latched
}
