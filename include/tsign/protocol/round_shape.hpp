#pragma once
// The shape of a protocol: what each other party sends this party in each round. It is fixed
// when the protocol is made, so the engine can file a message that arrives early and refuse one
// the protocol does not expect, and so composed protocols add up their shapes.
#include <cstddef>
#include <vector>

#include "tsign/protocol/round.hpp"

namespace tsign {

class RoundShape {
 public:
  RoundShape() = default;
  explicit RoundShape(std::size_t rounds) : rounds_(rounds) {}
  // `rounds` rounds in each of which every party of `senders` sends `spec`.
  static RoundShape uniform(std::size_t rounds, const std::vector<PartyId>& senders, RoundSpec spec);

  std::size_t round_count() const { return rounds_.size(); }
  // In `round`, every party of `senders` sends `spec` (added to what was expected before).
  RoundShape& expect(std::size_t round, const std::vector<PartyId>& senders, RoundSpec spec);
  RoundSpec expects_from(std::size_t round, PartyId sender) const;

  // The largest payload the protocol sends in one message; the engine refuses a larger one from a
  // peer, naming it. Unbounded unless declared.
  RoundShape& bounded(std::size_t max_message_size) {
    max_message_size_ = max_message_size;
    return *this;
  }
  std::size_t max_message_size() const { return max_message_size_; }

  // The broadcasts of `round` are checked one by one against agreed state, so the parties need
  // not agree on them (RoundProtocol::needs_agreement): no echo step, no broadcast signature.
  RoundShape& checked_individually(std::size_t round);
  bool needs_agreement(std::size_t round) const;

  // This shape's rounds, then `next`'s (the larger bound of the two).
  RoundShape then(const RoundShape& next) const;
  // Both shapes in the same rounds (as long as the longer of the two); a message carries both
  // parts, each with a length prefix, so the bound is the sum and the framing.
  RoundShape alongside(const RoundShape& other) const;

  bool operator==(const RoundShape&) const = default;

 private:
  struct Round {
    std::vector<PartyId> broadcast;  // ascending
    std::vector<PartyId> direct;     // ascending
    bool checked_individually = false;
    bool operator==(const Round&) const = default;
  };
  static void add(std::vector<PartyId>& set, const std::vector<PartyId>& more);

  std::vector<Round> rounds_;
  std::size_t max_message_size_ = kUnboundedMessageSize;
};

}  // namespace tsign
