#include "tsign/frost/ciphersuite.hpp"

#include <string>

#include "tsign/core/hash.hpp"
#include "tsign/core/secret.hpp"

namespace tsign {

namespace {

Bytes concat(std::initializer_list<ByteSpan> parts) {
  Bytes out;
  for (auto p : parts) append(out, p);
  return out;
}

// hash_to_field(m, 1) over the secp256k1 order: expand_message_xmd(SHA-256) to 48 bytes, reduce.
Secp256k1Scalar secp_hash_to_field(std::string_view context, std::string_view tag, std::initializer_list<ByteSpan> parts) {
  const std::string dst = std::string(context) + std::string(tag);
  Bytes msg = concat(parts);  // holds the secret share when hashing nonces
  Bytes wide = expand_message_xmd_sha256(msg, as_bytes(dst), 48);
  Secp256k1Scalar out = Secp256k1Scalar::from_bytes_reduce(wide);
  tsign::detail::secure_wipe(msg.data(), msg.size());
  tsign::detail::secure_wipe(wide.data(), wide.size());
  return out;
}

Bytes sha256_with_prefix(std::string_view context, std::string_view tag, std::initializer_list<ByteSpan> parts) {
  Sha256 h;
  h.update(context).update(tag);
  for (auto p : parts) h.update(p);
  auto d = h.finish();
  return Bytes(d.begin(), d.end());
}

Ed25519Scalar sha512_to_scalar(std::string_view context, std::string_view tag, std::initializer_list<ByteSpan> parts) {
  Sha512 h;
  h.update(context).update(tag);
  for (auto p : parts) h.update(p);
  return Ed25519Scalar::from_bytes_reduce(h.finish());
}

Bytes sha512_with_prefix(std::string_view context, std::string_view tag, std::initializer_list<ByteSpan> parts) {
  Sha512 h;
  h.update(context).update(tag);
  for (auto p : parts) h.update(p);
  auto d = h.finish();
  return Bytes(d.begin(), d.end());
}

}  // namespace

#define TSIGN_SECP_SUITE_COMMON(Suite)                                                                          \
  Secp256k1Scalar Suite::H1(std::initializer_list<ByteSpan> p) { return secp_hash_to_field(kContext, "rho", p); } \
  Secp256k1Scalar Suite::H3(std::initializer_list<ByteSpan> p) { return secp_hash_to_field(kContext, "nonce", p); } \
  Bytes Suite::H4(std::initializer_list<ByteSpan> p) { return sha256_with_prefix(kContext, "msg", p); }          \
  Bytes Suite::H5(std::initializer_list<ByteSpan> p) { return sha256_with_prefix(kContext, "com", p); }          \
  Secp256k1Scalar Suite::HDKG(std::initializer_list<ByteSpan> p) { return secp_hash_to_field(kContext, "dkg", p); }

TSIGN_SECP_SUITE_COMMON(FrostSecp256k1)
TSIGN_SECP_SUITE_COMMON(FrostSecp256k1Tr)
#undef TSIGN_SECP_SUITE_COMMON

Secp256k1Scalar FrostSecp256k1::H2(std::initializer_list<ByteSpan> p) { return secp_hash_to_field(kContext, "chal", p); }

Secp256k1Scalar FrostSecp256k1Tr::H2(std::initializer_list<ByteSpan> p) {
  Sha256 h = tagged_hasher("BIP0340/challenge");
  for (auto part : p) h.update(part);
  return Secp256k1Scalar::from_bytes_reduce(h.finish());
}

Ed25519Scalar FrostEd25519::H1(std::initializer_list<ByteSpan> p) { return sha512_to_scalar(kContext, "rho", p); }
Ed25519Scalar FrostEd25519::H2(std::initializer_list<ByteSpan> p) { return sha512_to_scalar("", "", p); }
Ed25519Scalar FrostEd25519::H3(std::initializer_list<ByteSpan> p) { return sha512_to_scalar(kContext, "nonce", p); }
Bytes FrostEd25519::H4(std::initializer_list<ByteSpan> p) { return sha512_with_prefix(kContext, "msg", p); }
Bytes FrostEd25519::H5(std::initializer_list<ByteSpan> p) { return sha512_with_prefix(kContext, "com", p); }
Ed25519Scalar FrostEd25519::HDKG(std::initializer_list<ByteSpan> p) { return sha512_to_scalar(kContext, "dkg", p); }

}  // namespace tsign
