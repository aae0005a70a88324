#pragma once
// The name of a threshold key, the same for every holder and every suite's protocols (FROST and
// ECDSA keys alike): it depends only on the group key, so it survives refresh and resharing, and
// anyone holding the public key can compute it.
#include "tsign/core/bytes.hpp"
#include "tsign/math/group.hpp"

namespace tsign {

// tagged_hash("tsign/key-id", group name ‖ group key). The group name keeps a secp256k1 and an
// Ed25519 key with the same encoding apart.
template <PrimeOrderGroup G>
KeyId derive_key_id(const typename G::Point& group_key);

}  // namespace tsign
