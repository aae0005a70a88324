#pragma once
// Suite-specific processing of a freshly generated key, as ZcashFoundation/frost's post_dkg.
//
// FROST(secp256k1, SHA-256, TR) replaces the DKG's key P by the BIP-341 output key that commits
// to no script path, Q = P' + int(hashTapTweak(x(P)))·G with P' = P negated to even y. No
// participant can then slip a script path of its choosing into the joint key. The tweak is
// public and Lagrange coefficients sum to one, so each share becomes ±s + tweak and every
// verifying share ±X + tweak·G. Other suites keep the key as generated.
#include "tsign/frost/ciphersuite.hpp"
#include "tsign/keys/key_share.hpp"

namespace tsign {

// Applies the no-script-path TapTweak to every part of the share (secret and public).
void apply_taproot_no_script_tweak(KeyShare<Secp256k1>& share);

template <FrostCiphersuite C>
void post_dkg(KeyShare<typename C::Group>& share) {
  if constexpr (C::kTaproot) apply_taproot_no_script_tweak(share);
}

}  // namespace tsign
