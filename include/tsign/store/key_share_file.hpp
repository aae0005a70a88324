#pragma once
// Persisting a KeyShare<G> (keys/key_share.hpp) in a ShareStore: the clear header is taken from the
// share itself, and a share read back must agree with the header it was sealed under.
#include <cstdint>
#include <limits>

#include "tsign/keys/key_share.hpp"
#include "tsign/store/share_store.hpp"

namespace tsign {

// The group a suite's shares live in: "secp256k1" or "ed25519".
constexpr std::string_view share_suite_group(ShareSuite suite) {
  return suite == ShareSuite::FrostEd25519 ? std::string_view("ed25519") : std::string_view("secp256k1");
}

template <PrimeOrderGroup G>
Result<ShareHeader> share_header_of(const KeyShare<G>& share, ShareSuite suite) {
  if (share_suite_group(suite) != G::kName) {
    return make_error(ErrorKind::InvalidInput, std::string(to_string(suite)) + " shares are not " + std::string(G::kName));
  }
  constexpr auto kMax = std::numeric_limits<std::uint16_t>::max();
  if (share.threshold > kMax || share.parties.size() > kMax) {
    return make_error(ErrorKind::InvalidInput, "share files hold at most 65535 parties");
  }
  ShareHeader h;
  h.key_id = share.key_id;
  h.party_id = share.self;
  h.epoch = share.epoch;
  h.suite = suite;
  h.threshold = static_cast<std::uint16_t>(share.threshold);
  h.parties = static_cast<std::uint16_t>(share.parties.size());
  TSIGN_CHECK(validate(h));
  return h;
}

// Stages the share's epoch; commit it with store.commit(share.key_id, share.epoch).
template <PrimeOrderGroup G>
Status stage_key_share(ShareStore& store, const KeyShare<G>& share, ShareSuite suite, KeyProtector& protector) {
  TSIGN_TRY(ShareHeader header, share_header_of(share, suite));
  const SecretBytes bytes = share.encode();
  return store.stage(header, bytes.expose(), protector);
}

// Decodes (and validates) the share and checks it against its file header.
template <PrimeOrderGroup G>
Result<KeyShare<G>> decode_key_share(const UnsealedShare& unsealed) {
  if (share_suite_group(unsealed.header.suite) != G::kName) {
    return make_error(ErrorKind::InvalidInput, std::string("the file holds a ") + to_string(unsealed.header.suite) +
                                                   " share, not a " + std::string(G::kName) + " one");
  }
  TSIGN_TRY(KeyShare<G> share, KeyShare<G>::decode(unsealed.share.expose()));
  const ShareHeader& h = unsealed.header;
  if (share.key_id != h.key_id || share.self != h.party_id || share.epoch != h.epoch ||
      share.threshold != h.threshold || share.parties.size() != h.parties) {
    return make_error(ErrorKind::InvalidKeyShare, "key share disagrees with the header it was sealed under");
  }
  return share;
}

template <PrimeOrderGroup G>
Result<KeyShare<G>> load_key_share(const ShareStore& store, const KeyId& key_id, KeyProtector& protector) {
  TSIGN_TRY(UnsealedShare unsealed, store.load(key_id, protector));
  return decode_key_share<G>(unsealed);
}

}  // namespace tsign
