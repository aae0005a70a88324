#pragma once
// The life of an ECDSA key: generation, refresh and resharing, each one protocol that runs a key
// protocol of dkg/ and, side by side, the pairwise setup DKLs23 signing needs between every two
// holders (OT-extension setup in both directions and a zero-sharing seed).
//
// It is composed from the protocol kit (src/protocol/compose.hpp):
//   sequence(parallel(key protocol, pairwise setup), confirmation)
//
// Rounds (five in every variant):
//   0..3  the parallel part. Every message, broadcast or direct, is one packed payload
//           0x50 | flags (1: key protocol part, 2: setup part) | u32 length, key part | u32 length, setup part
//         carrying exactly the parts the receiver expects from that sender in that round
//         (anything else is refused and names the sender). The key protocol's rounds are 0..2 or
//         fewer; the setup's are 0..3 (see src/ecdsa/pair_setup.hpp: base OTs one way, the
//         reverse direction by OT extension, a seed contribution each way).
//   4     broadcast: a confirmation that every check of rounds 0..3 passed at its sender,
//           0x51 | SHA-256 tagged "tsign/protocol/confirm" of (session, sender)
// Neither the session nor the round is repeated inside the payload: the engine's envelope binds
// every message to its session, round and sender, and each part keeps its own session binding.
// Nothing is output before every party confirmed, so a party that aborts in round 3 (the last
// setup message) cannot leave the others holding a key it has no pair state for.
//
// Refresh and resharing do not carry the old OT state along: they build fresh pair state, which
// also re-enables a pair disabled by a failed multiplication. rebuild_pairs() does only that for
// a key share the holders already agree on (after a plain dkg/ refresh or a repair); it runs the
// setup alone in rounds 0..3.
//
// The output is std::optional<EcdsaKeyShare>: empty only for a resharing dealer that is not in
// the new committee (produces_share() says so up front).
#include <memory>
#include <optional>

#include "tsign/dkg/dkg.hpp"
#include "tsign/dkg/reshare.hpp"
#include "tsign/ecdsa/key_share.hpp"
#include "tsign/protocol/protocol.hpp"

namespace tsign {

class EcdsaKeyProtocol final : public StateProtocol<std::optional<EcdsaKeyShare>> {
 public:
  static constexpr std::size_t kRounds = 5;
  static constexpr std::string_view kName = "ecdsa/key";

  // Distributed key generation (FROST(secp256k1)'s DKG with a committed chain code).
  static Result<EcdsaKeyProtocol> keygen(PartyId self, DkgConfig config);
  // Proactive refresh among every holder; the key, chain code and key id stay.
  static Result<EcdsaKeyProtocol> refresh(const EcdsaKeyShare& share, const SessionId& session);
  // Resharing to a new committee (see dkg/reshare.hpp); only new holders get pair state.
  static Result<EcdsaKeyProtocol> reshare(const EcdsaKeyShare& share, ReshareConfig config);
  // A member of the new committee that holds no share of this key yet.
  static Result<EcdsaKeyProtocol> join(PartyId self, const KeyId& key_id, const Secp256k1Point& group_public_key,
                                       ReshareConfig config);
  // Fresh pair state for a key share every holder already has (all holders take part).
  static Result<EcdsaKeyProtocol> rebuild_pairs(const KeyShare<Secp256k1>& share, const SessionId& session);

  // False for a resharing dealer that is not in the new committee (its output is empty).
  bool produces_share() const { return produces_share_; }

 private:
  EcdsaKeyProtocol(PartyId self, std::vector<PartyId> parties, RoundShape shape,
                   std::unique_ptr<ProtocolState<std::optional<EcdsaKeyShare>>> state, bool produces_share)
      : StateProtocol(std::string(kName), self, std::move(parties), std::move(shape), std::move(state)),
        produces_share_(produces_share) {}
  friend struct EcdsaKeyProtocolMaker;

  bool produces_share_ = true;
};

}  // namespace tsign
