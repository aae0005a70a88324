// Property tests: random (t, n) sign and verify; every t-subset signs; t - 1 signers cannot.
#include <catch2/catch.hpp>

#include "frost_helpers.hpp"

using namespace tsign;
using namespace tsign::test;

namespace {

template <class C>
void sign_and_verify(std::uint32_t t, std::uint32_t n, std::size_t signer_count) {
  INFO("t = " << t << ", n = " << n << ", signers = " << signer_count);
  // Identifiers need not be 1..n: use a random offset.
  const auto ids = range_ids(n, static_cast<PartyId>(1 + random_below(1000)));
  const auto shares = deal<C>(t, ids);
  std::vector<PartyId> pool = ids;
  std::vector<PartyId> signers;
  for (std::size_t i = 0; i < signer_count; ++i) {
    const auto k = static_cast<std::size_t>(random_below(pool.size()));
    signers.push_back(pool[k]);
    pool.erase(pool.begin() + static_cast<std::ptrdiff_t>(k));
  }
  const Bytes message = random_message();
  TaprootTweak taproot;
  if constexpr (C::kTaproot) {
    const auto pick = random_below(3);
    taproot = pick == 0 ? TaprootTweak::none() : pick == 1 ? TaprootTweak::no_scripts()
                                                           : TaprootTweak::with_merkle_root(random_array<32>());
  }
  auto sig = sign_with<C>(shares, signers, message, taproot);
  REQUIRE(sig.ok());
  CHECK(reference_verify<C>(message, *sig, shares.front().group_public_key, taproot));
  if constexpr (!C::kTaproot) CHECK(verify_signature_rfc<C>(message, *sig, shares.front().group_public_key));
  // A different message does not verify.
  Bytes other = message;
  other.push_back(1);
  CHECK_FALSE(reference_verify<C>(other, *sig, shares.front().group_public_key, taproot));
}

}  // namespace

TEMPLATE_TEST_CASE("random (t, n) sign and verify", "[properties]", FrostSecp256k1, FrostSecp256k1Tr, FrostEd25519) {
  using C = TestType;
  for (int round = 0; round < 6; ++round) {
    const auto n = static_cast<std::uint32_t>(1 + random_below(9));
    const auto t = static_cast<std::uint32_t>(1 + random_below(n));
    const auto extra = random_below(n - t + 1);
    sign_and_verify<C>(t, n, t + extra);
  }
  sign_and_verify<C>(67, 100, 67);  // one large case per suite
}

TEMPLATE_TEST_CASE("every t-subset signs, and t - 1 signers are refused", "[properties]", FrostSecp256k1,
                   FrostSecp256k1Tr, FrostEd25519) {
  using C = TestType;
  const std::uint32_t t = 3, n = 5;
  const auto ids = range_ids(n);
  const auto shares = deal<C>(t, ids);
  const auto pub = PublicKeyPackage<C>::from_key_share(shares.front());
  const Bytes message = random_message();
  std::size_t subsets = 0;
  for (std::uint32_t mask = 0; mask < (1u << n); ++mask) {
    std::vector<PartyId> signers;
    for (std::uint32_t i = 0; i < n; ++i) {
      if (mask & (1u << i)) signers.push_back(ids[i]);
    }
    if (signers.size() == t) {
      auto sig = sign_with<C>(shares, signers, message);
      REQUIRE(sig.ok());
      CHECK(reference_verify<C>(message, *sig, pub.verifying_key));
      ++subsets;
    } else if (signers.size() == t - 1) {
      // Round 2 refuses a package with too few signers, and so does the aggregator.
      auto r1 = run_round1<C>(shares, signers, message);
      auto z = sign(r1.package, std::move(r1.nonces[0]), share_of<C>(shares, signers[0]));
      REQUIRE_FALSE(z.ok());
      CHECK(z.error().kind == ErrorKind::InvalidInput);
      CHECK_FALSE(SigningContext<C>::create(r1.package, pub).ok());
    }
  }
  CHECK(subsets == 10);
}
