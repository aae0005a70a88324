#include "tsign/frost/signing_context.hpp"

#include <algorithm>

#include "internals.hpp"

namespace tsign::frost {

namespace detail {
std::string list_parties(std::span<const PartyId> ids) {
  std::string out;
  for (std::size_t i = 0; i < ids.size(); ++i) out += (i == 0 ? "" : ", ") + std::to_string(ids[i]);
  return out;
}
}  // namespace detail

template <FrostCiphersuite C>
Result<SigningContext<C>> SigningContext<C>::create(const SigningPackage<C>& package, const KeyShare<typename C::Group>& key) {
  return build(package, key.group_public_key, key.threshold, key.parties);
}

template <FrostCiphersuite C>
Result<SigningContext<C>> SigningContext<C>::create(const SigningPackage<C>& package, const PublicKeyPackage<C>& keys) {
  std::vector<PartyId> holders;
  holders.reserve(keys.verifying_shares.size());
  for (const auto& entry : keys.verifying_shares) holders.push_back(entry.first);
  return build(package, keys.verifying_key, keys.min_signers, holders);
}

template <FrostCiphersuite C>
Result<SigningContext<C>> SigningContext<C>::build(const SigningPackage<C>& package, const Point& group_key,
                                                   std::uint32_t threshold, std::span<const PartyId> holders) {
  auto invalid = [](std::string why, std::vector<PartyId> culprits = {}) {
    return make_error(ErrorKind::InvalidInput, "FROST signing package: " + std::move(why), std::move(culprits));
  };
  if (group_key.is_identity()) return make_error(ErrorKind::InvalidKeyShare, "the group key is the identity");
  if (!C::kTaproot && package.taproot.mode != TaprootTweak::Mode::None) {
    return invalid("a Taproot tweak is only meaningful for the TR suite");
  }

  SigningContext ctx;
  ctx.message_ = package.message;
  ctx.taproot_ = package.taproot;
  ctx.commitments_ = package.commitments;
  std::stable_sort(ctx.commitments_.begin(), ctx.commitments_.end(),
                   [](const auto& a, const auto& b) { return a.identifier < b.identifier; });

  // Collect every offender of each kind before refusing, so the error names them all.
  std::vector<PartyId> duplicated, unknown, identity;
  for (std::size_t i = 0; i < ctx.commitments_.size(); ++i) {
    const auto& c = ctx.commitments_[i];
    if (i > 0 && c.identifier == ctx.commitments_[i - 1].identifier) {
      if (duplicated.empty() || duplicated.back() != c.identifier) duplicated.push_back(c.identifier);
      continue;
    }
    if (!std::binary_search(holders.begin(), holders.end(), c.identifier)) unknown.push_back(c.identifier);
    if (c.hiding.is_identity() || c.binding.is_identity()) identity.push_back(c.identifier);
    ctx.signers_.push_back(c.identifier);
  }
  if (!duplicated.empty()) return invalid("signers listed more than once: " + detail::list_parties(duplicated), duplicated);
  if (!unknown.empty()) return invalid("signers that do not hold the key: " + detail::list_parties(unknown), unknown);
  if (!identity.empty()) {
    return make_error(ErrorKind::ProtocolAborted,
                      "FROST signing package: identity commitments from " + detail::list_parties(identity), identity);
  }
  if (ctx.signers_.size() < threshold) {
    return invalid(std::to_string(ctx.signers_.size()) + " signers, the key needs " + std::to_string(threshold));
  }

  // The key the signature verifies under. TR: even-y the group key, add the Taproot tweak, even-y
  // the result (BIP-340, BIP-341), and record what that does to every share.
  ctx.group_key_ = group_key;
  ctx.verifying_key_ = group_key;
  if constexpr (C::kTaproot) {
    const bool negate_internal = !group_key.has_even_y();
    TSIGN_TRY(Scalar t, taproot_tweak_scalar(group_key, ctx.taproot_));
    const Point t_point = Point::base_mul(t);
    const Point q = (negate_internal ? -group_key : group_key) + t_point;
    // Unreachable by design (tools/mutation/equivalents.txt): it takes a TapTweak preimage.
    if (q.is_identity()) return invalid("the Taproot output key is the identity");
    const bool negate_output = !q.has_even_y();
    ctx.verifying_key_ = negate_output ? -q : q;
    ctx.negate_key_ = negate_internal != negate_output;
    ctx.key_offset_ = negate_output ? -t : t;
    ctx.key_offset_point_ = negate_output ? -t_point : t_point;
  }

  // Binding factors: ρ_i = H1(PK ‖ H4(m) ‖ H5(encoded commitment list) ‖ i).
  Bytes encoded_list;
  encoded_list.reserve(ctx.commitments_.size() * (C::Group::kScalarSize + 2 * C::Group::kPointSize));
  for (const auto& c : ctx.commitments_) {
    append(encoded_list, detail::identifier_bytes<C>(c.identifier));
    append(encoded_list, c.hiding.to_bytes());
    append(encoded_list, c.binding.to_bytes());
  }
  append(ctx.binding_prefix_, ctx.verifying_key_.to_bytes());
  append(ctx.binding_prefix_, C::H4({ctx.message_}));
  append(ctx.binding_prefix_, C::H5({encoded_list}));

  // Group commitment R = Σ D_i + ρ_i·E_i: one multiplication per signer, one sum.
  const std::size_t m = ctx.signers_.size();
  ctx.binding_factors_.reserve(m);
  ctx.binding_terms_.reserve(m);
  std::vector<Point> terms;
  terms.reserve(2 * m);
  for (const auto& c : ctx.commitments_) {
    ctx.binding_factors_.push_back(C::H1({ctx.binding_prefix_, detail::identifier_bytes<C>(c.identifier)}));
    ctx.binding_terms_.push_back(c.binding.mul_vartime(ctx.binding_factors_.back()));
    terms.push_back(c.hiding);
    terms.push_back(ctx.binding_terms_.back());
  }
  ctx.group_commitment_ = Point::sum(terms);
  // Unreachable by design (tools/mutation/equivalents.txt): each binding factor hashes every commitment.
  if (ctx.group_commitment_.is_identity()) {
    return make_error(ErrorKind::ProtocolAborted, "FROST group commitment is the identity");
  }
  if constexpr (C::kTaproot) ctx.negate_nonces_ = !ctx.group_commitment_.has_even_y();
  ctx.challenge_ = detail::challenge<C>(ctx.group_commitment_, ctx.verifying_key_, ctx.message_);
  return ctx;
}

template <FrostCiphersuite C>
std::size_t SigningContext<C>::index_of(PartyId id) const {
  auto it = std::lower_bound(signers_.begin(), signers_.end(), id);
  if (it == signers_.end() || *it != id) return signers_.size();
  return static_cast<std::size_t>(it - signers_.begin());
}

template <FrostCiphersuite C>
Bytes SigningContext<C>::binding_factor_input(std::size_t index) const {
  Bytes out = binding_prefix_;
  append(out, detail::identifier_bytes<C>(signers_.at(index)));
  return out;
}

#define TSIGN_INSTANTIATE(C) template class SigningContext<C>;
TSIGN_FROST_FOR_EACH_SUITE(TSIGN_INSTANTIATE)
#undef TSIGN_INSTANTIATE

}  // namespace tsign::frost
