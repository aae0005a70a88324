#pragma once
// Signature shares (round 2 output), signatures, and their verification.
#include "tsign/core/codec.hpp"
#include "tsign/frost/ciphersuite.hpp"

namespace tsign::frost {

template <FrostCiphersuite C>
struct SignatureShare {
  using Scalar = typename C::Scalar;

  PartyId identifier = 0;
  Scalar share;  // z_i

  bool operator==(const SignatureShare&) const = default;

  // Header ‖ id (u32) ‖ z_i; decoding refuses a zero identifier and a non-canonical scalar.
  Bytes encode() const;
  static Result<SignatureShare> decode(ByteSpan bytes);
};

// (R, z) with z·G = R + c·PK. For the TR suite R always has an even y.
template <FrostCiphersuite C>
struct Signature {
  using Scalar = typename C::Scalar;
  using Point = typename C::Point;
  // 65 bytes for secp256k1 (compressed R ‖ z), 64 for TR (x(R) ‖ z) and for Ed25519 (R ‖ z).
  static constexpr std::size_t kSize = C::kTaproot ? 64 : C::Group::kPointSize + C::Group::kScalarSize;

  Point R;
  Scalar z;

  bool operator==(const Signature&) const = default;

  // The suite's standard encoding: what libsecp256k1 and libsodium verify.
  ByteArray<kSize> to_bytes() const;
  // Strict: exact length, canonical R (not the identity), z below the group order.
  static Result<Signature> from_bytes(ByteSpan bytes);
};

// RFC 9591 section 6 verification: z·G == R + c·PK with the suite's challenge. For the TR suite
// PK and R are taken with even y (BIP-340), so any key with the right x verifies.
template <FrostCiphersuite C>
bool verify_signature_rfc(ByteSpan message, const Signature<C>& signature, const typename C::Point& public_key);

// Verification by the suite's reference single-signer verifier: libsecp256k1's
// secp256k1_schnorrsig_verify against x(PK) for TR, libsodium's crypto_sign_verify_detached for
// Ed25519; the RFC check for plain secp256k1, which no single-signer library implements.
// For a tweaked TR signature, PK is taproot_output_key(group key, tweak).
template <FrostCiphersuite C>
bool verify_signature(ByteSpan message, const Signature<C>& signature, const typename C::Point& public_key);

}  // namespace tsign::frost
