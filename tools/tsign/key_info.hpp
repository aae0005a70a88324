#pragma once
// The public side of a key as the tool prints it: the public key in the form its suite's verifiers
// take (compressed secp256k1, x-only for BIP-340, 32 bytes for Ed25519) and, for secp256k1
// keys, the BIP-32 extended public key and derived children.
#include <span>
#include <string>
#include <vector>

#include "output.hpp"
#include "stored_key.hpp"
#include "tsign/keys/bip32.hpp"

namespace tsign::cli {

// The public key of `point` as `suite`'s verifiers take it.
std::string suite_public_key_hex(ShareSuite suite, const Secp256k1Point& point);

// The key's (or, with a path, its child's) public key, xpub and fingerprint.
struct PublicView {
  std::string public_key;   // suite form
  std::string group_key;    // the group's encoding (33-byte compressed for secp256k1)
  std::optional<ExtendedPublicKey> xpub;  // secp256k1 suites
};
Result<PublicView> public_view(const StoredKey& key, std::span<const std::uint32_t> path);

// Key id, suite, epoch, threshold, parties and the public view.
void describe_key(Report& report, const StoredKey& key, const PublicView& view);

// --path m/0/1 (non-hardened only); empty when absent. Refused for Ed25519 keys.
Result<std::vector<std::uint32_t>> parse_path_option(const std::optional<std::string>& text, ShareSuite suite);

}  // namespace tsign::cli
