#pragma once
// What every signer of one signature must agree on: the message, each signer's round-1
// commitments and, for the TR suite, the Taproot tweak. A coordinator hands it out; in the
// peer-to-peer flow each signer assembles it from the broadcasts.
#include <vector>

#include "tsign/frost/commitments.hpp"
#include "tsign/frost/taproot.hpp"

namespace tsign::frost {

template <FrostCiphersuite C>
struct SigningPackage {
  static constexpr std::uint32_t kMaxSigners = 10000;
  static constexpr std::size_t kMaxMessageSize = std::size_t{1} << 20;

  Bytes message;
  std::vector<SigningCommitments<C>> commitments;  // one per signer, any order in memory
  TaprootTweak taproot;                            // TR suite only; stays none for the others

  // The signers' identifiers, ascending.
  std::vector<PartyId> signers() const;
  const SigningCommitments<C>* find(PartyId id) const;

  // Header ‖ message ‖ [tweak, TR only] ‖ commitments in ascending identifier order.
  Bytes encode() const;
  // Strict: limits, identifiers strictly ascending (so no duplicates), canonical non-identity
  // points, no tweak for the suites without one.
  static Result<SigningPackage> decode(ByteSpan bytes);
};

}  // namespace tsign::frost
