#include <catch2/catch.hpp>

#include "tsign/keys/key_id.hpp"
#include "tsign/keys/key_share.hpp"
#include "tsign/sss/shamir.hpp"

using namespace tsign;

template <class G>
static std::vector<KeyShare<G>> dealt_key(std::uint32_t t, std::vector<PartyId> ids) {
  auto secret = G::Scalar::random();
  auto dealing = shamir_split<G>(secret, t, ids).value();
  std::vector<KeyShare<G>> out;
  for (const auto& s : dealing.shares) {
    KeyShare<G> ks;
    ks.epoch = 3;
    ks.self = s.id;
    ks.threshold = t;
    ks.parties = ids;
    ks.signing_share = Secret<typename G::Scalar>(s.value);
    for (PartyId p : ids) ks.verifying_shares[p] = dealing.commitment.evaluate(p);
    ks.group_public_key = G::Point::base_mul(secret);
    ks.key_id = derive_key_id<G>(ks.group_public_key);
    out.push_back(std::move(ks));
  }
  return out;
}

TEMPLATE_TEST_CASE("key shares validate, round trip, and reject tampering", "", Secp256k1, Ed25519) {
  auto shares = dealt_key<TestType>(2, {1, 4, 900});
  for (const auto& ks : shares) {
    REQUIRE(ks.validate().ok());
    SecretBytes enc = ks.encode();
    auto back = KeyShare<TestType>::decode(enc.expose());
    REQUIRE(back.ok());
    CHECK(back->self == ks.self);
    CHECK(back->signing_share.expose() == ks.signing_share.expose());
    CHECK(back->group_public_key == ks.group_public_key);
    CHECK(back->encode().expose().size() == enc.size());
  }
  SecretBytes enc = shares[0].encode();
  Bytes bytes(enc.expose().begin(), enc.expose().end());
  // Every truncation fails, and so does a trailing byte.
  for (std::size_t cut = 0; cut < bytes.size(); cut += 7) {
    CHECK_FALSE(KeyShare<TestType>::decode(ByteSpan(bytes).first(cut)).ok());
  }
  Bytes longer = bytes;
  longer.push_back(0);
  CHECK_FALSE(KeyShare<TestType>::decode(longer).ok());
  // A flipped bit in the secret share breaks its match with the verifying share.
  Bytes flipped = bytes;
  flipped[flipped.size() - 5] ^= 1;
  auto bad = KeyShare<TestType>::decode(flipped);
  REQUIRE_FALSE(bad.ok());
  // A share of the wrong threshold fails interpolation.
  auto ks = shares[0].clone();
  ks.threshold = 1;
  CHECK_FALSE(ks.validate().ok());
}

TEST_CASE("a key share of one group does not decode as the other") {
  auto shares = dealt_key<Secp256k1>(2, {1, 2, 3});
  SecretBytes enc = shares[0].encode();
  auto wrong = KeyShare<Ed25519>::decode(enc.expose());
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().message.find("group") != std::string::npos);
}

TEMPLATE_TEST_CASE("a stored key share filed under another key's id is refused", "", Secp256k1, Ed25519) {
  auto shares = dealt_key<TestType>(2, {1, 2, 3});
  KeyShare<TestType> relabelled = shares[0].clone();
  relabelled.key_id[0] ^= 1;
  REQUIRE(relabelled.validate().ok());  // consistent in itself: only the id is wrong
  auto decoded = KeyShare<TestType>::decode(relabelled.encode().expose());
  REQUIRE_FALSE(decoded.ok());
  CHECK(decoded.error().kind == ErrorKind::InvalidKeyShare);
  CHECK(decoded.error().message == "key id is not derived from the group key");
}
