#pragma once
// Schnorr proof of knowledge of a DKG polynomial's constant term (FROST KeyGen, round 1 step 2).
// It stops a rogue-key attack: without it, the last party to commit could pick its constant
// commitment as a function of the others' and control the group key.
//
// The challenge is the ciphersuite's HDKG over identifier ‖ verifying key ‖ R ‖ context, each
// element in the suite's own encoding (identifier as a scalar). An empty context gives exactly
// ZcashFoundation/frost's layout (its test vectors use it); the protocols of this layer pass a
// digest of the session, so a proof recorded in one session is worthless in any other.
#include <string>

#include "tsign/core/codec.hpp"
#include "tsign/core/random.hpp"
#include "tsign/frost/ciphersuite.hpp"
#include "tsign/sss/lagrange.hpp"

namespace tsign {

template <PrimeOrderGroup G>
struct KnowledgeProof {
  typename G::Point R;
  typename G::Scalar z;

  void encode(Writer& w) const { w.raw(R.to_bytes()).raw(z.to_bytes()); }
  // R must be a canonical point other than the identity, z a canonical scalar.
  static Result<KnowledgeProof> decode(Reader& r) {
    TSIGN_TRY(ByteSpan rb, r.raw(G::kPointSize));
    auto point = G::Point::from_bytes(rb);
    if (!point.ok()) return r.fail("proof commitment: " + point.error().message);
    TSIGN_TRY(ByteSpan zb, r.raw(G::kScalarSize));
    auto z = G::Scalar::from_bytes(zb);
    if (!z.ok()) return r.fail("proof response: " + z.error().message);
    return KnowledgeProof{std::move(point).value(), std::move(z).value()};
  }
};

template <FrostCiphersuite C>
typename C::Scalar dkg_challenge(PartyId id, const typename C::Point& verifying_key, const typename C::Point& R,
                                 ByteSpan context) {
  const auto idb = identifier_scalar<typename C::Group>(id).to_bytes();
  const auto vkb = verifying_key.to_bytes();
  const auto rb = R.to_bytes();
  return C::HDKG({idb, vkb, rb, context});
}

// Proves knowledge of `secret` for verifying key secret·G.
template <FrostCiphersuite C>
KnowledgeProof<typename C::Group> prove_knowledge(PartyId id, const typename C::Scalar& secret, ByteSpan context) {
  using Point = typename C::Point;
  const typename C::Scalar k = C::Scalar::random();
  const Point R = Point::base_mul(k);
  const auto c = dkg_challenge<C>(id, Point::base_mul(secret), R, context);
  return {R, k + secret * c};
}

// Checks R == z·G - c·verifying_key; a failure names `id`.
template <FrostCiphersuite C>
Status verify_knowledge(PartyId id, const typename C::Point& verifying_key, const KnowledgeProof<typename C::Group>& proof,
                        ByteSpan context) {
  using Point = typename C::Point;
  const auto c = dkg_challenge<C>(id, verifying_key, proof.R, context);
  if (verifying_key.is_identity() || !(Point::base_mul(proof.z) - verifying_key.mul_vartime(c) == proof.R)) {
    return make_error(ErrorKind::ProtocolAborted,
                      "proof of knowledge of party " + std::to_string(id) + " does not verify", {id});
  }
  return {};
}

}  // namespace tsign
