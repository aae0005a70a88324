// Strict decoding of every message type, key public data, and decommissioning.
#include "helpers.hpp"
#include "tsign/dkg/decommission.hpp"
#include "tsign/dkg/refresh.hpp"
#include "tsign/dkg/repair.hpp"
#include "tsign/dkg/reshare.hpp"

using namespace tsign;
using namespace tsign::test;

namespace {

using G = Secp256k1;
using Point = Secp256k1Point;
using Scalar = Secp256k1Scalar;

// Every proper prefix and the message with a trailing byte fail; the message itself decodes.
template <class Decode>
void check_strict(const Bytes& encoded, Decode decode) {
  REQUIRE(decode(encoded).ok());
  for (std::size_t cut = 0; cut < encoded.size(); ++cut) {
    INFO("prefix of " << cut << " bytes");
    CHECK_FALSE(decode(ByteSpan(encoded).first(cut)).ok());
  }
  Bytes longer = encoded;
  longer.push_back(0);
  CHECK_FALSE(decode(longer).ok());
  Bytes other_type = encoded;
  other_type[0] ^= 0x40;
  CHECK_FALSE(decode(other_type).ok());
  Bytes other_session = encoded;
  other_session[5] ^= 1;
  auto e = decode(other_session);
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().message.find("another session") != std::string::npos);
}

}  // namespace

TEST_CASE("message decoders are strict") {
  const SessionId s = session_of(5);
  const std::vector<PartyId> ids = {1, 2, 3};
  auto poly = Polynomial<G>::random(1, Scalar::random());
  auto commitment = FeldmanCommitment<G>::of(poly);
  EchoEntries echo;
  for (PartyId p : ids) echo[p] = sha256(Bytes{std::uint8_t(p)});

  DkgCommitMessage<G> commit{commitment, prove_knowledge<FrostSecp256k1>(1, poly.constant(), s), {}};
  check_strict(commit.encode(s), [&](ByteSpan b) { return DkgCommitMessage<G>::decode(b, s, 2); });
  CHECK_FALSE(DkgCommitMessage<G>::decode(commit.encode(s), s, 3).ok());  // wrong threshold

  DkgOpenMessage open{echo, {}};
  check_strict(open.encode(s), [&](ByteSpan b) { return DkgOpenMessage::decode(b, s, ids); });
  CHECK_FALSE(DkgOpenMessage::decode(open.encode(s), s, std::vector<PartyId>{1, 2, 4}).ok());  // wrong parties

  ScalarMessage<G> share{DkgMessageType::DkgShare, Scalar::random()};
  check_strict(share.encode(s), [&](ByteSpan b) { return ScalarMessage<G>::decode(b, DkgMessageType::DkgShare, s); });

  ConfirmMessage<G> confirm{DkgMessageType::DkgConfirm, echo, Point::generator()};
  check_strict(confirm.encode(s), [&](ByteSpan b) {
    return ConfirmMessage<G>::decode(b, DkgMessageType::DkgConfirm, s, ids, true);
  });
  CHECK_FALSE(ConfirmMessage<G>::decode(confirm.encode(s), DkgMessageType::DkgConfirm, s, ids, false).ok());
  ConfirmMessage<G> identity{DkgMessageType::DkgConfirm, echo, Point::identity()};
  CHECK_FALSE(ConfirmMessage<G>::decode(identity.encode(s), DkgMessageType::DkgConfirm, s, ids, true).ok());

  AckMessage ack{DkgMessageType::RefreshAck, echo, {}};
  check_strict(ack.encode(s), [&](ByteSpan b) { return AckMessage::decode(b, DkgMessageType::RefreshAck, s, ids); });

  auto zero = Polynomial<G>::random(1, Scalar::zero());
  RefreshDealMessage<G> refresh{{}, FeldmanCommitment<G>::of(zero)};
  check_strict(refresh.encode(s), [&](ByteSpan b) { return RefreshDealMessage<G>::decode(b, s, 2); });
  RefreshDealMessage<G> moving{{}, commitment};
  auto rejected = RefreshDealMessage<G>::decode(moving.encode(s), s, 2);
  REQUIRE_FALSE(rejected.ok());
  CHECK(rejected.error().message.find("non-zero constant") != std::string::npos);
  // An empty commitment commits to nothing.
  CHECK_FALSE(RefreshDealMessage<G>::decode(refresh.encode(s), s, 0).ok());
  CHECK_FALSE(DkgCommitMessage<G>::decode(commit.encode(s), s, 0).ok());
  // Outside a refresh, a commitment's constant term may not be the identity.
  DkgCommitMessage<G> zero_commit{FeldmanCommitment<G>::of(zero), commit.proof, {}};
  CHECK_FALSE(DkgCommitMessage<G>::decode(zero_commit.encode(s), s, 2).ok());

  auto shares = generate_key<FrostSecp256k1>(2, ids);
  ReshareDealMessage<G> reshare{KeyPublicData<G>::of(shares[0]), commitment};
  check_strict(reshare.encode(s), [&](ByteSpan b) { return ReshareDealMessage<G>::decode(b, s, 2); });

  RepairDealMessage<G> repair{KeyPublicData<G>::of(shares[0]), {Point::generator(), Point::generator()}};
  check_strict(repair.encode(s), [&](ByteSpan b) { return RepairDealMessage<G>::decode(b, s, 2); });
  CHECK_FALSE(RepairDealMessage<G>::decode(repair.encode(s), s, 3).ok());
}

