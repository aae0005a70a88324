#include "tsign/frost/aggregate.hpp"

#include "internals.hpp"

namespace tsign::frost {

namespace {

// z_i·G == ±(D_i + ρ_i·E_i) + (c·λ_i)·(±Y_i + offset·G), signs and offset as in round 2.
template <FrostCiphersuite C>
bool share_is_valid(const SigningContext<C>& ctx, std::size_t index, const typename C::Scalar& z,
                    const typename C::Scalar& lambda, const typename C::Point& verifying_share) {
  using Point = typename C::Point;
  using I = detail::Internals<C>;
  Point commitment_share = ctx.commitments(index).hiding + I::binding_term(ctx, index);
  if (I::negate_nonces(ctx)) commitment_share = -commitment_share;
  Point key_share = I::negate_key(ctx) ? -verifying_share : verifying_share;
  key_share += I::key_offset_point(ctx);
  return Point::base_mul(z) == commitment_share + key_share.mul_vartime(ctx.challenge() * lambda);
}

template <FrostCiphersuite C>
Result<typename C::Point> verifying_share_of(const PublicKeyPackage<C>& keys, PartyId id) {
  auto it = keys.verifying_shares.find(id);
  if (it == keys.verifying_shares.end()) {
    return make_error(ErrorKind::InvalidInput, "no verifying share for party " + std::to_string(id), {id});
  }
  return it->second;
}

template <FrostCiphersuite C>
Status check_same_key(const SigningContext<C>& ctx, const PublicKeyPackage<C>& keys) {
  if (!(keys.verifying_key == ctx.group_key())) {
    return make_error(ErrorKind::InvalidInput, "the signing context was built for another key");
  }
  return {};
}

}  // namespace

template <FrostCiphersuite C>
Status verify_signature_share(const SigningContext<C>& context, const SignatureShare<C>& share,
                              const PublicKeyPackage<C>& keys) {
  using G = typename C::Group;
  TSIGN_CHECK(check_same_key(context, keys));
  const std::size_t index = context.index_of(share.identifier);
  if (index == context.signers().size()) {
    return make_error(ErrorKind::InvalidInput,
                      "signature share from party " + std::to_string(share.identifier) + ", which is not a signer",
                      {share.identifier});
  }
  TSIGN_TRY(auto verifying_share, verifying_share_of(keys, share.identifier));
  TSIGN_TRY(auto lambda, lagrange_coefficient<G>(share.identifier, context.signers()));
  if (!share_is_valid(context, index, share.share, lambda, verifying_share)) {
    return make_error(ErrorKind::ProtocolAborted,
                      "signature share of party " + std::to_string(share.identifier) + " fails verification",
                      {share.identifier});
  }
  return {};
}

template <FrostCiphersuite C>
Status verify_signature_share(const SigningPackage<C>& package, const SignatureShare<C>& share,
                              const PublicKeyPackage<C>& keys) {
  TSIGN_TRY(auto context, SigningContext<C>::create(package, keys));
  return verify_signature_share(context, share, keys);
}

template <FrostCiphersuite C>
Result<Signature<C>> aggregate(const SigningContext<C>& context, const std::vector<SignatureShare<C>>& shares,
                               const PublicKeyPackage<C>& keys) {
  using G = typename C::Group;
  using Scalar = typename C::Scalar;
  TSIGN_CHECK(check_same_key(context, keys));
  const std::size_t m = context.signers().size();
  std::vector<const SignatureShare<C>*> by_index(m, nullptr);
  std::vector<PartyId> foreign, duplicated, missing;
  for (const auto& share : shares) {
    const std::size_t index = context.index_of(share.identifier);
    if (index == m) {
      foreign.push_back(share.identifier);
    } else if (by_index[index] != nullptr) {
      duplicated.push_back(share.identifier);
    } else {
      by_index[index] = &share;
    }
  }
  for (std::size_t i = 0; i < m; ++i) {
    if (by_index[i] == nullptr) missing.push_back(context.signers()[i]);
  }
  if (!foreign.empty()) {
    return make_error(ErrorKind::InvalidInput, "signature shares from non-signers: " + detail::list_parties(foreign), foreign);
  }
  if (!duplicated.empty()) {
    return make_error(ErrorKind::InvalidInput, "more than one signature share from " + detail::list_parties(duplicated),
                      duplicated);
  }
  if (!missing.empty()) {
    return make_error(ErrorKind::InvalidInput, "no signature share from " + detail::list_parties(missing), missing);
  }

  Signature<C> signature;
  signature.R = detail::Internals<C>::negate_nonces(context) ? -context.group_commitment() : context.group_commitment();
  for (const auto* share : by_index) signature.z += share->share;
  if (verify_signature<C>(context.message(), signature, context.verifying_key())) return signature;

  // The signature is wrong: find every share that is.
  std::vector<PartyId> unknown;
  for (PartyId id : context.signers()) {
    if (!keys.verifying_shares.count(id)) unknown.push_back(id);
  }
  if (!unknown.empty()) {
    return make_error(ErrorKind::InvalidInput, "no verifying share for signers " + detail::list_parties(unknown), unknown);
  }
  TSIGN_TRY(std::vector<Scalar> lambdas, lagrange_coefficients<G>(context.signers()));
  std::vector<PartyId> culprits;
  for (std::size_t i = 0; i < m; ++i) {
    const PartyId id = context.signers()[i];
    if (!share_is_valid(context, i, by_index[i]->share, lambdas[i], keys.verifying_shares.at(id))) culprits.push_back(id);
  }
  if (culprits.empty()) {
    return make_error(ErrorKind::Internal, "FROST signature fails verification although every share verifies");
  }
  return make_error(ErrorKind::ProtocolAborted,
                    "signature shares fail verification: " + detail::list_parties(culprits), culprits);
}

template <FrostCiphersuite C>
Result<Signature<C>> aggregate(const SigningPackage<C>& package, const std::vector<SignatureShare<C>>& shares,
                               const PublicKeyPackage<C>& keys) {
  TSIGN_TRY(auto context, SigningContext<C>::create(package, keys));
  return aggregate(context, shares, keys);
}

#define TSIGN_INSTANTIATE(C)                                                                                      \
  template Result<Signature<C>> aggregate<C>(const SigningPackage<C>&, const std::vector<SignatureShare<C>>&,        \
                                             const PublicKeyPackage<C>&);                                         \
  template Result<Signature<C>> aggregate<C>(const SigningContext<C>&, const std::vector<SignatureShare<C>>&,        \
                                             const PublicKeyPackage<C>&);                                         \
  template Status verify_signature_share<C>(const SigningContext<C>&, const SignatureShare<C>&,                   \
                                            const PublicKeyPackage<C>&);                                          \
  template Status verify_signature_share<C>(const SigningPackage<C>&, const SignatureShare<C>&,                   \
                                            const PublicKeyPackage<C>&);
TSIGN_FROST_FOR_EACH_SUITE(TSIGN_INSTANTIATE)
#undef TSIGN_INSTANTIATE

}  // namespace tsign::frost
