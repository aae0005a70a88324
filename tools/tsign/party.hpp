#pragma once
// The party directory (a Vault, custody/vault.hpp) named on the command line, and opening it:
// --dir (or TSIGN_DIR), --passphrase-file (or TSIGN_PASSPHRASE, or a prompt) and the HSM options.
#include <string_view>
#include <vector>

#include "args.hpp"
#include "tsign/custody/vault.hpp"

namespace tsign::cli {

// --dir, --passphrase-file and the HSM options; the flag --hsm-accept-imported-key (a wrapping
// key imported into the token rather than generated on it).
std::vector<std::string_view> party_options();
std::vector<std::string_view> party_flags();

// --dir, else TSIGN_DIR; UsageError when neither is given.
VaultPaths party_paths(const Args& args);

// Asks for the passphrase once and opens the vault. InvalidInput when the directory is not a party
// directory; Storage for a wrong passphrase, a damaged identity file or an unavailable HSM.
Result<Vault> open_party(const Args& args);

}  // namespace tsign::cli