TEST_CASE("key public data decodes strictly and validates") {
  auto shares = generate_key<FrostEd25519>(2, {1, 2, 3});
  const auto data = KeyPublicData<Ed25519>::of(shares[1]);
  Bytes enc = data.encode();
  {
    Reader r(enc, "public data");
    auto back = KeyPublicData<Ed25519>::decode(r);
    REQUIRE(back.ok());
    CHECK(back->digest() == data.digest());
  }
  // The secp256k1 decoder refuses an Ed25519 key's data.
  {
    Reader r(enc, "public data");
    CHECK_FALSE(KeyPublicData<Secp256k1>::decode(r).ok());
  }
  // Shares that do not interpolate to the group key are refused.
  auto bad = data;
  bad.verifying_shares.at(2) = bad.verifying_shares.at(3);
  Bytes bad_enc = bad.encode();
  Reader r(bad_enc, "public data");
  CHECK_FALSE(KeyPublicData<Ed25519>::decode(r).ok());
}

TEST_CASE("decommissioning wipes a share and leaves it unusable") {
  auto shares = generate_key<FrostSecp256k1>(2, {1, 2, 3});
  auto& ks = shares[0];
  REQUIRE(ks.validate().ok());
  CHECK_FALSE(is_decommissioned(ks));
  decommission(ks);
  CHECK(is_decommissioned(ks));
  CHECK_FALSE(ks.signing_share.has_value());
  CHECK(ks.verifying_shares.empty());
  CHECK(ks.parties.empty());
  CHECK(ks.threshold == 0);
  CHECK(ks.group_public_key.is_identity());
  CHECK(ks.chain_code == ByteArray<32>{});
  const auto v = ks.validate();
  REQUIRE_FALSE(v.ok());
  CHECK(v.error().kind == ErrorKind::InvalidKeyShare);
  CHECK_FALSE(RefreshProtocol<Secp256k1>::create(ks, session_of(1)).ok());
  CHECK_FALSE(ReshareProtocol<Secp256k1>::create(ks, {session_of(1), {1, 2}, {1, 2, 3}, 2}).ok());
  CHECK_FALSE(RepairProtocol<Secp256k1>::help(ks, {session_of(1), {1, 2}, 3}).ok());
  decommission(ks);  // idempotent
  CHECK(is_decommissioned(ks));
}

