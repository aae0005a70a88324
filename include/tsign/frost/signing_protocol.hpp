#pragma once
// FROST signing as a RoundProtocol, so the engine can run it peer to peer with no coordinator:
//   round 0: every signer broadcasts its commitments;
//   round 1: every signer assembles the signing package from the broadcasts, signs, and
//            broadcasts its signature share;
//   then every signer aggregates and verifies, naming every signer whose share is wrong.
// The message, the signer set and the Taproot tweak are fixed at construction, so a peer cannot
// steer them. Each party derives the package and the group commitment once for both steps.
#include <string>

#include "tsign/frost/aggregate.hpp"
#include "tsign/frost/sign.hpp"
#include "tsign/protocol/protocol.hpp"

namespace tsign::frost {

// Output: the verified signature.
template <FrostCiphersuite C>
class SigningProtocol final : public StateProtocol<Signature<C>> {
 public:
  static constexpr std::size_t kRounds = 2;
  static constexpr std::size_t kMaxMessageSize = 1024;

  // `signers` must include key.self, hold at least t known holders and name each once; the name
  // is e.g. "frost_secp256k1/sign".
  static Result<SigningProtocol> create(KeyShare<typename C::Group> key, std::vector<PartyId> signers, Bytes message,
                                       TaprootTweak taproot = {});

 private:
  using StateProtocol<Signature<C>>::StateProtocol;
};

}  // namespace tsign::frost
