#include "key_info.hpp"

#include "parse.hpp"

namespace tsign::cli {

Result<std::string> suite_public_key_hex(ShareSuite suite, const Secp256k1Point& point,
                                         const frost::TaprootTweak& tweak) {
  if (suite != ShareSuite::FrostSecp256k1Taproot) return to_hex(point.to_bytes());
  TSIGN_TRY(Secp256k1Point output, frost::taproot_output_key(point, tweak));
  return to_hex(output.x_only());
}

Result<PublicView> public_view(const StoredKey& key, std::span<const std::uint32_t> path) {
  if (const auto* ed = std::get_if<KeyShare<Ed25519>>(&key.share)) {
    if (!path.empty()) return make_error(ErrorKind::InvalidInput, "BIP-32 derivation is for secp256k1 keys only");
    const std::string hex = to_hex(ed->group_public_key.to_bytes());
    return PublicView{hex, hex, std::nullopt};
  }
  const KeyShare<Secp256k1>& k = *key.secp256k1();
  TSIGN_TRY(DerivedKey derived, derive_path(ExtendedPublicKey::root(k.group_public_key, k.chain_code), path));
  TSIGN_TRY(std::string public_key, suite_public_key_hex(key.header.suite, derived.xpub.key));
  return PublicView{public_key, to_hex(derived.xpub.key.to_bytes()), derived.xpub};
}

void describe_key(Report& report, const StoredKey& key, const PublicView& view) {
  report.set("key_id", "key id", to_hex(key.header.key_id));
  report.set("suite", "suite", to_string(key.header.suite));
  report.set("epoch", "epoch", key.header.epoch);
  report.set("threshold", "threshold", key.threshold());
  report.set("parties", "parties", key.parties());
  report.set("public_key", "public key", view.public_key);
  if (view.group_key != view.public_key) report.set("group_key", "group key", view.group_key);
  if (view.xpub) report.set("xpub", "xpub", view.xpub->to_base58());
}

Result<frost::TaprootTweak> parse_taproot_option(const std::optional<std::string>& text, ShareSuite suite) {
  const bool taproot = suite == ShareSuite::FrostSecp256k1Taproot;
  if (!text) return taproot ? frost::TaprootTweak::no_scripts() : frost::TaprootTweak::none();
  if (!taproot) {
    return make_error(ErrorKind::InvalidInput, "--taproot-root: only for frost-secp256k1-tr keys");
  }
  TSIGN_TRY(auto root, parse_hex_array<32>(*text, "--taproot-root"));
  return frost::TaprootTweak::with_merkle_root(root);
}

Result<std::vector<std::uint32_t>> parse_path_option(const std::optional<std::string>& text, ShareSuite suite) {
  if (!text) return std::vector<std::uint32_t>{};
  if (suite == ShareSuite::FrostEd25519) {
    return make_error(ErrorKind::InvalidInput, "--path: BIP-32 derivation is for secp256k1 keys only");
  }
  auto path = parse_derivation_path(*text);
  if (!path) return make_error(ErrorKind::InvalidInput, "--path: " + path.error().message);
  return path;
}

}  // namespace tsign::cli
