#pragma once
// Proactive refresh (Herzberg et al.): the holders re-randomize their shares without changing the
// key, so shares stolen before a refresh are useless with shares taken after it.
//
// Every holder of the key takes part, with the key's threshold (a refresh cannot change it; use
// resharing for that). Rounds:
//   0  broadcast: digest of the key's public data (all must hold the same epoch) and a Feldman
//      commitment to a random polynomial δ_i of degree t-1 with δ_i(0) = 0 (its constant
//      commitment must be the identity); direct: δ_i(j) to each holder j.
//   1  broadcast: echo of round 0 and the new verifying share (s_j + Σ_i δ_i(j))·G.
//   2  broadcast: echo of round 1 and a digest of the new public data (the acknowledgement).
// After round 2 every holder has s'_j = s_j + Σ_i δ_i(j) and X'_k = X_k + Σ_i D_i(k) for every k
// (each claim checked); group key, chain code and key id stay; the epoch increments. Nothing is
// output before every holder acknowledged the same new public data, and the caller's current
// share is never modified: it stays usable if the refresh fails.
//
// Every round's broadcasts are echoed in the next round, so a party that told different parties
// different things is caught inside the protocol; the acknowledgements, being last, are checked
// for consistency by the engine's echo step.
#include "tsign/protocol/session_id.hpp"
#include "tsign/keys/key_share.hpp"
#include "tsign/protocol/protocol.hpp"

namespace tsign {

// Output: the share of the next epoch.
template <PrimeOrderGroup G>
class RefreshProtocol final : public StateProtocol<KeyShare<G>> {
 public:
  static constexpr std::size_t kRounds = 3;

  static Result<RefreshProtocol> create(const KeyShare<G>& share, const SessionId& session);

 private:
  using StateProtocol<KeyShare<G>>::StateProtocol;
};

}  // namespace tsign
