// BIP-340 even-y handling and BIP-341 tweaking, checked against libsecp256k1's own x-only and
// tweak functions and its BIP-340 verifier.
#include <catch2/catch.hpp>

#include "frost_helpers.hpp"

using namespace tsign;
using namespace tsign::test;

namespace {
std::vector<TaprootTweak> all_modes() {
  return {TaprootTweak::none(), TaprootTweak::no_scripts(), TaprootTweak::with_merkle_root(random_array<32>())};
}
}  // namespace

TEST_CASE("Taproot output keys match libsecp256k1", "[taproot]") {
  for (int i = 0; i < 16; ++i) {
    const auto internal = Secp256k1Point::base_mul(Secp256k1Scalar::random());
    for (const auto& tweak : all_modes()) {
      auto q = taproot_output_key(internal, tweak);
      REQUIRE(q.ok());
      const secp256k1_xonly_pubkey expected = libsecp_output_key(internal, tweak);
      unsigned char x[32];
      secp256k1_xonly_pubkey_serialize(secp256k1_ctx(), x, &expected);
      CHECK(to_hex(q->x_only()) == to_hex(ByteSpan(x, 32)));
    }
  }
  CHECK(taproot_tweak_scalar(Secp256k1Point::base_mul(Secp256k1Scalar::one()), TaprootTweak::none())->is_zero());
  CHECK_FALSE(taproot_output_key(Secp256k1Point::identity(), TaprootTweak::no_scripts()).ok());
}

TEST_CASE("TR signatures verify with libsecp256k1 for every parity of key, output key and R", "[taproot]") {
  using C = FrostSecp256k1Tr;
  const std::vector<PartyId> ids{1, 2, 3};
  const std::vector<PartyId> signers{1, 3};
  // Seen combinations of (internal key odd, output key odd, R odd), per tweak mode.
  std::set<std::tuple<int, bool, bool, bool>> seen;
  for (int attempt = 0; attempt < 200 && seen.size() < 3 * 8 - 4; ++attempt) {
    const auto shares = deal<C>(2, ids);
    const auto& P = shares.front().group_public_key;
    const auto modes = all_modes();
    for (int m = 0; m < 3; ++m) {
      const auto& tweak = modes[static_cast<std::size_t>(m)];
      const Bytes message = random_message();
      auto r1 = run_round1<C>(shares, signers, message, tweak);
      auto ctx = SigningContext<C>::create(r1.package, shares.front());
      REQUIRE(ctx.ok());
      const auto q = taproot_output_key(P, tweak);
      REQUIRE(q.ok());
      CHECK(ctx->verifying_key().x_only() == q->x_only());
      CHECK(ctx->verifying_key().has_even_y());
      seen.emplace(m, !P.has_even_y(), !q->has_even_y(), !ctx->group_commitment().has_even_y());

      std::vector<SignatureShare<C>> z;
      for (std::size_t i = 0; i < signers.size(); ++i) {
        auto share = sign(*ctx, std::move(r1.nonces[i]), share_of<C>(shares, signers[i]));
        REQUIRE(share.ok());
        const auto pub = PublicKeyPackage<C>::from_key_share(shares.front());
        CHECK(verify_signature_share(*ctx, *share, pub).ok());
        z.push_back(*share);
      }
      auto sig = aggregate(*ctx, z, PublicKeyPackage<C>::from_key_share(shares.front()));
      REQUIRE(sig.ok());
      CHECK(sig->R.has_even_y());
      CHECK(reference_verify<C>(message, *sig, P, tweak));
      CHECK(verify_signature<C>(message, *sig, *q));
      CHECK(verify_signature_rfc<C>(message, *sig, *q));
      // The untweaked key does not verify a tweaked signature.
      if (tweak.mode != TaprootTweak::Mode::None) CHECK_FALSE(reference_verify<C>(message, *sig, P));
    }
  }
  // For Mode::None the output key is the internal key with even y, so its parity never differs
  // from "even"; every other combination must have come up.
  CHECK(seen.size() == 3 * 8 - 4);
}
