#pragma once
// The public side of a key in the forms its verifiers take: compressed secp256k1, 32 bytes for
// Ed25519, and for BIP-340/Taproot the x-only output key; for secp256k1 keys also the BIP-32
// extended public key of the key or of a non-hardened child.
#include <optional>
#include <span>
#include <string>

#include "tsign/custody/stored_key.hpp"
#include "tsign/frost/taproot.hpp"
#include "tsign/keys/bip32.hpp"

namespace tsign {

// The public key of `point` as `suite`'s verifiers take it. A Taproot key is shown as the output
// key of `tweak`: by default the key path only (BIP-86), which commits to having no script path,
// so no party can have hidden one in the key (BIP-341's advice for keys made by several parties).
Result<Bytes> suite_public_key(ShareSuite suite, const Secp256k1Point& point,
                               const frost::TaprootTweak& tweak = frost::TaprootTweak::no_scripts());

struct PublicView {
  Bytes public_key;  // suite form
  Bytes group_key;   // the group's encoding (33-byte compressed for secp256k1, untweaked)
  std::optional<ExtendedPublicKey> xpub;  // secp256k1 suites
};

// The key's (or, with a path, its child's) public view. Ed25519 keys refuse a path.
Result<PublicView> public_view(const StoredKey& key, std::span<const std::uint32_t> path = {});

}  // namespace tsign
