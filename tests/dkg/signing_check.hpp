#pragma once
// Algebraic signing checks for generated keys, independent of the FROST implementation: t
// holders each contribute k_i + c·λ_i·s_i to one Schnorr signature, which is then verified by
// an outside verifier (libsecp256k1's BIP-340 schnorrsig_verify, libsodium's Ed25519 verify).
// A signature verifies only if the holders' shares interpolate to the group key's secret.
#include <vector>

#include "tsign/keys/key_share.hpp"

namespace tsign::test {

bool threshold_signature_verifies(const std::vector<const KeyShare<Secp256k1>*>& signers, ByteSpan message);
bool threshold_signature_verifies(const std::vector<const KeyShare<Ed25519>*>& signers, ByteSpan message);

// The first `count` holders of `shares` (or all), as signer pointers.
template <class G>
std::vector<const KeyShare<G>*> first_signers(const std::vector<KeyShare<G>>& shares, std::size_t count) {
  std::vector<const KeyShare<G>*> out;
  for (std::size_t i = 0; i < count && i < shares.size(); ++i) out.push_back(&shares[i]);
  return out;
}

}  // namespace tsign::test
