#include "tsign/ecdsa/signature.hpp"

#include <secp256k1_recovery.h>

#include <algorithm>

namespace tsign {

namespace {

Error invalid(std::string why) { return make_error(ErrorKind::InvalidInput, "ECDSA signature: " + std::move(why)); }

Result<secp256k1_ecdsa_signature> to_lib(const EcdsaSignature& sig) {
  secp256k1_ecdsa_signature out;
  const ByteArray<64> c = sig.compact();
  if (secp256k1_ecdsa_signature_parse_compact(secp256k1_ctx(), &out, c.data()) != 1) {
    return invalid("r or s is not below the group order");
  }
  return out;
}

}  // namespace

ByteArray<64> EcdsaSignature::compact() const {
  ByteArray<64> out;
  std::copy(r.begin(), r.end(), out.begin());
  std::copy(s.begin(), s.end(), out.begin() + 32);
  return out;
}

ByteArray<65> EcdsaSignature::recoverable() const {
  ByteArray<65> out;
  const ByteArray<64> c = compact();
  std::copy(c.begin(), c.end(), out.begin());
  out[64] = recovery_id;
  return out;
}

Bytes EcdsaSignature::der() const {
  std::uint8_t buf[72];
  std::size_t len = sizeof(buf);
  auto sig = to_lib(*this);
  if (!sig.ok() || secp256k1_ecdsa_signature_serialize_der(secp256k1_ctx(), buf, &len, &sig.value()) != 1) return {};
  return Bytes(buf, buf + len);
}

Result<EcdsaSignature> EcdsaSignature::from_compact(ByteSpan compact, std::uint8_t recovery_id) {
  if (compact.size() != 64) return invalid("expected 64 bytes");
  if (recovery_id > 3) return invalid("recovery id out of range");
  EcdsaSignature out;
  std::copy(compact.begin(), compact.begin() + 32, out.r.begin());
  std::copy(compact.begin() + 32, compact.end(), out.s.begin());
  out.recovery_id = recovery_id;
  TSIGN_TRY(secp256k1_ecdsa_signature lib, to_lib(out));
  if (secp256k1_ecdsa_signature_normalize(secp256k1_ctx(), nullptr, &lib) == 1) return invalid("s is not low");
  const ByteArray<32> zero{};
  if (out.r == zero || out.s == zero) return invalid("r or s is zero");
  return out;
}

Status verify_ecdsa(const EcdsaSignature& signature, const Digest32& digest32, const Secp256k1Point& public_key) {
  if (public_key.is_identity()) return invalid("the public key is the identity");
  TSIGN_TRY(secp256k1_ecdsa_signature lib, to_lib(signature));
  if (secp256k1_ecdsa_verify(secp256k1_ctx(), &lib, digest32.data(), &public_key.pubkey()) != 1) {
    return invalid("does not verify");
  }
  return {};
}

Result<Secp256k1Point> recover_ecdsa(const EcdsaSignature& signature, const Digest32& digest32) {
  if (signature.recovery_id > 3) return invalid("recovery id out of range");
  secp256k1_ecdsa_recoverable_signature lib;
  const ByteArray<64> c = signature.compact();
  if (secp256k1_ecdsa_recoverable_signature_parse_compact(secp256k1_ctx(), &lib, c.data(), signature.recovery_id) !=
      1) {
    return invalid("r or s is not below the group order");
  }
  secp256k1_pubkey pk;
  if (secp256k1_ecdsa_recover(secp256k1_ctx(), &pk, &lib, digest32.data()) != 1) return invalid("no key recovers");
  return Secp256k1Point::from_pubkey(pk);
}

}  // namespace tsign
