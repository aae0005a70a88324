#pragma once
// A node: one party's endpoint on a network, serving any number of concurrent sessions over one
// link per peer (TcpNode; NatsNode in the broker layer). Code that runs sessions takes a
// SessionNode and works over either.
#include <chrono>
#include <memory>
#include <string>

#include "tsign/core/result.hpp"
#include "tsign/net/engine.hpp"
#include "tsign/net/transport.hpp"
#include "tsign/protocol/session_id.hpp"

namespace tsign {

class SessionNode {
 public:
  virtual ~SessionNode() = default;

  virtual PartyId self() const = 0;
  // A Transport for one session. One view per session id at a time; closing the view (destroying
  // it) ends the session here.
  virtual Result<std::unique_ptr<Transport>> open_session(const SessionId& session) = 0;
  // What this node knows of its link to a peer ("connected", or why not).
  virtual std::string peer_status(PartyId peer) const = 0;
  // Waits until every peer has acknowledged every message queued for it so far, or until
  // `timeout` passes (Timeout naming the peers still owing). A process calls it before it exits,
  // so that the last messages of a session do not die with it.
  virtual Status flush(std::chrono::milliseconds timeout) = 0;
};

// The single call for one party over a node: opens the session, runs the protocol to its end,
// closes the session (run_protocol also hands out the protocol's output).
Status run_session(RoundProtocol& protocol, SessionNode& node, const SessionId& session, const EngineOptions& options = {});

template <class Output>
Result<Output> run_protocol(Protocol<Output>& protocol, SessionNode& node, const SessionId& session,
                            const EngineOptions& options = {}) {
  TSIGN_CHECK(run_session(protocol, node, session, options));
  return protocol.take_output();
}

}  // namespace tsign
