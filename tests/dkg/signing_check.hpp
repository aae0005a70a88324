#pragma once
// Algebraic signing checks for generated keys, independent of the FROST implementation: t
// holders each contribute k_i + c·λ_i·s_i to one Schnorr signature, which is then verified by
// an outside verifier (libsecp256k1's BIP-340 schnorrsig_verify, libsodium's Ed25519 verify).
// A signature verifies only if the holders' shares interpolate to the group key's secret.
#include <vector>

#include "tsign/frost/taproot.hpp"
#include "tsign/keys/key_share.hpp"

namespace tsign::test {

bool threshold_signature_verifies(const std::vector<const KeyShare<Secp256k1>*>& signers, ByteSpan message);
bool threshold_signature_verifies(const std::vector<const KeyShare<Ed25519>*>& signers, ByteSpan message);

// The share with a BIP-341 tweak baked in, as ZcashFoundation/frost does after its DKG for the
// Taproot suite: every part negated if the internal key has odd y, then shifted by the tweak.
// Its group key is frost::taproot_output_key(internal key, tweak).
KeyShare<Secp256k1> taproot_tweaked(const KeyShare<Secp256k1>& share, const frost::TaprootTweak& tweak);

// The first `count` holders of `shares` (or all), as signer pointers.
template <class G>
std::vector<const KeyShare<G>*> first_signers(const std::vector<KeyShare<G>>& shares, std::size_t count) {
  std::vector<const KeyShare<G>*> out;
  for (std::size_t i = 0; i < count && i < shares.size(); ++i) out.push_back(&shares[i]);
  return out;
}

}  // namespace tsign::test