TEST_CASE("message decoders refuse each broken field with its own reason") {
  const SessionId s = session_of(6);
  const std::vector<PartyId> ids = {1, 2, 3};
  EchoEntries echo;
  for (PartyId p : ids) echo[p] = sha256(Bytes{std::uint8_t(p)});
  // Offsets: type (1 byte), session id (32), then the body.
  constexpr std::size_t kBody = 33;
  constexpr std::size_t kEchoSize = 4 + 3 * (4 + 32);
  auto refused = [](const auto& result, const std::string& reason) {
    REQUIRE_FALSE(result.ok());
    INFO(result.error().describe());
    CHECK(result.error().kind == ErrorKind::InvalidInput);
    CHECK(result.error().message.find(reason) != std::string::npos);
  };

  SECTION("an echo count other than the number of broadcasters") {
    const Bytes valid = DkgOpenMessage{echo, {}}.encode(s);
    REQUIRE(DkgOpenMessage::decode(valid, s, ids).ok());
    Bytes fewer = valid;
    REQUIRE(fewer[kBody + 3] == 3);
    fewer[kBody + 3] = 2;  // the entries themselves stay
    refused(DkgOpenMessage::decode(fewer, s, ids), "echo lists 2 parties, expected 3");
  }

  SECTION("a verifying-share flag other than the one the round expects") {
    const Bytes with_share = ConfirmMessage<G>{DkgMessageType::DkgConfirm, echo, Point::generator()}.encode(s);
    Bytes two = with_share;
    REQUIRE(two[kBody + kEchoSize] == 1);
    two[kBody + kEchoSize] = 2;  // the point still follows
    refused(ConfirmMessage<G>::decode(two, DkgMessageType::DkgConfirm, s, ids, true), "verifying share missing");

    const Bytes without = ConfirmMessage<G>{DkgMessageType::RepairEcho, echo, std::nullopt}.encode(s);
    REQUIRE(ConfirmMessage<G>::decode(without, DkgMessageType::RepairEcho, s, ids, false).ok());
    Bytes flagged = without;
    REQUIRE(flagged.back() == 0);
    flagged.back() = 1;  // no point follows
    refused(ConfirmMessage<G>::decode(flagged, DkgMessageType::RepairEcho, s, ids, false), "unexpected verifying share");
  }

  SECTION("an empty commitment where the threshold is zero") {
    auto poly = Polynomial<G>::random(1, Scalar::random());
    DkgCommitMessage<G> empty{FeldmanCommitment<G>(std::vector<Point>{}),
                              prove_knowledge<FrostSecp256k1>(1, poly.constant(), s), {}};
    refused(DkgCommitMessage<G>::decode(empty.encode(s), s, 0), "a commitment needs at least one coefficient");
  }

  SECTION("a proof of knowledge with a non-canonical commitment or response") {
    auto poly = Polynomial<G>::random(1, Scalar::random());
    DkgCommitMessage<G> commit{FeldmanCommitment<G>::of(poly), prove_knowledge<FrostSecp256k1>(1, poly.constant(), s), {}};
    const Bytes valid = commit.encode(s);
    REQUIRE(DkgCommitMessage<G>::decode(valid, s, 2).ok());
    const std::size_t proof_at = kBody + 4 + 2 * G::kPointSize;
    Bytes bad_point = valid;
    std::fill_n(bad_point.begin() + static_cast<std::ptrdiff_t>(proof_at), G::kPointSize, std::uint8_t{0xff});
    refused(DkgCommitMessage<G>::decode(bad_point, s, 2), "proof commitment: ");
    Bytes bad_scalar = valid;
    std::fill_n(bad_scalar.begin() + static_cast<std::ptrdiff_t>(proof_at + G::kPointSize), G::kScalarSize,
                std::uint8_t{0xff});
    refused(DkgCommitMessage<G>::decode(bad_scalar, s, 2), "proof response: ");
  }
}
