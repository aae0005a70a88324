// Every check of presigning and signing, broken on its own: the right party is named and no
// signature is released.
#include "ecdsa/sign_messages.hpp"
#include "helpers.hpp"

using namespace tsign;
using namespace tsign::ecdsa_test;
namespace ei = tsign::ecdsa_internal;

namespace {

constexpr std::size_t kCommitRound = 0, kRequestRound = 1, kReplyRound = 2, kShareRound = 3;

Digest32 sid_of(const Bytes& payload) {
  Digest32 sid;
  std::copy(payload.begin() + 1, payload.begin() + 33, sid.begin());
  return sid;
}

// Rewrites every reply `culprit` sends (t signers in all).
Tamper edit_replies(PartyId culprit, std::size_t t, std::function<void(ei::ReplyMessage&)> edit) {
  return [=](InFlight& m) {
    if (m.round != kReplyRound || m.from != culprit) return;
    const Bytes original = m.payload;
    const Digest32 sid = sid_of(original);
    auto reply = ei::ReplyMessage::decode(original, sid, t);
    REQUIRE(reply.ok());
    edit(*reply);
    m.payload = reply->encode(sid);
  };
}

Secp256k1Point random_point() { return Secp256k1Point::base_mul(Secp256k1Scalar::random()); }

std::string message_of(const SignRun& run, PartyId p) { return run.run.error(p).message; }

}  // namespace

TEST_CASE("ecdsa blame: a nonce that does not open its commitment") {
  auto shares = fresh_key(2, 3);
  auto run = sign(shares, {1, 2, 3}, random_array<32>(), {},
                  edit_replies(2, 3, [](ei::ReplyMessage& r) { r.blind[0] ^= 1; }));
  expect_blamed(run, 2);
  CHECK_THAT(message_of(run, 1), Catch::Contains("does not open its commitment"));
}

TEST_CASE("ecdsa blame: a different R opened than committed") {
  auto shares = fresh_key(2, 3);
  auto run = sign(shares, {1, 3}, random_array<32>(), {},
                  edit_replies(3, 2, [](ei::ReplyMessage& r) { r.nonce = random_point(); }));
  expect_blamed(run, 3);
  CHECK_THAT(message_of(run, 1), Catch::Contains("does not open its commitment"));
}

TEST_CASE("ecdsa blame: Gamma_u that does not match the multiplication and R_j") {
  auto shares = fresh_key(2, 3);
  auto run = sign(shares, {1, 2, 3}, random_array<32>(), {},
                  edit_replies(3, 3, [](ei::ReplyMessage& r) { r.gamma_u = random_point(); }));
  expect_blamed(run, 3);
  CHECK_THAT(message_of(run, 1), Catch::Contains("Gamma_u check failed"));
  // The multiplication with party 3 is now disabled at the receivers: no retry on this setup.
  CHECK(shares[0].pairs.at(3).receiver.poisoned());
  CHECK(shares[1].pairs.at(3).receiver.poisoned());
}

TEST_CASE("ecdsa blame: Gamma_v that does not match the multiplication and pk_j") {
  auto shares = fresh_key(2, 3);
  auto run = sign(shares, {1, 2}, random_array<32>(), {},
                  edit_replies(2, 2, [](ei::ReplyMessage& r) { r.gamma_v = random_point(); }));
  expect_blamed(run, 2);
  CHECK_THAT(message_of(run, 1), Catch::Contains("Gamma_v check failed"));
}

TEST_CASE("ecdsa blame: a claimed pk_j that is not sk_j·G") {
  auto shares = fresh_key(2, 3);
  auto run = sign(shares, {1, 2, 3}, random_array<32>(), {},
                  edit_replies(1, 3, [](ei::ReplyMessage& r) { r.public_share = random_point(); }));
  expect_blamed(run, 1);
  CHECK_THAT(message_of(run, 2), Catch::Contains("Gamma_v check failed"));
}

TEST_CASE("ecdsa blame: a wrong sk_j used consistently is caught by the sum of the pk_j") {
  // The multiplications and pk_j agree (the Γ checks pass), but the shares no longer sum to the
  // key: only the sum check sees it, and the per-signer check names the liar.
  auto shares = fresh_key(3, 4);
  // Party 4 signs with a wrong signing share, and so a wrong sk_4 in everything it sends.
  shares[3].key.signing_share.expose_mut() += Secp256k1Scalar::random();
  const std::vector<PartyId> signers{1, 2, 4};
  const EcdsaSignConfig config{random_session(), signers, {0, 1}, random_array<32>()};
  std::vector<EcdsaSignProtocol> parties;
  for (EcdsaKeyShare* share : pick(shares, signers)) parties.push_back(EcdsaSignProtocol::create(*share, config).value());
  SignRun run;
  run.run = run_protocols(pointers(parties));
  for (auto& p : parties) CHECK_FALSE(p.take_output().ok());
  expect_blamed(run, 4);
  CHECK_THAT(message_of(run, 1), Catch::Contains("pk_j does not match"));
}

