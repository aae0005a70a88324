#include "tsign/custody/public_view.hpp"

namespace tsign {

Result<Bytes> suite_public_key(ShareSuite suite, const Secp256k1Point& point, const frost::TaprootTweak& tweak) {
  if (suite != ShareSuite::FrostSecp256k1Taproot) {
    const auto compressed = point.to_bytes();
    return Bytes(compressed.begin(), compressed.end());
  }
  TSIGN_TRY(Secp256k1Point output, frost::taproot_output_key(point, tweak));
  const auto x = output.x_only();
  return Bytes(x.begin(), x.end());
}

Result<PublicView> public_view(const StoredKey& key, std::span<const std::uint32_t> path) {
  if (const auto* ed = std::get_if<KeyShare<Ed25519>>(&key.share)) {
    if (!path.empty()) return make_error(ErrorKind::InvalidInput, "BIP-32 derivation is for secp256k1 keys only");
    const auto bytes = ed->group_public_key.to_bytes();
    return PublicView{Bytes(bytes.begin(), bytes.end()), Bytes(bytes.begin(), bytes.end()), std::nullopt};
  }
  const KeyShare<Secp256k1>& k = *key.secp256k1();
  TSIGN_TRY(DerivedKey derived, derive_path(ExtendedPublicKey::root(k.group_public_key, k.chain_code), path));
  TSIGN_TRY(Bytes public_key, suite_public_key(key.header.suite, derived.xpub.key));
  const auto group = derived.xpub.key.to_bytes();
  return PublicView{std::move(public_key), Bytes(group.begin(), group.end()), derived.xpub};
}

}  // namespace tsign
