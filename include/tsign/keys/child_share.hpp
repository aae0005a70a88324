#pragma once
// Signing for a non-hardened BIP-32 child of a secp256k1 threshold key: the child's key share is
// the parent's with the path's public tweak (Σ IL, bip32.hpp) added to the signing share, to every
// verifying share (tweak·G) and to the group key. Lagrange coefficients sum to one, so any t child
// shares sign for the child key. Made at signing time and dropped after: a child share is never
// stored, since the tweak is public and a child share would give away the parent share.
#include <span>

#include "tsign/keys/bip32.hpp"
#include "tsign/keys/key_share.hpp"

namespace tsign {

// The share of the child at `path` (non-hardened indices; empty: a copy of the share). Key id,
// epoch, party and threshold stay; the chain code becomes the child's.
Result<KeyShare<Secp256k1>> derive_child_share(const KeyShare<Secp256k1>& share, std::span<const std::uint32_t> path);

}  // namespace tsign
