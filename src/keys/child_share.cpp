#include "tsign/keys/child_share.hpp"

namespace tsign {

Result<KeyShare<Secp256k1>> derive_child_share(const KeyShare<Secp256k1>& share, std::span<const std::uint32_t> path) {
  TSIGN_TRY(DerivedKey derived, derive_path(ExtendedPublicKey::root(share.group_public_key, share.chain_code), path));
  KeyShare<Secp256k1> child = share.clone();
  if (path.empty()) return child;
  const Secp256k1Point offset = Secp256k1Point::base_mul(derived.tweak);
  child.signing_share.expose_mut() += derived.tweak;
  for (auto& entry : child.verifying_shares) entry.second += offset;
  child.group_public_key = derived.xpub.key;
  child.chain_code = derived.xpub.chain_code;
  return child;
}

}  // namespace tsign
