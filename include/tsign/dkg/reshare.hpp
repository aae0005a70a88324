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
#include <optional>

#include "tsign/protocol/session_id.hpp"
#include "tsign/keys/key_share.hpp"
#include "tsign/protocol/protocol.hpp"

namespace tsign {

struct ReshareConfig {
  SessionId session{};
  std::vector<PartyId> old_quorum;   // holders of the current epoch that deal, ascending, >= t
  std::vector<PartyId> new_parties;  // the new committee, ascending
  std::uint32_t new_threshold = 0;   // t', with 2 <= t' <= n'
};

// Output: for a receiver, its share of the new epoch; for a dealer that is not a receiver,
// nullopt (once it finished, its old share may be deleted).
template <PrimeOrderGroup G>
class ReshareProtocol final : public StateProtocol<std::optional<KeyShare<G>>> {
 public:
  static constexpr std::size_t kRounds = 3;

  // A holder of the current epoch: a dealer if it is in the old quorum, a receiver if it is in
  // the new committee (it may be both, and must be one of them).
  static Result<ReshareProtocol> create(const KeyShare<G>& share, ReshareConfig config);
  // A member of the new committee that holds no share of this key yet. It learns the old public
  // data from the dealers and accepts it only for the key it expects.
  static Result<ReshareProtocol> join(PartyId self, const KeyId& key_id, const typename G::Point& group_public_key,
                                      ReshareConfig config);

  bool is_dealer() const { return dealer_; }
  bool is_receiver() const { return receiver_; }

 private:
  ReshareProtocol(std::string name, PartyId self, std::vector<PartyId> parties, RoundShape shape,
                  std::unique_ptr<ProtocolState<std::optional<KeyShare<G>>>> state, bool dealer, bool receiver)
      : StateProtocol<std::optional<KeyShare<G>>>(std::move(name), self, std::move(parties), std::move(shape),
                                                  std::move(state)),
        dealer_(dealer),
        receiver_(receiver) {}
  static Result<ReshareProtocol> make(PartyId self, const KeyShare<G>* share, const KeyId& key_id,
                                      const typename G::Point& group_public_key, ReshareConfig config);

  bool dealer_ = false;
  bool receiver_ = false;
};

}  // namespace tsign
