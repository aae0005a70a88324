#pragma once
// How a vault reaches the other parties of an operation: a Transport for each session it runs
// (the protocol's own, then the commit barrier's), the engine's options, and an optional sink for
// progress lines. TcpPeerLink serves it from a TcpNode; any other transport (a broker, an
// in-process hub) implements open_session the same way.
//
// identity_keys holds every party's identity public key (the cluster's audit keys). A vault signs
// its broadcasts with its identity key and checks the others' against these keys (see
// net/broadcast_keys.hpp), so a vault refuses to run over a link that lacks them.
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "tsign/core/identity_key.hpp"
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
  std::map<PartyId, ByteArray<32>> identity_keys;    // by party; see above

  // Runs `protocol`, reporting each round; a timeout's message says what usually causes one
  // (participants that disagree on an argument derive different sessions). `session` is what
  // the parties derived alike from the request; the protocol runs under a fresh id made from it
  // (FreshSessionProtocol), so no two runs of one request share a session.
  Status run(RoundProtocol& protocol, const SessionId& session, std::string_view label);
  // Tells the other parties of `protocol` at once that this party will not take part.
  void decline(RoundProtocol& protocol, const SessionId& session, const Error& reason);
  void report(const std::string& line) const {
    if (progress) progress(line);
  }

 protected:
  // Set by a link that signs broadcasts (SigningPeerLink): run() then signs with it and checks
  // the others against identity_keys.
  const IdentityKey* signer_ = nullptr;

 private:
  Status run_once(RoundProtocol& protocol, const SessionId& session, std::string_view label);
};

// Another link's sessions, options and keys, with this party's broadcasts signed by `signer`. A
// vault runs every operation through one, over the link its caller gave it.
class SigningPeerLink final : public PeerLink {
 public:
  SigningPeerLink(PeerLink& inner, const IdentityKey& signer);
  PartyId self() const override { return inner_.self(); }
  Result<std::unique_ptr<Transport>> open_session(const SessionId& session) override {
    return inner_.open_session(session);
  }

 private:
  PeerLink& inner_;
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