TEST_CASE("ecdsa blame: a wrong zero-share point for the pair") {
  auto shares = fresh_key(2, 3);
  auto run = sign(shares, {1, 2, 3}, random_array<32>(), {},
                  edit_replies(2, 3, [](ei::ReplyMessage& r) { r.zero_points[0] = random_point(); }));
  // Party 2 lists its points in signer order without itself: index 0 is its pair with party 1.
  REQUIRE_FALSE(run.run.status.at(1).ok());
  CHECK(run.run.error(1).culprits == std::vector<PartyId>{2});
  CHECK_THAT(message_of(run, 1), Catch::Contains("zero-share point"));
  CHECK(run.signatures.empty());
}

TEST_CASE("ecdsa blame: a multiplication reply whose mu does not check out") {
  auto shares = fresh_key(2, 3);
  // μ is the last field of the multiplication response, itself the last field of the reply.
  auto run = sign(shares, {2, 3}, random_array<32>(), {}, [](InFlight& m) {
    if (m.round == kReplyRound && m.from == 3) m.payload.back() ^= 0x40;
  });
  expect_blamed(run, 3);
  CHECK_THAT(message_of(run, 2), Catch::Contains("mu"));
  // Terminal for the pair: party 2 refuses to sign with party 3 again until a refresh.
  CHECK(shares[1].pairs.at(3).receiver.poisoned());
  const EcdsaSignConfig again{random_session(), {2, 3}, {}, random_array<32>()};
  auto refused = EcdsaSignProtocol::create(shares[1], again);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().culprits == std::vector<PartyId>{3});
  // The disabled pair survives encoding (a store writes the share back after the failure).
  auto decoded = EcdsaKeyShare::decode(shares[1].encode().expose());
  REQUIRE(decoded.ok());
  CHECK(decoded->disabled_peers() == std::vector<PartyId>{3});
  // Other pairs still sign.
  const Digest32 digest = random_array<32>();
  check_signatures(sign(shares, {1, 2}, digest), digest, shares[0].key.group_public_key);
}

TEST_CASE("ecdsa blame: a tampered multiplication request fails the sender's OT-extension check") {
  auto shares = fresh_key(2, 3);
  auto run = sign(shares, {1, 2}, random_array<32>(), {}, [](InFlight& m) {
    // The request's extension payload ends with the check values x̃ and t̃.
    if (m.round == kRequestRound && m.from == 2) m.payload[m.payload.size() - 20] ^= 1;
  });
  REQUIRE_FALSE(run.run.status.at(1).ok());
  CHECK(run.run.error(1).culprits == std::vector<PartyId>{2});
  CHECK(shares[0].pairs.at(2).sender.poisoned());
  CHECK(run.signatures.empty());
}

TEST_CASE("ecdsa blame: a broadcast sent differently to different signers") {
  auto shares = fresh_key(3, 4);
  // Party 3 shows party 1 another commitment than parties 2 and 4.
  auto run = sign(shares, {1, 2, 3, 4}, random_array<32>(), {}, [](InFlight& m) {
    if (m.round == kCommitRound && m.from == 3 && m.to == 1) m.payload.back() ^= 1;
  });
  CHECK(run.signatures.empty());
  // Party 1 sees party 3's own echo contradict what 3 sent it: proven.
  REQUIRE_FALSE(run.run.status.at(1).ok());
  CHECK(run.run.error(1).culprits == std::vector<PartyId>{3});
  // The others see 1 and 3 disagree about 3's broadcast; without signatures both are named.
  for (PartyId p : {2u, 4u}) {
    REQUIRE_FALSE(run.run.status.at(p).ok());
    const auto& culprits = run.run.error(p).culprits;
    CHECK(std::find(culprits.begin(), culprits.end(), 3u) != culprits.end());
  }
}

TEST_CASE("ecdsa blame: a signer asked to sign another message, key path or signer set") {
  auto shares = fresh_key(2, 3);
  const std::vector<PartyId> signers{1, 2, 3};
  const SessionId session = random_session();
  const Digest32 digest = random_array<32>();
  for (int variant = 0; variant < 2; ++variant) {
    std::vector<EcdsaSignProtocol> parties;
    for (EcdsaKeyShare* share : pick(shares, signers)) {
      EcdsaSignConfig config{session, signers, {}, digest};
      if (share->key.self == 2) {
        if (variant == 0) config.digest[0] ^= 1;
        if (variant == 1) config.path = {5};
      }
      parties.push_back(EcdsaSignProtocol::create(*share, config).value());
    }
    SignRun run;
    run.run = run_protocols(pointers(parties));
    for (auto& p : parties) CHECK_FALSE(p.take_output().ok());
    expect_blamed(run, 2);
    CHECK_THAT(message_of(run, 1), Catch::Contains("disagrees on the message"));
  }
}

