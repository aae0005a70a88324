#pragma once
// The public values every signer and the aggregator derive from a signing package (RFC 9591
// sections 4.4 to 4.6): binding factors, the group commitment R and the challenge c. Computing
// R costs one point multiplication per signer, so a party that both signs and aggregates (the
// peer-to-peer flow) builds the context once and passes it to sign() and aggregate().
//
// Creating a context validates the package against the key: at least t signers, no identifier
// twice, every identifier a holder of the key, no identity commitment, a Taproot tweak only for
// the TR suite. For the TR suite it also applies the tweak and BIP-340's even-y rule to the key.
#include <span>
#include <vector>

#include "tsign/frost/key_packages.hpp"
#include "tsign/frost/nonces.hpp"
#include "tsign/frost/signing_package.hpp"

namespace tsign::frost {

template <FrostCiphersuite C>
class SigningContext {
 public:
  using Scalar = typename C::Scalar;
  using Point = typename C::Point;

  static Result<SigningContext> create(const SigningPackage<C>& package, const KeyShare<typename C::Group>& key);
  static Result<SigningContext> create(const SigningPackage<C>& package, const PublicKeyPackage<C>& keys);

  const Bytes& message() const { return message_; }
  const TaprootTweak& taproot() const { return taproot_; }
  // Ascending; commitments(i) belongs to signers()[i].
  const std::vector<PartyId>& signers() const { return signers_; }
  const SigningCommitments<C>& commitments(std::size_t index) const { return commitments_[index]; }
  // Index of `id` in signers(), or signers().size() when it is not a signer.
  std::size_t index_of(PartyId id) const;

  // The group key as stored in the key shares.
  const Point& group_key() const { return group_key_; }
  // The key the signature verifies under: the group key, or for TR the (tweaked) key with even y.
  const Point& verifying_key() const { return verifying_key_; }
  // R = Σ D_i + ρ_i·E_i, as computed (for TR, before the even-y normalization).
  const Point& group_commitment() const { return group_commitment_; }
  const Scalar& challenge() const { return challenge_; }
  const Scalar& binding_factor(std::size_t index) const { return binding_factors_[index]; }
  // RFC 9591's input to H1 for signer `index` (for known-answer tests and diagnostics).
  Bytes binding_factor_input(std::size_t index) const;

 private:
  SigningContext() = default;
  // The common core of both create() overloads; `holders` ascending.
  static Result<SigningContext> build(const SigningPackage<C>& package, const Point& group_key, std::uint32_t threshold,
                                      std::span<const PartyId> holders);

  Bytes message_;
  TaprootTweak taproot_;
  std::vector<PartyId> signers_;
  std::vector<SigningCommitments<C>> commitments_;  // sorted with signers_
  std::vector<Scalar> binding_factors_;
  std::vector<Point> binding_terms_;  // ρ_i·E_i, kept to check shares one by one
  Bytes binding_prefix_;              // PK ‖ H4(m) ‖ H5(commitment list)
  Point group_key_;
  Point verifying_key_;
  Point group_commitment_;
  Scalar challenge_;
  // TR: the signing key is key_sign·(share) + key_offset per share, and the nonces are negated
  // when R has an odd y. Identity transform for the other suites.
  bool negate_key_ = false;
  bool negate_nonces_ = false;
  Scalar key_offset_;
  Point key_offset_point_;  // key_offset·G
  friend struct detail::Internals<C>;
};

}  // namespace tsign::frost
