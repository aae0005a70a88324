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
#include <optional>
#include <vector>

#include "tsign/core/bytes.hpp"
#include "tsign/core/hash.hpp"
#include "tsign/protocol/round.hpp"
#include "tsign/protocol/session_id.hpp"

namespace tsign {

class CoinTossProtocol final : public RoundProtocol {
 public:
  static constexpr std::string_view kName = "net/coin-toss";

  // A fresh random contribution.
  CoinTossProtocol(const SessionId& session, PartyId self, std::vector<PartyId> parties);
  // A given contribution, so a test can predict the value.
  CoinTossProtocol(const SessionId& session, PartyId self, std::vector<PartyId> parties, const ByteArray<32>& contribution);

  std::string_view name() const override { return kName; }
  PartyId self() const override { return self_; }
  const std::vector<PartyId>& parties() const override { return parties_; }
  std::size_t round_count() const override { return 3; }
  RoundSpec expects_from(std::size_t round, PartyId sender) const override;
  Result<std::vector<OutgoingMessage>> start() override;
  Result<std::vector<OutgoingMessage>> advance(std::size_t round, const RoundMessages& in) override;

  // The agreed value, once the last round has been accepted.
  const std::optional<Digest32>& value() const { return value_; }

  // The value a session produces from these contributions (for tests).
  static Digest32 expected_value(const SessionId& session, const std::map<PartyId, ByteArray<32>>& contributions);

 private:
  Digest32 commitment(PartyId party, ByteSpan contribution, ByteSpan salt) const;

  SessionId session_;
  PartyId self_;
  std::vector<PartyId> parties_;
  ByteArray<32> contribution_;
  ByteArray<32> salt_;
  std::map<PartyId, Digest32> commitments_;
  Digest32 computed_{};
  std::optional<Digest32> value_;
};

}  // namespace tsign
