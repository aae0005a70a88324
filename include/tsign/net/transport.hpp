#pragma once
// What the engine needs from a network: who we are, send bytes to one party, and wait for the
// next bytes until a deadline. Everything else (sessions, rounds, duplicates, echo broadcast,
// deadlines, blame) is the engine's job, so a transport over a message queue or a relay server
// fits in about a hundred lines (see examples/custom_transport.cpp).
#include <chrono>
#include <optional>
#include <string>

#include "tsign/core/bytes.hpp"
#include "tsign/core/result.hpp"

namespace tsign {

struct IncomingMessage {
  // The sender as the transport authenticated it (a pinned key, a mutually authenticated
  // channel). The engine trusts this id and checks the envelope against it, so a transport that
  // cannot authenticate senders makes every blame the engine reports unreliable.
  PartyId from = 0;
  Bytes data;
};

class Transport {
 public:
  using Clock = std::chrono::steady_clock;

  virtual ~Transport() = default;

  virtual PartyId self() const = 0;
  // Queues `data` for `to` and returns without waiting for delivery. An error means the message
  // can never be delivered (unknown party, transport shut down); a message lost in flight is
  // found by the engine's deadlines instead.
  virtual Status send(PartyId to, Bytes data) = 0;
  // The next message, or nullopt once `deadline` passes with nothing received. An error means the
  // transport itself failed and the session cannot continue.
  virtual Result<std::optional<IncomingMessage>> receive(Clock::time_point deadline) = 0;
  // Optional note on a peer's link ("handshake rejected", "connection refused"), which the
  // engine adds to a timeout error that names that peer.
  virtual std::string peer_status(PartyId) const { return {}; }
  // Optional: true once the link to a peer has been down longer than the transport's redial
  // window. When every party a step waits for is unreachable, the engine ends the step at once
  // with its usual Timeout error instead of waiting out the round timeout.
  virtual bool peer_unreachable(PartyId) const { return false; }
};

}  // namespace tsign
