#pragma once
// A standard ECDSA signature over secp256k1, as the threshold protocol releases it: low s
// (BIP-62 / BIP-146), with the recovery id that Ethereum-style users need to recover the signer's
// public key from the signature alone.
#include "tsign/core/hash.hpp"
#include "tsign/math/secp256k1.hpp"

namespace tsign {

struct EcdsaSignature {
  ByteArray<32> r{};
  ByteArray<32> s{};             // s <= n/2
  std::uint8_t recovery_id = 0;  // 0..3: bit 0 the parity of R's y, bit 1 set when x(R) >= n

  ByteArray<64> compact() const;      // r || s
  ByteArray<65> recoverable() const;  // r || s || recovery id (Ethereum adds 27 or the chain offset)
  Bytes der() const;                  // DER, as Bitcoin transactions carry it
  // Strict: 64 bytes, r and s below n and non-zero, s low; recovery id 0..3.
  static Result<EcdsaSignature> from_compact(ByteSpan compact, std::uint8_t recovery_id);
};

// libsecp256k1's verification (which also refuses a high s); digest32 is the message hash.
Status verify_ecdsa(const EcdsaSignature& signature, const Digest32& digest32, const Secp256k1Point& public_key);
// libsecp256k1's public key recovery from the signature and its recovery id.
Result<Secp256k1Point> recover_ecdsa(const EcdsaSignature& signature, const Digest32& digest32);

}  // namespace tsign
