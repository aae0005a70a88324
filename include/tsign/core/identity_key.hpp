#pragma once
// A party's long-term Ed25519 identity key (libsodium crypto_sign). It signs the party's audit log
// and its broadcasts in protocol sessions; its public key is what an auditor checks the log
// against and what the other parties check broadcasts against. Every signed message starts with
// its own domain string ("tsign/audit/...", "tsign/broadcast/..."), so a signature made for one
// use is never valid for another.
#include "tsign/core/bytes.hpp"
#include "tsign/core/result.hpp"
#include "tsign/core/secret.hpp"

namespace tsign {

class IdentityKey {
 public:
  static IdentityKey generate();
  // The 32-byte seed is the whole secret: keep it sealed like a share.
  static Result<IdentityKey> from_seed(ByteSpan seed);

  const ByteArray<32>& public_key() const { return public_key_; }
  SecretBytes seed() const;
  ByteArray<64> sign(ByteSpan message) const;

 private:
  IdentityKey() = default;
  ByteArray<32> public_key_{};
  SecretBytes secret_key_;  // libsodium's 64-byte form: seed || public key
};

bool verify_identity_signature(const ByteArray<32>& public_key, ByteSpan message, const ByteArray<64>& signature);

}  // namespace tsign
