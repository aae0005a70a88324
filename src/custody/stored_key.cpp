#include "tsign/custody/stored_key.hpp"

#include <algorithm>
#include <cctype>

#include "tsign/store/key_share_file.hpp"

namespace tsign {

namespace {

template <class T>
Status check_against_header(const KeyShare<T>& share, const ShareHeader& h) {
  if (share.key_id != h.key_id || share.self != h.party_id || share.epoch != h.epoch ||
      share.threshold != h.threshold || share.parties.size() != h.parties) {
    return make_error(ErrorKind::InvalidKeyShare, "key share disagrees with the header it was sealed under");
  }
  return {};
}

}  // namespace

SecretBytes encode_share(const AnyShare& share) {
  return std::visit([](const auto& s) { return s.encode(); }, share);
}

const KeyShare<Secp256k1>* StoredKey::secp256k1() const {
  if (const auto* k = std::get_if<KeyShare<Secp256k1>>(&share)) return k;
  if (const auto* e = std::get_if<EcdsaKeyShare>(&share)) return &e->key;
  return nullptr;
}

std::vector<PartyId> StoredKey::parties() const {
  return with_key_share([](const auto& k) { return k.parties; });
}

std::uint32_t StoredKey::threshold() const {
  return with_key_share([](const auto& k) { return k.threshold; });
}

Result<ShareHeader> header_of(const AnyShare& share, ShareSuite suite) {
  return std::visit(
      [&](const auto& s) -> Result<ShareHeader> {
        using T = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<T, EcdsaKeyShare>) {
          if (suite != ShareSuite::EcdsaSecp256k1) return make_error(ErrorKind::Internal, "an ECDSA share under another suite");
          return share_header_of(s.key, suite);
        } else {
          if (suite == ShareSuite::EcdsaSecp256k1) return make_error(ErrorKind::Internal, "a FROST share under the ECDSA suite");
          return share_header_of(s, suite);
        }
      },
      share);
}

Result<StoredKey> decode_stored_key(const UnsealedShare& unsealed) {
  const ShareHeader& h = unsealed.header;
  switch (h.suite) {
    case ShareSuite::FrostSecp256k1:
    case ShareSuite::FrostSecp256k1Taproot: {
      TSIGN_TRY(KeyShare<Secp256k1> share, decode_key_share<Secp256k1>(unsealed));
      return StoredKey{h, std::move(share)};
    }
    case ShareSuite::FrostEd25519: {
      TSIGN_TRY(KeyShare<Ed25519> share, decode_key_share<Ed25519>(unsealed));
      return StoredKey{h, std::move(share)};
    }
    case ShareSuite::EcdsaSecp256k1: {
      TSIGN_TRY(EcdsaKeyShare share, EcdsaKeyShare::decode(unsealed.share.expose()));
      TSIGN_CHECK(check_against_header(share.key, h));
      return StoredKey{h, std::move(share)};
    }
  }
  return make_error(ErrorKind::InvalidInput, "unknown suite");
}

Result<StoredKey> load_stored_key(const ShareStore& store, const KeyId& key_id, KeyProtector& protector) {
  TSIGN_TRY(UnsealedShare unsealed, store.load(key_id, protector));
  return decode_stored_key(unsealed);
}

Status stage_stored_key(ShareStore& store, const StoredKey& key, KeyProtector& protector) {
  const SecretBytes bytes = encode_share(key.share);
  return store.stage(key.header, bytes.expose(), protector);
}

Status rewrite_stored_key(ShareStore& store, const StoredKey& key, KeyProtector& protector) {
  const SecretBytes bytes = encode_share(key.share);
  return store.rewrite(key.header, bytes.expose(), protector);
}

Result<KeyId> resolve_key_id(const ShareStore& store, std::string_view text) {
  const bool hex = !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  });
  if (!hex) return make_error(ErrorKind::InvalidInput, "expected a key id (hex)");
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.size() < 8) return make_error(ErrorKind::InvalidInput, "give at least 8 hex digits of the key id");
  TSIGN_TRY(std::vector<KeyId> keys, store.keys());
  std::vector<KeyId> matches;
  for (const KeyId& k : keys) {
    if (to_hex(k).compare(0, lower.size(), lower) == 0) matches.push_back(k);
  }
  if (matches.empty()) return make_error(ErrorKind::InvalidInput, "no key " + lower + " in this vault");
  if (matches.size() > 1) return make_error(ErrorKind::InvalidInput, "key id prefix " + lower + " is ambiguous");
  return matches.front();
}

Result<ShareHeader> read_clear_header(const ShareStore& store, const KeyId& key_id) {
  TSIGN_TRY(ShareStore::KeyState state, store.state(key_id));
  if (state.committed.empty() && !state.staged) {
    return make_error(ErrorKind::InvalidInput, "no share of key " + to_hex(key_id));
  }
  return store.read_header(key_id, state.committed.empty());
}

}  // namespace tsign
