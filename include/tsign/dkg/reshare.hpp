#pragma once
// Resharing (Desmedt–Jajodia style, as in tss-lib's ecdsa/resharing): a quorum of at least t
// holders of the current epoch hands the same key to a new committee with its own (t', n'). The
// committees may overlap in any way: parties can be added, removed or replaced, and the
// threshold raised or lowered. The group key, chain code and key id stay; the epoch increments.
//
// Parties: the old quorum Q (dealers) and the new committee N (receivers); a party may be both.
// Rounds:
//   0  each dealer i broadcasts the old epoch's public data and a Feldman commitment G_i to a
//      random polynomial g_i of degree t'-1 with g_i(0) = λ_i·x_i (λ_i over Q); direct: g_i(j)
//      to each receiver j.
//   1  everyone broadcasts an echo of round 0; each receiver also its new verifying share
//      x'_j·G, with x'_j = Σ_i g_i(j).
//   2  everyone broadcasts an echo of round 1 and a digest of the new public data (the
//      acknowledgement).
// Checks: the dealers agree on the old public data (a party without a share accepts it only for
// the key it expects), G_i(0) = λ_i·X_i for each dealer, Σ_i G_i(0) = the group key, each share
// matches its dealer's commitment, each new verifying share matches Σ_i G_i, and every party
// acknowledged the same new public data. Nothing is output before the acknowledgements, so a
// failure at any point leaves the old epoch fully usable; only after a successful run may the
// old shares be deleted.
//
// Every round's broadcasts are echoed in the next round, so a party that told different parties
// different things is caught inside the protocol; the acknowledgements, being last, are checked
// for consistency by the engine's echo step.
#include <memory>

#include "tsign/dkg/messages.hpp"
#include "tsign/dkg/staged_protocol.hpp"
#include "tsign/keys/key_share.hpp"

namespace tsign {

struct ReshareConfig {
  SessionId session{};
  std::vector<PartyId> old_quorum;   // holders of the current epoch that deal, ascending, >= t
  std::vector<PartyId> new_parties;  // the new committee, ascending
  std::uint32_t new_threshold = 0;   // t', with 2 <= t' <= n'
};

template <PrimeOrderGroup G>
class ReshareParty final : public StagedProtocol {
 public:
  static constexpr std::size_t kRounds = 3;

  // A holder of the current epoch: a dealer if it is in the old quorum, a receiver if it is in
  // the new committee (it may be both, and must be one of them).
  static Result<ReshareParty> create(const KeyShare<G>& share, ReshareConfig config);
  // A member of the new committee that holds no share of this key yet. It learns the old public
  // data from the dealers and accepts it only for the key it expects.
  static Result<ReshareParty> join(PartyId self, const KeyId& key_id, const typename G::Point& group_public_key,
                                   ReshareConfig config);
  ~ReshareParty() override;
  ReshareParty(ReshareParty&&) noexcept;
  ReshareParty& operator=(ReshareParty&&) noexcept;

  std::size_t round_count() const override { return kRounds; }
  RoundSpec expects_from(std::size_t round, PartyId sender) const override;

  bool is_dealer() const;
  bool is_receiver() const;
  // For a receiver, once finished: its share of the new epoch; it can be taken once. A dealer
  // that is not a receiver gets nothing: once it finished, its old share may be deleted.
  Result<KeyShare<G>> take_output();

 private:
  struct State;
  ReshareParty(PartyId self, std::vector<PartyId> parties, std::unique_ptr<State> state);
  static Result<ReshareParty> make(PartyId self, const KeyShare<G>* share, const KeyId& key_id,
                                   const typename G::Point& group_public_key, ReshareConfig config);
  Result<std::vector<OutgoingMessage>> on_start() override;
  Result<std::vector<OutgoingMessage>> on_round(std::size_t round, const RoundMessages& in) override;
  void wipe() override;

  std::unique_ptr<State> state_;
};

}  // namespace tsign
