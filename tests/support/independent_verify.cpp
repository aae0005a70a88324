#include "support/independent_verify.hpp"

#include <secp256k1.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>
#include <sodium.h>

#include "tsign/frost/ciphersuite.hpp"

namespace tsign::test {

namespace {
secp256k1_context* context() {
  static secp256k1_context* ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
  return ctx;
}
}  // namespace

bool bip340_verifies(const std::string& xonly_hex, ByteSpan message, const std::string& signature_hex) {
  const Bytes key = from_hex(xonly_hex);
  const Bytes sig = from_hex(signature_hex);
  if (key.size() != 32 || sig.size() != 64) return false;
  secp256k1_xonly_pubkey pk;
  if (!secp256k1_xonly_pubkey_parse(context(), &pk, key.data())) return false;
  return secp256k1_schnorrsig_verify(context(), sig.data(), message.data(), message.size(), &pk) == 1;
}

std::string taproot_output_key_hex(const std::string& internal_key_hex, const std::string& merkle_root_hex) {
  const Bytes internal = from_hex(internal_key_hex);
  secp256k1_pubkey full;
  secp256k1_xonly_pubkey xonly;
  if (!secp256k1_ec_pubkey_parse(context(), &full, internal.data(), internal.size())) return "";
  if (!secp256k1_xonly_pubkey_from_pubkey(context(), &xonly, nullptr, &full)) return "";
  Bytes preimage(32);
  secp256k1_xonly_pubkey_serialize(context(), preimage.data(), &xonly);
  append(preimage, from_hex(merkle_root_hex));
  static constexpr char kTag[] = "TapTweak";
  std::uint8_t tweak[32];
  if (!secp256k1_tagged_sha256(context(), tweak, reinterpret_cast<const unsigned char*>(kTag), sizeof kTag - 1,
                               preimage.data(), preimage.size())) {
    return "";
  }
  secp256k1_pubkey output;
  if (!secp256k1_xonly_pubkey_tweak_add(context(), &output, &xonly, tweak)) return "";
  secp256k1_xonly_pubkey output_xonly;
  if (!secp256k1_xonly_pubkey_from_pubkey(context(), &output_xonly, nullptr, &output)) return "";
  std::uint8_t out[32];
  secp256k1_xonly_pubkey_serialize(context(), out, &output_xonly);
  return to_hex(out);
}

bool ed25519_verifies(const std::string& public_key_hex, ByteSpan message, const std::string& signature_hex) {
  const Bytes key = from_hex(public_key_hex);
  const Bytes sig = from_hex(signature_hex);
  if (key.size() != crypto_sign_PUBLICKEYBYTES || sig.size() != crypto_sign_BYTES) return false;
  return crypto_sign_verify_detached(sig.data(), message.data(), message.size(), key.data()) == 0;
}

bool ecdsa_verifies(const std::string& public_key_hex, const std::string& digest_hex, const std::string& signature_hex) {
  const Bytes key = from_hex(public_key_hex);
  const Bytes digest = from_hex(digest_hex);
  const Bytes sig = from_hex(signature_hex);
  if (digest.size() != 32 || sig.size() != 64) return false;
  secp256k1_pubkey pk;
  secp256k1_ecdsa_signature s;
  if (!secp256k1_ec_pubkey_parse(context(), &pk, key.data(), key.size())) return false;
  if (!secp256k1_ecdsa_signature_parse_compact(context(), &s, sig.data())) return false;
  return secp256k1_ecdsa_verify(context(), &s, digest.data(), &pk) == 1;
}

bool frost_secp256k1_verifies(const std::string& public_key_hex, ByteSpan message, const std::string& signature_hex) {
  const Bytes key = from_hex(public_key_hex);
  const Bytes sig = from_hex(signature_hex);
  if (key.size() != 33 || sig.size() != 65) return false;
  secp256k1_pubkey pk, r, lhs, rhs;
  if (!secp256k1_ec_pubkey_parse(context(), &pk, key.data(), 33)) return false;
  if (!secp256k1_ec_pubkey_parse(context(), &r, sig.data(), 33)) return false;
  if (!secp256k1_ec_pubkey_create(context(), &lhs, sig.data() + 33)) return false;  // z·G
  const auto c = FrostSecp256k1::H2({ByteSpan(sig.data(), 33), key, message}).to_bytes();
  secp256k1_pubkey c_pk = pk;
  if (!secp256k1_ec_pubkey_tweak_mul(context(), &c_pk, c.data())) return false;  // c·PK
  const secp256k1_pubkey* terms[2] = {&r, &c_pk};
  if (!secp256k1_ec_pubkey_combine(context(), &rhs, terms, 2)) return false;
  unsigned char a[33], b[33];
  size_t alen = 33, blen = 33;
  secp256k1_ec_pubkey_serialize(context(), a, &alen, &lhs, SECP256K1_EC_COMPRESSED);
  secp256k1_ec_pubkey_serialize(context(), b, &blen, &rhs, SECP256K1_EC_COMPRESSED);
  return std::equal(a, a + 33, b);
}

}  // namespace tsign::test
