// Trusted-dealer key generation and splitting of existing single-signer keys.
#include <catch2/catch.hpp>

#include "frost_helpers.hpp"
#include "tsign/sss/shamir.hpp"

using namespace tsign;
using namespace tsign::test;

TEMPLATE_TEST_CASE("trusted dealer gives consistent key shares", "[keygen]", Secp256k1, Ed25519) {
  using G = TestType;
  const std::vector<PartyId> ids{7, 2, 100, 5};
  const ByteArray<32> chain = random_array<32>();
  auto dealt = trusted_dealer_keygen<G>(3, ids, chain);
  REQUIRE(dealt.ok());
  const auto& shares = dealt->shares;
  REQUIRE(shares.size() == 4);
  const auto group_key = shares.front().group_public_key;
  CHECK(dealt->commitment.constant() == group_key);
  for (std::size_t i = 0; i < shares.size(); ++i) {
    const auto& ks = shares[i];
    CHECK(ks.validate().ok());
    CHECK(ks.parties == std::vector<PartyId>{2, 5, 7, 100});
    CHECK(ks.self == ks.parties[i]);
    CHECK(ks.threshold == 3);
    CHECK(ks.epoch == 0);
    CHECK(ks.chain_code == chain);
    CHECK(ks.key_id == derive_key_id<G>(group_key));
    CHECK(ks.group_public_key == group_key);
    // RFC 9591 vss_verify: each share matches the dealer's commitment.
    CHECK(G::Point::base_mul(ks.signing_share.expose()) == dealt->commitment.evaluate(ks.self));
  }
  // Any three shares give back the key; the key id and chain code differ between keys.
  std::vector<Share<G>> subset;
  for (std::size_t i = 1; i < 4; ++i) subset.push_back({shares[i].self, shares[i].signing_share.expose()});
  auto secret = shamir_reconstruct<G>(subset, 3);
  REQUIRE(secret.ok());
  CHECK(G::Point::base_mul(*secret) == group_key);
  auto other = trusted_dealer_keygen<G>(3, ids);
  REQUIRE(other.ok());
  CHECK(other->shares.front().key_id != shares.front().key_id);
  CHECK(other->shares.front().chain_code != chain);
}

TEMPLATE_TEST_CASE("trusted dealer refuses bad parameters", "[keygen]", Secp256k1, Ed25519) {
  using G = TestType;
  const std::vector<PartyId> ids{1, 2, 3};
  CHECK(trusted_dealer_keygen<G>(0, ids).error().kind == ErrorKind::InvalidInput);
  CHECK(trusted_dealer_keygen<G>(4, ids).error().kind == ErrorKind::InvalidInput);
  const std::vector<PartyId> dup{1, 2, 2};
  auto e = trusted_dealer_keygen<G>(2, dup);
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().culprits == std::vector<PartyId>{2});
  const std::vector<PartyId> zero{0, 1, 2};
  CHECK_FALSE(trusted_dealer_keygen<G>(2, zero).ok());
  CHECK_FALSE(split_secret_key<G>(Secret<typename G::Scalar>(G::Scalar::zero()), 2, ids).ok());
  Secret<typename G::Scalar> none;
  none.reset();
  auto missing = split_secret_key<G>(none, 2, ids);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind == ErrorKind::InvalidInput);
  CHECK_THAT(missing.error().message, Catch::Contains("no key to split"));
}