TEST_CASE("ecdsa blame: messages replayed from another session") {
  auto shares = fresh_key(2, 3);
  const Digest32 digest = random_array<32>();
  auto recorded = sign(shares, {1, 3}, digest);
  REQUIRE(recorded.run.all_finished());
  for (std::size_t round : {kCommitRound, kRequestRound, kReplyRound, kShareRound}) {
    INFO("round " << round);
    Bytes old;
    for (const auto& m : recorded.run.transcript) {
      if (m.round == round && m.from == 3 && m.to == 1) old = m.payload;
    }
    REQUIRE_FALSE(old.empty());
    auto run = sign(shares, {1, 3}, digest, {}, [&](InFlight& m) {
      if (m.round == round && m.from == 3 && m.to == 1) m.payload = old;
    });
    REQUIRE_FALSE(run.run.status.at(1).ok());
    CHECK(run.run.error(1).culprits == std::vector<PartyId>{3});
    CHECK(run.signatures.count(1) == 0);
  }
}

TEST_CASE("ecdsa blame: a wrong session id in a direct message") {
  auto shares = fresh_key(2, 3);
  for (std::size_t round : {kRequestRound, kReplyRound}) {
    auto run = sign(shares, {1, 2, 3}, random_array<32>(), {}, [&](InFlight& m) {
      if (m.round == round && m.from == 1) m.payload[5] ^= 1;  // inside the session id
    });
    expect_blamed(run, 1);
  }
}

TEST_CASE("ecdsa blame: malformed messages name their sender") {
  auto shares = fresh_key(2, 3);
  for (std::size_t round : {kCommitRound, kRequestRound, kReplyRound, kShareRound}) {
    INFO("round " << round);
    auto run = sign(shares, {1, 2, 3}, random_array<32>(), {}, [&](InFlight& m) {
      if (m.round == round && m.from == 2) m.payload.push_back(0);  // a trailing byte
    });
    expect_blamed(run, 2);
  }
}

TEST_CASE("ecdsa blame: duplicate, unknown and too few signers; messages from outsiders") {
  auto shares = fresh_key(2, 3);
  auto create = [&](std::vector<PartyId> signers) {
    return EcdsaSignProtocol::create(shares[0], {random_session(), std::move(signers), {}, random_array<32>()});
  };
  auto duplicate = create({1, 1, 2});
  REQUIRE_FALSE(duplicate.ok());
  CHECK(duplicate.error().culprits == std::vector<PartyId>{1});
  auto unknown = create({1, 2, 7});
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().kind == ErrorKind::InvalidInput);
  CHECK(unknown.error().culprits == std::vector<PartyId>{7});
  CHECK_THAT(unknown.error().message, Catch::Contains("signers that do not hold the key"));
  CHECK_FALSE(create({1}).ok());
  CHECK_FALSE(create({2, 3}).ok());  // party 1 is not among them
  CHECK_FALSE(create({2, 1}).ok());  // not ascending

  // A message from a party outside the signer set, or a second kind of message, is refused.
  auto party = create({1, 2}).value();
  REQUIRE(party.start().ok());
  RoundMessages in;
  in.broadcast[2] = Bytes(97, 0);
  in.broadcast[3] = Bytes(97, 0);
  auto step = party.advance(0, in);
  REQUIRE_FALSE(step.ok());
  CHECK(step.error().culprits == std::vector<PartyId>{3});
}

TEST_CASE("ecdsa blame: a wrong signature share releases nothing and names the suspects") {
  auto shares = fresh_key(2, 3);
  auto run = sign(shares, {1, 2, 3}, random_array<32>(), {}, [](InFlight& m) {
    if (m.round != kShareRound || m.from != 2) return;
    const Digest32 sid = sid_of(m.payload);
    auto share = ei::ShareMessage::decode(m.payload, sid).value();
    share.w += Secp256k1Scalar::one();
    m.payload = share.encode(sid);
  });
  for (PartyId p : {1u, 3u}) {
    CHECK(run.signatures.count(p) == 0);
    REQUIRE_FALSE(run.run.status.at(p).ok());
    const auto& culprits = run.run.error(p).culprits;
    CHECK(std::find(culprits.begin(), culprits.end(), 2u) != culprits.end());
    CHECK(std::find(culprits.begin(), culprits.end(), p) == culprits.end());
    CHECK_THAT(run.run.error(p).message, Catch::Contains("cannot attribute"));
  }
}

