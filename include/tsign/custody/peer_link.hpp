#pragma once
// How a vault reaches the other parties of an operation: a Transport for each session it runs
// (the protocol's own, then the commit barrier's), the engine's options, and an optional sink for
// progress lines. TcpPeerLink serves it from a TcpNode; any other transport (a broker, an
// in-process hub) implements open_session the same way.
#include <functional>
#include <memory>
#include <string>

#include "tsign/net/engine.hpp"
#include "tsign/net/tcp_transport.hpp"

namespace tsign {

class PeerLink {
 public:
  virtual ~PeerLink() = default;
  virtual PartyId self() const = 0;
  virtual Result<std::unique_ptr<Transport>> open_session(const SessionId& session) = 0;

  EngineOptions engine;                              // round_timeout, message bound, abort signal
  std::function<void(const std::string&)> progress;  // "keygen: round 2 of 3", ...; optional

  // Runs `protocol` as `session`, reporting each round; a timeout's message says what usually
  // causes one (participants that disagree on an argument derive different sessions).
  Status run(RoundProtocol& protocol, const SessionId& session, std::string_view label);
  // Tells the other parties of `protocol` at once that this party will not take part.
  void decline(RoundProtocol& protocol, const SessionId& session, const Error& reason);
  void report(const std::string& line) const {
    if (progress) progress(line);
  }
};

class TcpPeerLink final : public PeerLink {
 public:
  explicit TcpPeerLink(TcpNode& node) : node_(node) {}
  PartyId self() const override { return node_.self(); }
  Result<std::unique_ptr<Transport>> open_session(const SessionId& session) override {
    return node_.open_session(session);
  }

 private:
  TcpNode& node_;
};

}  // namespace tsign