TEST_CASE("a secp256k1 wallet key is split and still signs for its BIP-340 key", "[keygen]") {
  const secp256k1_context* ctx = secp256k1_ctx();
  ByteArray<32> seckey;
  secp256k1_keypair keypair;
  do {
    seckey = random_array<32>();
  } while (secp256k1_keypair_create(ctx, &keypair, seckey.data()) != 1);
  secp256k1_xonly_pubkey wallet_key;
  REQUIRE(secp256k1_keypair_xonly_pub(ctx, &wallet_key, nullptr, &keypair) == 1);

  auto secret = Secp256k1Scalar::from_bytes(seckey);
  REQUIRE(secret.ok());
  const std::vector<PartyId> ids{1, 2, 3};
  auto dealt = split_secret_key<Secp256k1>(Secret<Secp256k1Scalar>(*secret), 2, ids);
  REQUIRE(dealt.ok());
  const Bytes message = random_message();
  const std::vector<PartyId> signers{1, 3};
  auto sig = sign_with<FrostSecp256k1Tr>(dealt->shares, signers, message);
  REQUIRE(sig.ok());
  const auto bytes = sig->to_bytes();
  CHECK(secp256k1_schnorrsig_verify(ctx, bytes.data(), message.data(), message.size(), &wallet_key) == 1);

  // The same shares sign plain FROST(secp256k1) for the wallet's public key.
  secp256k1_pubkey pk;
  REQUIRE(secp256k1_ec_pubkey_create(ctx, &pk, seckey.data()) == 1);
  auto plain = sign_with<FrostSecp256k1>(dealt->shares, signers, message);
  REQUIRE(plain.ok());
  CHECK(verify_signature_rfc<FrostSecp256k1>(message, *plain, Secp256k1Point::from_pubkey(pk)));
}

TEST_CASE("an Ed25519 wallet seed is split and still signs for its RFC 8032 key", "[keygen]") {
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  const ByteArray<32> seed = random_array<32>();
  REQUIRE(crypto_sign_seed_keypair(pk, sk, seed.data()) == 0);
  auto secret = ed25519_secret_from_seed(seed);
  REQUIRE(secret.ok());
  const std::vector<PartyId> ids{10, 20, 30, 40, 50};
  auto dealt = split_secret_key<Ed25519>(*secret, 3, ids);
  REQUIRE(dealt.ok());
  CHECK(to_hex(dealt->shares.front().group_public_key.to_bytes()) == to_hex(ByteSpan(pk, sizeof pk)));
  const Bytes message = random_message();
  const std::vector<PartyId> signers{20, 40, 50};
  auto sig = sign_with<FrostEd25519>(dealt->shares, signers, message);
  REQUIRE(sig.ok());
  const auto bytes = sig->to_bytes();
  CHECK(crypto_sign_verify_detached(bytes.data(), message.data(), message.size(), pk) == 0);
  CHECK_FALSE(ed25519_secret_from_seed(ByteSpan(seed).first(31)).ok());
}

TEMPLATE_TEST_CASE("key shares convert to RFC-style packages and back", "[keygen]", FrostSecp256k1, FrostSecp256k1Tr,
                   FrostEd25519) {
  using C = TestType;
  const auto ids = range_ids(5);
  auto shares = deal<C>(3, ids);
  const auto pub = PublicKeyPackage<C>::from_key_share(shares[2]);
  const auto key = KeyPackage<C>::from_key_share(shares[2]);
  CHECK(key.identifier == 3);
  CHECK(key.min_signers == 3);
  CHECK(key.verifying_share == shares[2].verifying_shares.at(3));
  auto back = key_share_from_packages(key, pub, shares[2].chain_code);
  REQUIRE(back.ok());
  CHECK(back->self == 3);
  CHECK(back->parties == shares[2].parties);
  CHECK(back->key_id == shares[2].key_id);
  CHECK(back->signing_share.expose() == shares[2].signing_share.expose());
  // Packages of another key do not combine.
  auto other = deal<C>(3, ids);
  auto refuses = [&](const KeyPackage<C>& k, const PublicKeyPackage<C>& p, const std::string& why) {
    auto r = key_share_from_packages(k, p, shares[2].chain_code);
    REQUIRE_FALSE(r.ok());
    INFO(r.error().describe());
    CHECK(r.error().kind == ErrorKind::InvalidInput);
    CHECK_THAT(r.error().message, Catch::Contains(why));
  };
  refuses(key, PublicKeyPackage<C>::from_key_share(other[0]), "for different keys");
  // Nor do packages that disagree on the threshold, or on this party's verifying share.
  auto threshold = KeyPackage<C>::from_key_share(shares[2]);
  threshold.min_signers = 4;
  refuses(threshold, pub, "disagree on the threshold");
  auto renamed = KeyPackage<C>::from_key_share(shares[2]);
  renamed.identifier = 4;
  refuses(renamed, pub, "does not hold this party's verifying share");
  auto outsider = KeyPackage<C>::from_key_share(shares[2]);
  outsider.identifier = 9;
  refuses(outsider, pub, "does not hold this party's verifying share");
}
