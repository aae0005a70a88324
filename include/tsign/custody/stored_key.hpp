#pragma once
// A key share as a vault holds it, whatever its suite: FROST shares over secp256k1 (plain and
// Taproot) or Ed25519, or an ECDSA share with its pairwise state. Files hold the suite in their
// clear header; the share bytes are each protocol's own encoding.
#include <string_view>
#include <variant>

#include "tsign/ecdsa/key_share.hpp"
#include "tsign/keys/key_share.hpp"
#include "tsign/store/share_store.hpp"

namespace tsign {

using AnyShare = std::variant<KeyShare<Secp256k1>, KeyShare<Ed25519>, EcdsaKeyShare>;

struct StoredKey {
  ShareHeader header;
  AnyShare share;

  // The Shamir part (for ECDSA: the share under the pairwise state).
  template <class F>
  decltype(auto) with_key_share(F&& f) const {
    return std::visit(
        [&](const auto& s) -> decltype(auto) {
          if constexpr (std::is_same_v<std::decay_t<decltype(s)>, EcdsaKeyShare>) {
            return f(s.key);
          } else {
            return f(s);
          }
        },
        share);
  }
  // The secp256k1 Shamir share (FROST secp256k1, Taproot, ECDSA); null for Ed25519.
  const KeyShare<Secp256k1>* secp256k1() const;
  std::vector<PartyId> parties() const;
  std::uint32_t threshold() const;
};

// The share's own encoding (what a file or backup seals).
SecretBytes encode_share(const AnyShare& share);

// The header of a share from its own fields (for staging).
Result<ShareHeader> header_of(const AnyShare& share, ShareSuite suite);

// Decodes and validates the share bytes of a file or backup, and checks them against the header.
Result<StoredKey> decode_stored_key(const UnsealedShare& unsealed);
Result<StoredKey> load_stored_key(const ShareStore& store, const KeyId& key_id, KeyProtector& protector);
// Stages the share as its own epoch of its key.
Status stage_stored_key(ShareStore& store, const StoredKey& key, KeyProtector& protector);
// Rewrites the committed epoch (an ECDSA pair disabled during signing).
Status rewrite_stored_key(ShareStore& store, const StoredKey& key, KeyProtector& protector);

// A key of the store from its id: the 64 hex digits, or a prefix of at least 8 that names one key.
Result<KeyId> resolve_key_id(const ShareStore& store, std::string_view text);

// The clear header of a key's committed (or, if none, staged) file: no passphrase needed.
Result<ShareHeader> read_clear_header(const ShareStore& store, const KeyId& key_id);

}  // namespace tsign
