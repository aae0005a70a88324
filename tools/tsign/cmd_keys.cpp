// tsign list, pubkey, xpub: what a party directory holds, and the public side of a key.
#include "command.hpp"
#include "key_info.hpp"
#include "parse.hpp"
#include "party.hpp"

namespace tsign::cli {

namespace {

constexpr std::string_view kListUsage = R"(usage: tsign list --dir DIR

Lists the keys of the party directory from the clear headers of their share files (no
passphrase needed): key id, suite, committed and staged epochs, threshold and party count.)";

constexpr std::string_view kPubkeyUsage = R"(usage: tsign pubkey --dir DIR --key KEY [--path m/0/1]

Prints the key's public key in its suite's form (compressed secp256k1, x-only for BIP-340,
32 bytes for Ed25519), its parties and epoch, and for secp256k1 keys the xpub; with --path, the
public key of that non-hardened child.)";

constexpr std::string_view kXpubUsage = R"(usage: tsign xpub --dir DIR --key KEY [--path m/0/1] [--testnet]

Prints the BIP-32 extended public key (xpub, or tpub with --testnet) of a secp256k1 key or of
its non-hardened child at --path.)";

Result<Report> run_list(const Args& args, const Context&) {
  const VaultPaths paths = party_paths(args);
  TSIGN_TRY(PublicIdentity identity, Vault::public_identity(paths.dir));
  TSIGN_TRY(std::vector<VaultListing> keys, Vault::list(paths.dir));
  Report report;
  report.set("party", "party", identity.id);
  Json list = Json::array();
  for (const VaultListing& k : keys) {
    Json entry = {{"key_id", to_hex(k.key_id)}, {"suite", to_string(k.suite)}, {"threshold", k.threshold}, {"parties", k.parties}};
    entry["epoch"] = k.epoch ? Json(*k.epoch) : Json();
    entry["staged_epoch"] = k.staged_epoch ? Json(*k.staged_epoch) : Json();
    std::string line = to_hex(k.key_id) + "  " + to_string(k.suite) + "  " + std::to_string(k.threshold) + "-of-" +
                       std::to_string(k.parties) + "  epoch " + (k.epoch ? std::to_string(*k.epoch) : std::string("none"));
    if (k.staged_epoch) line += "  (epoch " + std::to_string(*k.staged_epoch) + " staged)";
    report.note(line);
    list.push_back(std::move(entry));
  }
  if (keys.empty()) report.note("no keys");
  report.json["keys"] = std::move(list);
  return report;
}

struct LoadedView {
  VaultKey key;
  std::vector<std::uint32_t> path;
};

Result<LoadedView> load_view(const Args& args) {
  TSIGN_TRY(Vault vault, open_party(args));
  TSIGN_TRY(KeyId key_id, vault.resolve(args.require("key")));
  TSIGN_TRY(VaultKey root, vault.key(key_id));
  TSIGN_TRY(std::vector<std::uint32_t> path, parse_path_option(args.get("path"), root.suite));
  if (path.empty()) return LoadedView{std::move(root), {}};
  TSIGN_TRY(VaultKey child, vault.key(key_id, path));
  return LoadedView{std::move(child), std::move(path)};
}

Result<Report> run_pubkey(const Args& args, const Context&) {
  TSIGN_TRY(LoadedView loaded, load_view(args));
  Report report;
  describe_key(report, loaded.key);
  if (!loaded.path.empty()) report.set("path", "path", format_derivation_path(loaded.path));
  return report;
}

Result<Report> run_xpub(const Args& args, const Context&) {
  TSIGN_TRY(LoadedView loaded, load_view(args));
  if (!loaded.key.view.xpub) return make_error(ErrorKind::InvalidInput, "extended public keys are for secp256k1 keys only");
  ExtendedPublicKey xpub = *loaded.key.view.xpub;
  if (args.has("testnet")) xpub.version = ExtendedPublicKey::kTestnetVersion;
  Report report;
  report.set("key_id", "key id", to_hex(loaded.key.key_id));
  report.set("path", "path", format_derivation_path(loaded.path));
  report.set("xpub", "xpub", xpub.to_base58());
  report.set("public_key", "public key", to_hex(loaded.key.view.public_key));
  report.set("fingerprint", "fingerprint", to_hex(xpub.fingerprint()));
  return report;
}

}  // namespace

Command list_command() { return {"list", "list the keys of a party directory", kListUsage, {{}, {"dir"}}, run_list}; }

Command pubkey_command() {
  std::vector<std::string_view> options = party_options();
  options.push_back("key");
  options.push_back("path");
  return {"pubkey", "print a key's public key", kPubkeyUsage, {party_flags(), options}, run_pubkey};
}

Command xpub_command() {
  std::vector<std::string_view> options = party_options();
  options.push_back("key");
  options.push_back("path");
  return {"xpub", "print a key's BIP-32 extended public key", kXpubUsage, {{"testnet", "hsm-accept-imported-key"}, options}, run_xpub};
}

}  // namespace tsign::cli
