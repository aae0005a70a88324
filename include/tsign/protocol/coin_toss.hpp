#pragma once
// A three-round commit-and-reveal coin toss: the parties agree on a 32-byte value none of them
// chose. It uses every path of the engine (a broadcast round with its echo, a direct round, a
// final broadcast), so operators run it to check a cluster's links and keys before a DKG, and
// tests and examples use it as a protocol whose every message is checkable and blameable.
//
//   round 0, broadcast: c_i = H(session, i, x_i, salt_i)
//   round 1, direct to each j: x_i || salt_i, checked against c_i (a mismatch names i)
//   round 2, broadcast: the value H(session, all (j, x_j)); a different value names its sender
#include <map>
#include <vector>

#include "tsign/core/bytes.hpp"
#include "tsign/core/hash.hpp"
#include "tsign/protocol/protocol.hpp"
#include "tsign/protocol/session_id.hpp"

namespace tsign {

// Output: the agreed value.
class CoinTossProtocol final : public StateProtocol<Digest32> {
 public:
  static constexpr std::string_view kName = "net/coin-toss";
  static constexpr std::size_t kRounds = 3;

  // A fresh random contribution. `parties` (in any order) must hold `self`, each party once.
  static Result<CoinTossProtocol> create(const SessionId& session, PartyId self, std::vector<PartyId> parties);
  // A given contribution, so a test can predict the value.
  static Result<CoinTossProtocol> create(const SessionId& session, PartyId self, std::vector<PartyId> parties,
                                         const ByteArray<32>& contribution);

  // The value a session produces from these contributions (for tests).
  static Digest32 expected_value(const SessionId& session, const std::map<PartyId, ByteArray<32>>& contributions);

 private:
  using StateProtocol<Digest32>::StateProtocol;
};

}  // namespace tsign
