#include "tsign/core/identity_key.hpp"

#include <sodium.h>

#include "core/sodium_init.hpp"

namespace tsign {

static_assert(crypto_sign_PUBLICKEYBYTES == 32 && crypto_sign_SECRETKEYBYTES == 64 && crypto_sign_BYTES == 64);
static_assert(crypto_sign_SEEDBYTES == 32);

IdentityKey IdentityKey::generate() {
  ensure_sodium();
  IdentityKey key;
  key.secret_key_ = SecretBytes(crypto_sign_SECRETKEYBYTES);
  crypto_sign_keypair(key.public_key_.data(), key.secret_key_.expose_mut().data());
  return key;
}

Result<IdentityKey> IdentityKey::from_seed(ByteSpan seed) {
  ensure_sodium();
  if (seed.size() != crypto_sign_SEEDBYTES) return make_error(ErrorKind::InvalidInput, "identity seed must be 32 bytes");
  IdentityKey key;
  key.secret_key_ = SecretBytes(crypto_sign_SECRETKEYBYTES);
  crypto_sign_seed_keypair(key.public_key_.data(), key.secret_key_.expose_mut().data(), seed.data());
  return key;
}

SecretBytes IdentityKey::seed() const { return SecretBytes::copy_of(secret_key_.expose().first(crypto_sign_SEEDBYTES)); }

ByteArray<64> IdentityKey::sign(ByteSpan message) const {
  ByteArray<64> sig;
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), secret_key_.expose().data());
  return sig;
}

bool verify_identity_signature(const ByteArray<32>& public_key, ByteSpan message, const ByteArray<64>& signature) {
  ensure_sodium();
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(), public_key.data()) == 0;
}

}  // namespace tsign
