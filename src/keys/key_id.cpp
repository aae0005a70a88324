#include "tsign/keys/key_id.hpp"

#include "tsign/core/hash.hpp"

namespace tsign {

template <PrimeOrderGroup G>
KeyId derive_key_id(const typename G::Point& group_key) {
  return tagged_hash("tsign/key-id", {as_bytes(G::kName), group_key.to_bytes()});
}

template KeyId derive_key_id<Secp256k1>(const Secp256k1::Point&);
template KeyId derive_key_id<Ed25519>(const Ed25519::Point&);

}  // namespace tsign
