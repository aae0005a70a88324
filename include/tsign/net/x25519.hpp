#pragma once
// X25519 key pairs: each party's static transport key (pinned by its peers in the cluster
// configuration) and the handshake's ephemeral keys.
#include "tsign/core/bytes.hpp"
#include "tsign/core/result.hpp"
#include "tsign/core/secret.hpp"

namespace tsign {

using X25519PublicKey = ByteArray<32>;

// A static or ephemeral X25519 key pair; the private half lives in locked, wiped memory.
class X25519KeyPair {
 public:
  static X25519KeyPair generate();
  // Rejects a key whose public half is degenerate (all-zero private keys and the like).
  static Result<X25519KeyPair> from_private(ByteSpan private_key);

  const X25519PublicKey& public_key() const { return public_; }
  ByteSpan private_key() const { return private_.expose(); }
  X25519KeyPair clone() const;

 private:
  X25519KeyPair(Secret<ByteArray<32>> priv, const X25519PublicKey& pub) : private_(std::move(priv)), public_(pub) {}
  Secret<ByteArray<32>> private_;
  X25519PublicKey public_{};
};

}  // namespace tsign
