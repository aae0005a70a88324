#include "tsign/frost/sign.hpp"

#include "core/declassify.hpp"
#include "internals.hpp"

namespace tsign::frost {

namespace {

Error nonces_already_used() {
  return make_error(ErrorKind::InvalidInput, "FROST signing nonces were already used (or moved from)");
}

// Round 2 proper; the caller owns (and wipes) the nonces.
template <FrostCiphersuite C>
Result<SignatureShare<C>> sign_with(const SigningContext<C>& ctx, const SigningNonces<C>& nonces,
                                    const KeyShare<typename C::Group>& key) {
  using G = typename C::Group;
  using Scalar = typename C::Scalar;
  using I = detail::Internals<C>;
  if (!nonces.usable()) return nonces_already_used();
  if (!key.signing_share.has_value()) return make_error(ErrorKind::InvalidKeyShare, "key share holds no signing share");
  if (!(key.group_public_key == ctx.group_key())) {
    return make_error(ErrorKind::InvalidInput, "the signing context was built for another key");
  }
  const std::size_t index = ctx.index_of(key.self);
  if (index == ctx.signers().size()) {
    return make_error(ErrorKind::InvalidInput,
                      "FROST signing package has no commitment from this party (" + std::to_string(key.self) + ")");
  }
  if (!(ctx.commitments(index) == nonces.commitments())) {
    return make_error(ErrorKind::InvalidInput, "FROST signing package carries a commitment for this party (" +
                                                   std::to_string(key.self) + ") other than the one made with these nonces");
  }
  TSIGN_TRY(Scalar lambda, lagrange_coefficient<G>(key.self, ctx.signers()));

  // z_i = ±(d + e·ρ_i) + λ_i·c·(±s_i + offset); the signs and the offset are public (BIP-340
  // parities and the Taproot tweak), and are the identity for the other suites.
  const Scalar nonce_part =
      (I::hiding(nonces) + I::binding(nonces) * ctx.binding_factor(index)) * detail::sign_factor<Scalar>(I::negate_nonces(ctx));
  const Scalar key_part =
      key.signing_share.expose() * detail::sign_factor<Scalar>(I::negate_key(ctx)) + I::key_offset(ctx);
  SignatureShare<C> share{key.self, nonce_part + lambda * ctx.challenge() * key_part};
  tsign::detail::declassify(&share.share, sizeof share.share);  // the share is published
  return share;
}

}  // namespace

template <FrostCiphersuite C>
Result<SignatureShare<C>> sign(const SigningContext<C>& context, SigningNonces<C>&& nonces,
                               const KeyShare<typename C::Group>& key) {
  SigningNonces<C> used = std::move(nonces);  // the caller's object is empty from here on
  auto out = sign_with(context, used, key);
  detail::Internals<C>::wipe(used);
  return out;
}

template <FrostCiphersuite C>
Result<SignatureShare<C>> sign(const SigningPackage<C>& package, SigningNonces<C>&& nonces,
                               const KeyShare<typename C::Group>& key) {
  SigningNonces<C> used = std::move(nonces);
  if (!used.usable()) return nonces_already_used();  // before the costly context
  auto context = SigningContext<C>::create(package, key);
  if (!context.ok()) {
    detail::Internals<C>::wipe(used);
    return context.error();
  }
  return sign(*context, std::move(used), key);
}

#define TSIGN_INSTANTIATE(C)                                                                                          \
  template Result<SignatureShare<C>> sign<C>(const SigningPackage<C>&, SigningNonces<C>&&, const KeyShare<C::Group>&); \
  template Result<SignatureShare<C>> sign<C>(const SigningContext<C>&, SigningNonces<C>&&, const KeyShare<C::Group>&);
TSIGN_FROST_FOR_EACH_SUITE(TSIGN_INSTANTIATE)
#undef TSIGN_INSTANTIATE

}  // namespace tsign::frost
