#include "tsign/custody/suite_signature.hpp"

#include "tsign/ecdsa/signature.hpp"
#include "tsign/frost/frost.hpp"

namespace tsign {

namespace {

Error bad_key(const Error& e) { return make_error(ErrorKind::InvalidInput, "not a key of the suite: " + e.message); }

template <FrostCiphersuite C>
Result<bool> verify_frost(ByteSpan message, const typename C::Group::Point& key, ByteSpan sig) {
  auto signature = frost::Signature<C>::from_bytes(sig);
  if (!signature) return false;
  return frost::verify_signature<C>(message, *signature, key);
}

}  // namespace

Bytes frost_message(const SignedContent& content) {
  if (const auto* d = std::get_if<Digest32>(&content)) return Bytes(d->begin(), d->end());
  return std::get<Bytes>(content);
}

Digest32 ecdsa_digest(const SignedContent& content) {
  if (const auto* d = std::get_if<Digest32>(&content)) return *d;
  return sha256(std::get<Bytes>(content));
}

Result<bool> verify_suite_signature(ShareSuite suite, const SignedContent& content, ByteSpan pk, ByteSpan sig) {
  switch (suite) {
    case ShareSuite::FrostSecp256k1: {
      auto key = Secp256k1Point::from_bytes(pk);
      if (!key) return bad_key(key.error());
      return verify_frost<FrostSecp256k1>(frost_message(content), *key, sig);
    }
    case ShareSuite::FrostSecp256k1Taproot: {
      auto key = pk.size() == 32 ? Secp256k1Point::from_x_only(pk) : Secp256k1Point::from_bytes(pk);
      if (!key) return bad_key(key.error());
      return verify_frost<FrostSecp256k1Tr>(frost_message(content), *key, sig);
    }
    case ShareSuite::FrostEd25519: {
      auto key = Ed25519Point::from_bytes(pk);
      if (!key) return bad_key(key.error());
      return verify_frost<FrostEd25519>(frost_message(content), *key, sig);
    }
    case ShareSuite::EcdsaSecp256k1: {
      auto key = Secp256k1Point::from_bytes(pk);
      if (!key) return bad_key(key.error());
      if (sig.size() != 64) return false;
      auto signature = EcdsaSignature::from_compact(sig, 0);
      if (!signature) return false;
      return verify_ecdsa(*signature, ecdsa_digest(content), *key).ok();
    }
  }
  return make_error(ErrorKind::InvalidInput, "unknown suite");
}

}  // namespace tsign
