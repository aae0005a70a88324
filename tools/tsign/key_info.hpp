#pragma once
// The public side of a key as the tool prints it: the public key in the form its suite's verifiers
// take (compressed secp256k1, 32 bytes for Ed25519, and for BIP-340/Taproot the x-only output key
// of a key-path-only output, BIP-86) and, for secp256k1 keys, the BIP-32 extended public key and
// derived children.
#include <span>
#include <string>
#include <vector>

#include "output.hpp"
#include "stored_key.hpp"
#include "tsign/frost/taproot.hpp"
#include "tsign/keys/bip32.hpp"

namespace tsign::cli {

// The public key of `point` as `suite`'s verifiers take it. A Taproot key is shown as the output
// key of `tweak`: by default the key path only, which commits to having no script path, so no
// party can have hidden one in the key (BIP-341's advice for keys made by several parties).
Result<std::string> suite_public_key_hex(ShareSuite suite, const Secp256k1Point& point,
                                         const frost::TaprootTweak& tweak = frost::TaprootTweak::no_scripts());

// The key's (or, with a path, its child's) public key, xpub and fingerprint.
struct PublicView {
  std::string public_key;   // suite form
  std::string group_key;    // the group's encoding (33-byte compressed for secp256k1, untweaked)
  std::optional<ExtendedPublicKey> xpub;  // secp256k1 suites
};
Result<PublicView> public_view(const StoredKey& key, std::span<const std::uint32_t> path);

// Key id, suite, epoch, threshold, parties and the public view.
void describe_key(Report& report, const StoredKey& key, const PublicView& view);

// --taproot-root HEX: the Merkle root of a script tree the output key also commits to. Absent:
// the key path only (no tweak for the other suites, which refuse the option).
Result<frost::TaprootTweak> parse_taproot_option(const std::optional<std::string>& text, ShareSuite suite);

// --path m/0/1 (non-hardened only); empty when absent. Refused for Ed25519 keys.
Result<std::vector<std::uint32_t>> parse_path_option(const std::optional<std::string>& text, ShareSuite suite);

}  // namespace tsign::cli
