#pragma once
// Arithmetic on secp256k1 points that depend on secrets, over libsecp256k1's public API.
//
// k·P for a secret k, in constant time. Secp256k1Point::mul_vartime goes through
// ec_pubkey_tweak_mul, which libsecp256k1 computes with its variable-time ecmult, fine for public
// scalars only. Its ECDH runs the constant-time ecmult_const; with a "hash" that returns the point
// itself, it is exactly k·P.
//
// Sums and encodings of secret points are the library's own constant-time code
// (secp256k1_group.hpp).
#include <span>

#include "tsign/math/secp256k1.hpp"

namespace tsign::detail {

// k·P as 65-byte uncompressed SEC1, for a product that stays secret (nothing is declassified);
// k is big-endian and below n. False, with `out` zeroed, when k is zero.
bool secret_mul_consttime_uncompressed(const secp256k1_pubkey& p, const ByteArray<32>& k, std::span<std::uint8_t, 65> out);

// k·P for a product the protocol compares with public points (declassified); the identity when
// k is zero or P is the identity.
Secp256k1Point secret_mul_consttime(const Secp256k1Point& p, const Secp256k1Scalar& k);

}  // namespace tsign::detail
