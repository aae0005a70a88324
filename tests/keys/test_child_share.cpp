#include <catch2/catch.hpp>

#include "tsign/frost/keygen.hpp"
#include "tsign/keys/child_share.hpp"
#include "tsign/sss/lagrange.hpp"

using namespace tsign;

TEST_CASE("child shares: any t of them interpolate to the BIP-32 child key") {
  const std::vector<PartyId> parties = {1, 2, 3};
  auto dealt = frost::trusted_dealer_keygen<Secp256k1>(2, parties).value();
  const std::vector<std::uint32_t> path = {0, 7, 1u << 30};
  const auto root = ExtendedPublicKey::root(dealt.shares[0].group_public_key, dealt.shares[0].chain_code);
  const auto expected = derive_path(root, path).value().xpub;

  std::vector<KeyShare<Secp256k1>> children;
  for (const auto& share : dealt.shares) {
    auto child = derive_child_share(share, path);
    REQUIRE(child.ok());
    CHECK(child->validate().ok());
    CHECK(child->group_public_key == expected.key);
    CHECK(child->chain_code == expected.chain_code);
    CHECK(child->key_id == share.key_id);
    children.push_back(std::move(child).value());
  }
  // Parties 1 and 3 reconstruct the child's secret: its public key is the child key.
  const std::vector<PartyId> pair = {1, 3};
  const auto lambdas = lagrange_coefficients<Secp256k1>(pair).value();
  const Secp256k1Scalar secret = children[0].signing_share.expose() * lambdas[0] + children[2].signing_share.expose() * lambdas[1];
  CHECK(Secp256k1Point::base_mul(secret) == expected.key);

  // The empty path gives the share back; a hardened step is refused.
  CHECK(derive_child_share(dealt.shares[1], {})->group_public_key == dealt.shares[1].group_public_key);
  const std::vector<std::uint32_t> hardened = {kHardenedIndex};
  CHECK_FALSE(derive_child_share(dealt.shares[1], hardened).ok());
}
