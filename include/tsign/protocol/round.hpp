#pragma once
// The interface every tsign protocol implements so that one engine can drive it over any
// transport. A protocol is a pure state machine: it never touches a socket or a clock.
#include <cstddef>
#include <map>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "tsign/core/bytes.hpp"
#include "tsign/core/result.hpp"

namespace tsign {

// A message a protocol emits in a round: to one party, or to every other party.
struct OutgoingMessage {
  std::optional<PartyId> to;  // nullopt: a broadcast
  Bytes payload;
};
using Outgoing = std::vector<OutgoingMessage>;

inline OutgoingMessage broadcast(Bytes payload) { return {std::nullopt, std::move(payload)}; }
inline OutgoingMessage direct(PartyId to, Bytes payload) { return {to, std::move(payload)}; }

// Everything one party received in a round, keyed by sender (never this party itself: a protocol
// keeps its own messages). The engine delivers a round only when it holds every message that
// expects_from() announced, each broadcast checked by the echo step.
struct RoundMessages {
  std::map<PartyId, Bytes> broadcast;
  std::map<PartyId, Bytes> direct;
};

// What one sender sends to this party in one round.
struct RoundSpec {
  bool broadcast = false;
  bool direct = false;
  bool any() const { return broadcast || direct; }
  bool operator==(const RoundSpec&) const = default;
};

// A protocol that does not declare its largest message.
inline constexpr std::size_t kUnboundedMessageSize = static_cast<std::size_t>(-1);

class RoundProtocol {
 public:
  virtual ~RoundProtocol() = default;

  // Short protocol name, e.g. "dkg/secp256k1"; bound into the engine's session transcript.
  virtual std::string_view name() const = 0;
  virtual PartyId self() const = 0;
  // Every party of the session, this one included, in ascending order.
  virtual const std::vector<PartyId>& parties() const = 0;
  virtual std::size_t round_count() const = 0;
  // What `sender` (another party) sends to this party in `round` (0-based, < round_count()).
  // The shape of the protocol, fixed from construction: the engine asks about any round at any
  // time (to file early messages) and rejects a message this does not announce.
  virtual RoundSpec expects_from(std::size_t round, PartyId sender) const = 0;
  // The largest payload this protocol sends in one message: the engine refuses a larger one from a
  // peer before the protocol sees it, and names the sender.
  virtual std::size_t max_message_size() const { return kUnboundedMessageSize; }
  // Whether the parties must agree on the broadcasts of `round` (the engine's echo step, with
  // signed broadcasts). A round whose every copy is checked on its own against state the parties
  // already agree on needs no agreement: a bad copy names its sender wherever it arrives, and two
  // copies that pass are equal (FROST's signature shares, bound to the agreed commitments).
  virtual bool needs_agreement(std::size_t /*round*/) const { return true; }

  // This party's messages of round 0: at most one broadcast and one direct message per party.
  virtual Result<std::vector<OutgoingMessage>> start() = 0;
  // Consumes all messages of `round` and returns this party's messages of round + 1 (none after
  // the last round, when the protocol's output becomes available from the concrete type).
  // An error with culprits aborts the session and names them.
  virtual Result<std::vector<OutgoingMessage>> advance(std::size_t round, const RoundMessages& in) = 0;
};

}  // namespace tsign
