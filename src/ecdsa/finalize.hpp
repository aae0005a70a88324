#pragma once
// The last local step of a signature: r from the nonce point, low-s normalization, the recovery
// id, and libsecp256k1's verification and recovery before anything is released.
#include "tsign/ecdsa/signature.hpp"

namespace tsign::ecdsa_internal {

struct NonceX {
  Secp256k1Scalar r;      // x(R) mod n
  bool overflow = false;  // x(R) >= n
  bool odd_y = false;
};

NonceX nonce_x(const Secp256k1Point& nonce_point);

// s is the combined (possibly high) s; fails unless the low-s signature verifies against
// public_key and recovers it.
Result<EcdsaSignature> finalize_signature(const NonceX& nonce, const Secp256k1Scalar& s, const Digest32& digest,
                                          const Secp256k1Point& public_key);

}  // namespace tsign::ecdsa_internal
