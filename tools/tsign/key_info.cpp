#include "key_info.hpp"

#include "parse.hpp"

namespace tsign::cli {

void describe_key(Report& report, const VaultKey& key) {
  report.set("key_id", "key id", to_hex(key.key_id));
  report.set("suite", "suite", to_string(key.suite));
  report.set("epoch", "epoch", key.epoch);
  report.set("threshold", "threshold", key.threshold);
  report.set("parties", "parties", key.parties);
  report.set("public_key", "public key", to_hex(key.view.public_key));
  if (key.view.group_key != key.view.public_key) report.set("group_key", "group key", to_hex(key.view.group_key));
  if (key.view.xpub) report.set("xpub", "xpub", key.view.xpub->to_base58());
}

Result<std::optional<Digest32>> parse_taproot_option(const std::optional<std::string>& text, ShareSuite suite) {
  if (!text) return std::optional<Digest32>();
  if (suite != ShareSuite::FrostSecp256k1Taproot) {
    return make_error(ErrorKind::InvalidInput, "--taproot-root: only for frost-secp256k1-tr keys");
  }
  TSIGN_TRY(Digest32 root, parse_hex_array<32>(*text, "--taproot-root"));
  return std::optional<Digest32>(root);
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
