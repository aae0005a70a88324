#pragma once
// Arithmetic on secp256k1 points that depend on secrets, over libsecp256k1's public API.
//
// k·P for a secret k: Secp256k1Point's operator* goes through ec_pubkey_tweak_mul, which
// libsecp256k1 computes with its variable-time ecmult, fine for public scalars only. Its ECDH runs
// the constant-time ecmult_const; with a "hash" that returns the point itself, it is exactly k·P.
//
// Parsing, adding, negating and serializing such points run libsecp256k1's constant-time field
// and group code, around checks that a valid point never trips: a coordinate at or above p, the
// zero x of an unset key, a sum at infinity (negligible for secret points). The constant-time
// check (tests/ctime) sees those checks read secret data; tests/ctime/valgrind.supp suppresses
// them for these functions only.
#include <span>

#include "tsign/math/secp256k1.hpp"

namespace tsign::detail {

// k·P as 65-byte uncompressed SEC1, for a product that stays secret (nothing is declassified);
// k is big-endian and below n. False, with `out` zeroed, when k is zero.
bool secret_mul_uncompressed(const secp256k1_pubkey& p, const ByteArray<32>& k, std::span<std::uint8_t, 65> out);

// k·P for a product the protocol compares with public points (declassified); the identity when
// k is zero or P is the identity.
Secp256k1Point secret_mul(const Secp256k1Point& p, const Secp256k1Scalar& k);

// The point encoded by secret_mul_uncompressed.
bool secret_point_parse(std::span<const std::uint8_t, 65> encoded, secp256k1_pubkey& out);
// P + Q; false when the sum is the identity.
bool secret_point_add(const secp256k1_pubkey& p, const secp256k1_pubkey& q, secp256k1_pubkey& sum);
void secret_point_negate(secp256k1_pubkey& p);
// SEC1: compressed when out has 33 bytes, uncompressed when it has 65.
void secret_point_serialize(const secp256k1_pubkey& p, std::span<std::uint8_t> out);

}  // namespace tsign::detail
