#pragma once
// A key as the tool prints it, and the options that name a child key or a Taproot script tree.
#include <optional>
#include <string>
#include <vector>

#include "output.hpp"
#include "tsign/custody/vault.hpp"

namespace tsign::cli {

// Key id, suite, epoch, threshold, parties, public key, group key (when it differs) and xpub.
void describe_key(Report& report, const VaultKey& key);

// --taproot-root HEX: the Merkle root of a script tree the output key also commits to. Absent:
// the key path only. Refused for suites other than frost-secp256k1-tr.
Result<std::optional<Digest32>> parse_taproot_option(const std::optional<std::string>& text, ShareSuite suite);
// --path m/0/1 (non-hardened only); empty when absent. Refused for Ed25519 keys.
Result<std::vector<std::uint32_t>> parse_path_option(const std::optional<std::string>& text, ShareSuite suite);

}  // namespace tsign::cli
