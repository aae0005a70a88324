#pragma once
// The life of an ECDSA key: generation, refresh and resharing, each one RoundProtocol that runs a
// key protocol of dkg/ and, side by side, the pairwise setup DKLs23 signing needs between every
// two holders (OT-extension setup in both directions and a zero-sharing seed).
//
// Rounds (five in every variant):
//   0..3  the inner key protocol's messages (rounds 0..2, or fewer); each direct message also
//         carries the pairwise setup message of that round, if any (see src/ecdsa/pair_setup.hpp:
//         base OTs one way, the reverse direction by OT extension, a seed contribution each way)
//   4     broadcast: a confirmation that every check of rounds 0..3 passed at its sender
// Nothing is output before every party confirmed, so a party that aborts in round 3 (the last
// setup message) cannot leave the others holding a key it has no pair state for.
//
// Refresh and resharing do not carry the old OT state along: they build fresh pair state, which
// also re-enables a pair disabled by a failed multiplication. rebuild_pairs() does only that for
// a key share the holders already agree on (after a plain dkg/ refresh or a repair).
#include <memory>

#include "tsign/dkg/dkg.hpp"
#include "tsign/dkg/reshare.hpp"
#include "tsign/dkg/staged_protocol.hpp"
#include "tsign/ecdsa/key_share.hpp"

namespace tsign {

class EcdsaKeyProtocol final : public StagedProtocol {
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

  ~EcdsaKeyProtocol() override;
  EcdsaKeyProtocol(EcdsaKeyProtocol&&) noexcept;
  EcdsaKeyProtocol& operator=(EcdsaKeyProtocol&&) noexcept;

  std::size_t round_count() const override { return kRounds; }
  RoundSpec expects_from(std::size_t round, PartyId sender) const override;

  // False for a resharing dealer that is not in the new committee.
  bool produces_share() const;
  // The new ECDSA key share once finished; it can be taken once.
  Result<EcdsaKeyShare> take_output();

 private:
  struct State;
  EcdsaKeyProtocol(PartyId self, std::vector<PartyId> parties, std::unique_ptr<State> state);
  static Result<EcdsaKeyProtocol> make(std::unique_ptr<State> state);
  static Result<EcdsaKeyProtocol> reshare_setup(std::unique_ptr<ReshareProtocol<Secp256k1>> inner,
                                                const ReshareConfig& config, const KeyId& key_id,
                                                std::unique_ptr<State> state);
  Result<std::vector<OutgoingMessage>> on_start() override;
  Result<std::vector<OutgoingMessage>> on_round(std::size_t round, const RoundMessages& in) override;
  void wipe() override;

  std::unique_ptr<State> state_;
};

}  // namespace tsign
