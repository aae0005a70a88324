#include "party.hpp"

#include <cstdlib>

#include "exit_codes.hpp"
#include "passphrase.hpp"
#include "tsign/core/file_io.hpp"
#include "tsign/custody/process.hpp"

namespace tsign::cli {

namespace {

Result<std::optional<Pkcs11Config>> hsm_config(const Args& args) {
  if (!args.has("hsm-token")) {
    if (args.has("hsm-module") || args.has("hsm-key") || args.has("hsm-pin-file") || args.has("hsm-accept-imported-key")) {
      throw UsageError("the HSM options need --hsm-token");
    }
    return std::optional<Pkcs11Config>();
  }
  Pkcs11Config config;
  if (auto module = args.get("hsm-module")) config.module_path = *module;
  config.token_label = args.require("hsm-token");
  config.accept_imported_key = args.has("hsm-accept-imported-key");
  if (auto pin_file = args.get("hsm-pin-file")) {
    TSIGN_TRY(config.pin, read_secret_file(*pin_file, 256));
  } else if (auto env = take_secret_from_environment("TSIGN_HSM_PIN")) {
    config.pin = std::move(*env);
  } else {
    return make_error(ErrorKind::InvalidInput, "the HSM needs a PIN: --hsm-pin-file or TSIGN_HSM_PIN");
  }
  return std::optional<Pkcs11Config>(std::move(config));
}

}  // namespace

std::vector<std::string_view> party_options() {
  return {"dir", "passphrase-file", "hsm-module", "hsm-token", "hsm-key", "hsm-pin-file"};
}

std::vector<std::string_view> party_flags() { return {"hsm-accept-imported-key"}; }

VaultPaths party_paths(const Args& args) {
  if (auto dir = args.get("dir")) return {*dir};
  if (const char* env = std::getenv("TSIGN_DIR"); env != nullptr && *env != '\0') return {env};
  throw UsageError("missing --dir (or TSIGN_DIR): the party directory");
}

Result<Vault> open_party(const Args& args) {
  const VaultPaths paths = party_paths(args);
  if (!std::filesystem::exists(paths.identity())) {
    return make_error(ErrorKind::InvalidInput, paths.dir.string() + " is not a party directory (no identity): run `tsign init`");
  }
  TSIGN_TRY(Bytes identity_file, read_file(paths.identity(), kIdentityFileSize + 1, FileAccess::owner_only));
  TSIGN_TRY(IdentityHeader header, read_identity_header(identity_file));
  VaultUnlock unlock;
  TSIGN_TRY(unlock.hsm, hsm_config(args));
  if (auto label = args.get("hsm-key")) unlock.hsm_key_label = *label;
  std::optional<std::filesystem::path> passphrase_file;
  if (auto f = args.get("passphrase-file")) passphrase_file = *f;
  TSIGN_TRY(unlock.passphrase,
            read_passphrase(passphrase_file, "Passphrase for party " + std::to_string(header.id) + ": ", false));
  return Vault::open(paths.dir, std::move(unlock));
}

}  // namespace tsign::cli
