#pragma once
// k·P in constant time for a secret k and any point P. Secp256k1Point's operator* goes through
// ec_pubkey_tweak_mul, which libsecp256k1 computes with its variable-time ecmult: fine for public
// scalars, not for the receiver's χ in the Γ checks. libsecp256k1's ECDH runs the constant-time
// ecmult_const; with a "hash" that returns the point itself, it is exactly k·P.
#include "tsign/math/secp256k1.hpp"

namespace tsign::ecdsa_internal {

// k·P; the identity when k is zero or P is the identity.
Secp256k1Point secret_mul(const Secp256k1Point& p, const Secp256k1Scalar& k);

}  // namespace tsign::ecdsa_internal