TEST_CASE("ecdsa blame: a key share without the pair state for a signer is refused before anything is sent") {
  auto shares = fresh_key(2, 3);
  shares[0].pairs.erase(2);
  auto refused = EcdsaSignProtocol::create(shares[0], {random_session(), {1, 2}, {}, random_array<32>()});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind == ErrorKind::InvalidKeyShare);
  CHECK(refused.error().culprits == std::vector<PartyId>{2});
  CHECK_THAT(refused.error().message, Catch::Contains("no pair state for a signer"));
  CHECK(EcdsaSignProtocol::create(shares[0], {random_session(), {1, 3}, {}, random_array<32>()}).ok());
}

TEST_CASE("ecdsa blame: a multiplication request that does not decode") {
  auto shares = fresh_key(2, 3);
  auto run = sign(shares, {1, 2, 3}, random_array<32>(), {}, [](InFlight& m) {
    if (m.round != kRequestRound || m.from != 2 || m.to != 1) return;
    auto request = ei::RequestMessage::decode(m.payload, 3);
    REQUIRE(request.ok());
    Bytes mul(request->mul_request.begin(), request->mul_request.end());
    mul[0] ^= 0x70;  // the OT message type
    request->mul_request = mul;
    m.payload = request->encode();
  });
  REQUIRE_FALSE(run.run.status.at(1).ok());
  CHECK(run.run.error(1).culprits == std::vector<PartyId>{2});
  CHECK_THAT(message_of(run, 1), Catch::Contains("multiplication request: wrong message type"));
  CHECK(run.signatures.empty());
}

TEST_CASE("ecdsa blame: a multiplication response that does not decode") {
  auto shares = fresh_key(2, 3);
  auto kept = std::make_shared<Bytes>();
  auto run = sign(shares, {1, 2, 3}, random_array<32>(), {}, edit_replies(3, 3, [kept](ei::ReplyMessage& r) {
                    kept->assign(r.mul_response.begin(), r.mul_response.end());
                    (*kept)[0] ^= 0x70;  // the OT message type
                    r.mul_response = *kept;
                  }));
  expect_blamed(run, 3);
  CHECK_THAT(message_of(run, 1), Catch::Contains("multiplication response: wrong message type"));
}

TEST_CASE("ecdsa blame: without the engine's echo step the protocol's own echo names an equivocating signer") {
  auto shares = fresh_key(3, 4);
  const std::vector<PartyId> signers{1, 2, 3, 4};
  const EcdsaSignConfig config{random_session(), signers, {}, random_array<32>()};
  std::vector<EcdsaSignProtocol> parties;
  for (EcdsaKeyShare* share : pick(shares, signers)) parties.push_back(EcdsaSignProtocol::create(*share, config).value());
  SimulationOptions options;
  options.engine = false;
  // Party 3 shows party 1 another commitment than parties 2 and 4.
  options.tamper = [](InFlight& m) {
    if (m.round == kCommitRound && m.from == 3 && m.to == 1) m.payload.back() ^= 1;
  };
  auto run = simulate(pointers(parties), options);
  REQUIRE_FALSE(run.status.at(1).ok());
  INFO(run.error(1).describe());
  CHECK(run.error(1).culprits == std::vector<PartyId>{3});
  CHECK_THAT(run.error(1).message, Catch::Contains("sent different broadcasts to different parties"));
  CHECK_FALSE(parties[0].take_output().ok());
}

TEST_CASE("ecdsa blame: a signer whose own share is wrong blames every peer for the sum of the pk_j") {
  // Party 4 holds a wrong signing share: every peer's pk_j checks out against its verifying
  // share, so party 4 can name no single one and blames them all.
  auto shares = fresh_key(3, 4);
  shares[3].key.signing_share.expose_mut() += Secp256k1Scalar::random();
  const std::vector<PartyId> signers{1, 2, 4};
  const EcdsaSignConfig config{random_session(), signers, {0, 1}, random_array<32>()};
  std::vector<EcdsaSignProtocol> parties;
  for (EcdsaKeyShare* share : pick(shares, signers)) parties.push_back(EcdsaSignProtocol::create(*share, config).value());
  SimulationOptions options;
  options.send_aborts = false;  // each party's own verdict
  auto run = simulate(pointers(parties), options);
  REQUIRE_FALSE(run.status.at(4).ok());
  INFO(run.error(4).describe());
  CHECK(run.error(4).kind == ErrorKind::ProtocolAborted);
  CHECK(run.error(4).culprits == std::vector<PartyId>{1, 2});
  CHECK_THAT(run.error(4).message, Catch::Contains("public key shares do not sum to the public key"));
  for (auto& p : parties) CHECK_FALSE(p.take_output().ok());
}
