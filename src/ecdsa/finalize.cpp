#include "finalize.hpp"

#include <cstring>

namespace tsign::ecdsa_internal {

namespace {

// The secp256k1 group order n, big-endian.
constexpr std::uint8_t kOrder[32] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                     0xFF, 0xFF, 0xFF, 0xFF, 0xFE, 0xBA, 0xAE, 0xDC, 0xE6, 0xAF, 0x48,
                                     0xA0, 0x3B, 0xBF, 0xD2, 0x5E, 0x8C, 0xD0, 0x36, 0x41, 0x41};

}  // namespace

NonceX nonce_x(const Secp256k1Point& nonce_point) {
  const ByteArray<33> enc = nonce_point.to_bytes();
  const ByteSpan x(enc.data() + 1, 32);
  NonceX out;
  out.r = Secp256k1Scalar::from_bytes_reduce(x);
  out.overflow = std::memcmp(x.data(), kOrder, 32) >= 0;  // public: R is known to every signer
  out.odd_y = enc[0] == 0x03;
  return out;
}

Result<EcdsaSignature> finalize_signature(const NonceX& nonce, const Secp256k1Scalar& s, const Digest32& digest,
                                          const Secp256k1Point& public_key) {
  if (nonce.r.is_zero() || s.is_zero()) {
    return make_error(ErrorKind::ProtocolAborted, "the combined signature has r = 0 or s = 0");
  }
  ByteArray<64> compact;
  const ByteArray<32> rb = nonce.r.to_bytes(), sb = s.to_bytes();
  std::memcpy(compact.data(), rb.data(), 32);
  std::memcpy(compact.data() + 32, sb.data(), 32);
  secp256k1_ecdsa_signature lib;
  if (secp256k1_ecdsa_signature_parse_compact(secp256k1_ctx(), &lib, compact.data()) != 1) {
    return make_error(ErrorKind::Internal, "combined signature does not parse");
  }
  const bool negated = secp256k1_ecdsa_signature_normalize(secp256k1_ctx(), &lib, &lib) == 1;
  secp256k1_ecdsa_signature_serialize_compact(secp256k1_ctx(), compact.data(), &lib);
  const std::uint8_t parity = static_cast<std::uint8_t>(nonce.odd_y ? 1 : 0) ^ static_cast<std::uint8_t>(negated ? 1 : 0);
  TSIGN_TRY(EcdsaSignature sig,
            EcdsaSignature::from_compact(compact, static_cast<std::uint8_t>(parity | (nonce.overflow ? 2 : 0))));
  TSIGN_CHECK(verify_ecdsa(sig, digest, public_key));
  TSIGN_TRY(Secp256k1Point recovered, recover_ecdsa(sig, digest));
  if (!(recovered == public_key)) return make_error(ErrorKind::ProtocolAborted, "the recovery id does not recover the key");
  return sig;
}

}  // namespace tsign::ecdsa_internal
