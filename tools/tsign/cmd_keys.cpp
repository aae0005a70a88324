// tsign list, pubkey, xpub: what a party directory holds, and the public side of a key.
#include "command.hpp"
#include "key_info.hpp"
#include "parse.hpp"
#include "party.hpp"
#include "tsign/store/atomic_file.hpp"

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
  const PartyPaths paths = party_paths(args);
  if (!std::filesystem::exists(paths.identity())) {
    return make_error(ErrorKind::InvalidInput, paths.dir.string() + " is not a party directory (no identity)");
  }
  TSIGN_TRY(Bytes identity_file, read_file(paths.identity(), kIdentityFileSize + 1, FileAccess::owner_only));
  TSIGN_TRY(IdentityHeader header, read_identity_header(identity_file));
  TSIGN_TRY(ShareStore store, ShareStore::open(paths.shares(), header.id));
  TSIGN_TRY(std::vector<KeyId> keys, store.keys());
  Report report;
  report.set("party", "party", header.id);
  Json list = Json::array();
  for (const KeyId& id : keys) {
    TSIGN_TRY(ShareStore::KeyState state, store.state(id));
    TSIGN_TRY(ShareHeader h, read_clear_header(store, id));
    Json entry = {{"key_id", to_hex(id)}, {"suite", to_string(h.suite)}, {"threshold", h.threshold}, {"parties", h.parties}};
    entry["epoch"] = state.committed.empty() ? Json() : Json(state.committed.back());
    entry["staged_epoch"] = state.staged ? Json(*state.staged) : Json();
    std::string line = to_hex(id) + "  " + to_string(h.suite) + "  " + std::to_string(h.threshold) + "-of-" +
                       std::to_string(h.parties) + "  epoch " +
                       (state.committed.empty() ? std::string("none") : std::to_string(state.committed.back()));
    if (state.staged) line += "  (epoch " + std::to_string(*state.staged) + " staged)";
    report.note(line);
    list.push_back(std::move(entry));
  }
  if (keys.empty()) report.note("no keys");
  report.json["keys"] = std::move(list);
  return report;
}

struct LoadedView {
  StoredKey key;
  std::vector<std::uint32_t> path;
  PublicView view;
};

Result<LoadedView> load_view(const Args& args) {
  TSIGN_TRY(Party party, open_party(args));
  TSIGN_TRY(KeyId key_id, resolve_key_id(party.store, args.require("key")));
  TSIGN_TRY(StoredKey key, load_stored_key(party.store, key_id, *party.protector));
  TSIGN_TRY(std::vector<std::uint32_t> path, parse_path_option(args.get("path"), key.header.suite));
  TSIGN_TRY(PublicView view, public_view(key, path));
  return LoadedView{std::move(key), std::move(path), std::move(view)};
}

Result<Report> run_pubkey(const Args& args, const Context&) {
  TSIGN_TRY(LoadedView loaded, load_view(args));
  Report report;
  describe_key(report, loaded.key, loaded.view);
  if (!loaded.path.empty()) report.set("path", "path", format_derivation_path(loaded.path));
  return report;
}

Result<Report> run_xpub(const Args& args, const Context&) {
  TSIGN_TRY(LoadedView loaded, load_view(args));
  if (!loaded.view.xpub) return make_error(ErrorKind::InvalidInput, "extended public keys are for secp256k1 keys only");
  ExtendedPublicKey xpub = *loaded.view.xpub;
  if (args.has("testnet")) xpub.version = ExtendedPublicKey::kTestnetVersion;
  Report report;
  report.set("key_id", "key id", to_hex(loaded.key.header.key_id));
  report.set("path", "path", format_derivation_path(loaded.path));
  report.set("xpub", "xpub", xpub.to_base58());
  report.set("public_key", "public key", loaded.view.public_key);
  report.set("fingerprint", "fingerprint", to_hex(xpub.fingerprint()));
  return report;
}

}  // namespace

Command list_command() { return {"list", "list the keys of a party directory", kListUsage, {{}, {"dir"}}, run_list}; }

Command pubkey_command() {
  std::vector<std::string_view> options = party_options();
  options.push_back("key");
  options.push_back("path");
  return {"pubkey", "print a key's public key", kPubkeyUsage, {{}, options}, run_pubkey};
}

Command xpub_command() {
  std::vector<std::string_view> options = party_options();
  options.push_back("key");
  options.push_back("path");
  return {"xpub", "print a key's BIP-32 extended public key", kXpubUsage, {{"testnet"}, options}, run_xpub};
}

}  // namespace tsign::cli
