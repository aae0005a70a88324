#pragma once
// RFC-style views of key material (as in ZcashFoundation/frost): a KeyPackage holds what one
// signer needs, a PublicKeyPackage what a coordinator needs to aggregate and to blame. Both are
// derived from a KeyShare, the form tsign stores; key_share_from_packages imports keys made
// elsewhere.
#include <map>

#include "tsign/frost/ciphersuite.hpp"
#include "tsign/keys/key_share.hpp"

namespace tsign::frost {

template <FrostCiphersuite C>
struct KeyPackage {
  using Scalar = typename C::Scalar;
  using Point = typename C::Point;

  PartyId identifier = 0;
  Secret<Scalar> signing_share;
  Point verifying_share;
  Point verifying_key;  // the group key (untweaked)
  std::uint32_t min_signers = 0;

  static KeyPackage from_key_share(const KeyShare<typename C::Group>& key);

  // Holds the secret share: seal it before it touches a disk.
  SecretBytes encode() const;
  // Strict; also checks signing_share·G == verifying_share.
  static Result<KeyPackage> decode(ByteSpan bytes);
};

template <FrostCiphersuite C>
struct PublicKeyPackage {
  using Point = typename C::Point;
  static constexpr std::uint32_t kMaxParties = 10000;

  std::map<PartyId, Point> verifying_shares;  // every holder's share·G
  Point verifying_key;                        // the group key (untweaked)
  std::uint32_t min_signers = 0;

  static PublicKeyPackage from_key_share(const KeyShare<typename C::Group>& key);

  Bytes encode() const;
  // Strict; also checks 1 <= min_signers <= holders and that the first min_signers verifying
  // shares interpolate to the group key.
  static Result<PublicKeyPackage> decode(ByteSpan bytes);
};

// A KeyShare from the two packages (for keys made by another FROST implementation). The key id
// is derived from the group key; epoch 0.
template <FrostCiphersuite C>
Result<KeyShare<typename C::Group>> key_share_from_packages(const KeyPackage<C>& key, const PublicKeyPackage<C>& pub,
                                                           const ByteArray<32>& chain_code = {});

}  // namespace tsign::frost
