#pragma once
// Repair of a lost share: ZcashFoundation/frost's repairable threshold scheme (Laing–Stinson,
// eprint 2017/1155). A set of at least t helpers gives the recovering party its share back;
// no helper learns it, and the recovering party learns nothing but its share.
//
// Each helper i splits ζ_i·s_i (ζ_i its Lagrange coefficient over the helpers, evaluated at the
// recovering party's identifier) into random deltas δ_ij, one per helper j; helper j sums what it
// received into σ_j; the recovering party sums the σ_j into its share. The steps are the
// functions below (ZF's repair_share_step_1..3); RepairProtocol runs them as a protocol and makes
// them verifiable: each helper also broadcasts D_ij = δ_ij·G, so that
//   Σ_j D_ij = ζ_i·X_i       (checked by everyone: helper i split its own share),
//   δ_ij·G = D_ij            (checked by helper j: i sent j what it committed to),
//   σ_j·G = Σ_i D_ij         (checked by the recovering party: j summed honestly),
// and every faulty helper is named. Rounds:
//   0  each helper broadcasts the key's public data and its D_ij; direct: δ_ij to each helper j.
//   1  everyone broadcasts an echo of round 0; each helper sends σ_j to the recovering party.
// The recovering party accepts the public data presented by the helpers only for the key and
// epoch it expects, and its result only if it matches its verifying share of that epoch.
#include <map>
#include <memory>
#include <optional>
#include <span>

#include "tsign/protocol/session_id.hpp"
#include "tsign/keys/key_share.hpp"
#include "tsign/protocol/protocol.hpp"

namespace tsign {

// Helper `helper`'s deltas for every helper (itself included): random, except the last helper's
// (in ascending order), which makes them sum to ζ·share. Needs at least two distinct helpers.
template <PrimeOrderGroup G>
Result<std::map<PartyId, typename G::Scalar>> repair_share_step_1(std::span<const PartyId> helpers, PartyId helper,
                                                                  const typename G::Scalar& share, PartyId recovering);
// A helper's sigma: the sum of the deltas it received (its own included).
template <PrimeOrderGroup G>
typename G::Scalar repair_share_step_2(std::span<const typename G::Scalar> deltas);
// The recovered share: the sum of the helpers' sigmas.
template <PrimeOrderGroup G>
typename G::Scalar repair_share_step_3(std::span<const typename G::Scalar> sigmas);

struct RepairConfig {
  SessionId session{};
  std::vector<PartyId> helpers;  // holders that help, ascending, at least the key's threshold
  PartyId recovering = 0;        // the holder whose share was lost
};

// Output: for the recovering party, its share of the epoch; for a helper, nullopt.
template <PrimeOrderGroup G>
class RepairProtocol final : public StateProtocol<std::optional<KeyShare<G>>> {
 public:
  static constexpr std::size_t kRounds = 2;

  static Result<RepairProtocol> help(const KeyShare<G>& share, RepairConfig config);
  // The party that lost its share: it knows which key and which epoch it held a share of.
  static Result<RepairProtocol> recover(PartyId self, const KeyId& key_id, std::uint64_t epoch, RepairConfig config);

 private:
  using StateProtocol<std::optional<KeyShare<G>>>::StateProtocol;
};

}  // namespace tsign
