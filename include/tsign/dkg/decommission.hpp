#pragma once
// Decommissioning: the last step of a key share's life in memory. The secret share is wiped at
// once (its locked pages are zeroed and released) and the public fields are cleared, so the
// object can never again sign, refresh, reshare or help a repair: validate() fails with
// InvalidKeyShare, and every protocol of this layer refuses it. Sealed copies on disk are the
// storage layer's to destroy.
#include "tsign/keys/key_share.hpp"

namespace tsign {

template <PrimeOrderGroup G>
void decommission(KeyShare<G>& share) {
  share.signing_share.reset();
  share.verifying_shares.clear();
  share.parties.clear();
  share.parties.shrink_to_fit();
  share.group_public_key = typename G::Point{};
  share.threshold = 0;
  share.self = 0;
  share.epoch = 0;
  detail::secure_wipe(share.chain_code.data(), share.chain_code.size());
  detail::secure_wipe(share.key_id.data(), share.key_id.size());
}

// True once decommission() ran on this object.
template <PrimeOrderGroup G>
bool is_decommissioned(const KeyShare<G>& share) {
  return !share.signing_share.has_value();
}

}  // namespace tsign
