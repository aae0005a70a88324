// Signatures by any t (or more) holders verify with libsecp256k1, recover the key, and do so for
// BIP-32 children derived at signing time.
#include "helpers.hpp"

using namespace tsign;
using namespace tsign::ecdsa_test;

namespace {

std::vector<PartyId> random_subset(const std::vector<PartyId>& ids, std::size_t k) {
  std::vector<PartyId> pool = ids, out;
  while (out.size() < k) {
    const std::size_t i = random_below(pool.size());
    out.push_back(pool[i]);
    pool.erase(pool.begin() + static_cast<std::ptrdiff_t>(i));
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("ecdsa: signatures of random signer sets verify and recover, up to 5-of-9") {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> shapes = {{2, 2}, {2, 3}, {3, 5}, {5, 9}};
  // One more shape drawn at random each run (kept small: key generation dominates the time).
  const auto n = static_cast<std::uint32_t>(2 + random_below(4));
  shapes.emplace_back(static_cast<std::uint32_t>(2 + random_below(n - 1)), n);
  for (const auto& [t, n_parties] : shapes) {
    INFO("t = " << t << ", n = " << n_parties);
    auto shares = fresh_key(t, n_parties);
    for (int run = 0; run < 2; ++run) {
      const std::size_t k = t + random_below(n_parties - t + 1);
      const auto signers = random_subset(shares.front().key.parties, k);
      const Digest32 digest = random_array<32>();
      check_signatures(sign(shares, signers, digest), digest, shares.front().key.group_public_key);
    }
  }
}

TEST_CASE("ecdsa: every t-subset of a 3-of-4 key signs, and so do all four") {
  auto shares = fresh_key(3, 4);
  const Digest32 digest = random_array<32>();
  for (const std::vector<PartyId>& signers :
       {std::vector<PartyId>{1, 2, 3}, {1, 2, 4}, {1, 3, 4}, {2, 3, 4}, {1, 2, 3, 4}}) {
    check_signatures(sign(shares, signers, digest), digest, shares.front().key.group_public_key);
  }
}

TEST_CASE("ecdsa: signing for a BIP-32 child key given by path at signing time") {
  auto shares = fresh_key(2, 3);
  const auto& key = shares.front().key;
  const auto root = ExtendedPublicKey::root(key.group_public_key, key.chain_code);
  for (const std::vector<std::uint32_t>& path :
       {std::vector<std::uint32_t>{0}, {0, 7, 42}, {44, 60, 0, 0, 5}, {kHardenedIndex - 1}}) {
    // The child key as any watch-only wallet computes it from the xpub.
    ExtendedPublicKey child = root;
    for (std::uint32_t index : path) child = child.child(index).value();
    const Digest32 digest = random_array<32>();
    auto run = sign(shares, {2, 3}, digest, path);
    check_signatures(run, digest, child.key);
    CHECK_FALSE(verify_ecdsa(run.signatures.begin()->second, digest, key.group_public_key).ok());
  }
  // Hardened steps need the whole private key: refused before anything is sent.
  const EcdsaSignConfig hardened{random_session(), {1, 2}, {kHardenedIndex}, random_array<32>()};
  CHECK_FALSE(EcdsaSignProtocol::create(shares[0], hardened).ok());
}

TEST_CASE("ecdsa: signatures are low-s with a recovery id, in compact, recoverable and DER forms") {
  auto shares = fresh_key(2, 3);
  for (int i = 0; i < 8; ++i) {
    const Digest32 digest = random_array<32>();
    auto run = sign(shares, {1, 2}, digest);
    check_signatures(run, digest, shares.front().key.group_public_key);
    const EcdsaSignature& sig = run.signatures.begin()->second;
    auto again = EcdsaSignature::from_compact(sig.compact(), sig.recovery_id);
    REQUIRE(again.ok());  // refuses a high s
    CHECK(sig.recoverable()[64] == sig.recovery_id);
    const Bytes der = sig.der();
    secp256k1_ecdsa_signature parsed;
    REQUIRE(secp256k1_ecdsa_signature_parse_der(secp256k1_ctx(), &parsed, der.data(), der.size()) == 1);
  }
}
