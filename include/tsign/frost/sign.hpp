#pragma once
// FROST round 2 (RFC 9591 section 5.2): a signer turns the signing package and its nonces into
// a signature share z_i = d_i + e_i·ρ_i + λ_i·c·s_i (for TR, with the signs BIP-340 requires).
#include "tsign/frost/nonces.hpp"
#include "tsign/frost/signature.hpp"
#include "tsign/frost/signing_context.hpp"

namespace tsign::frost {

// Validates the package (see SigningContext) and that it carries this party's commitment,
// equal to the one made with `nonces`; then computes the share.
// The nonces are consumed and wiped whatever the outcome: after a refusal, start again from
// round 1. An already consumed or moved-from object is refused (InvalidInput).
template <FrostCiphersuite C>
Result<SignatureShare<C>> sign(const SigningPackage<C>& package, SigningNonces<C>&& nonces,
                               const KeyShare<typename C::Group>& key);

// The same with a context already built for this package (it must come from this key).
template <FrostCiphersuite C>
Result<SignatureShare<C>> sign(const SigningContext<C>& context, SigningNonces<C>&& nonces,
                               const KeyShare<typename C::Group>& key);

}  // namespace tsign::frost
