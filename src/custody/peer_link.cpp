#include "tsign/custody/peer_link.hpp"

#include "tsign/protocol/forwarding.hpp"
#include "tsign/protocol/fresh_session.hpp"

namespace tsign {

namespace {

// Forwards to a protocol and reports each round.
class ProgressProtocol final : public ForwardingProtocol {
 public:
  ProgressProtocol(RoundProtocol& inner, const PeerLink& link, std::string label)
      : ForwardingProtocol(inner), link_(link), label_(std::move(label)) {}

  Result<std::vector<OutgoingMessage>> start() override {
    report(0);
    return inner_.start();
  }
  Result<std::vector<OutgoingMessage>> advance(std::size_t round, const RoundMessages& in) override {
    auto out = inner_.advance(round, in);
    if (out && round + 1 < round_count()) report(round + 1);
    return out;
  }

 private:
  void report(std::size_t round) const {
    link_.report(label_ + ": round " + std::to_string(round + 1) + " of " + std::to_string(round_count()));
  }
  const PeerLink& link_;
  std::string label_;
};

}  // namespace

SigningPeerLink::SigningPeerLink(PeerLink& inner, const IdentityKey& signer) : inner_(inner) {
  engine = inner.engine;
  progress = inner.progress;
  identity_keys = inner.identity_keys;
  signer_ = &signer;
}

Status PeerLink::run(RoundProtocol& protocol, const SessionId& session, std::string_view label) {
  if (signer_ && identity_keys.empty()) {
    return make_error(ErrorKind::InvalidInput, std::string(label) +
                                                   ": the peer link has no identity keys of the parties (PeerLink::identity_keys,"
                                                   " from the cluster configuration): broadcasts could not be checked");
  }
  TSIGN_TRY(auto fresh, FreshSessionProtocol::create(session, protocol.self(), protocol.parties()));
  std::string fresh_label(label);
  fresh_label += ", session id";
  TSIGN_CHECK(run_once(fresh, session, fresh_label));
  TSIGN_TRY(const SessionId fresh_session, fresh.take_output());
  return run_once(protocol, fresh_session, label);
}

Status PeerLink::run_once(RoundProtocol& protocol, const SessionId& session, std::string_view label) {
  BroadcastKeys keys{signer_, identity_keys};
  TSIGN_TRY(std::unique_ptr<Transport> transport, open_session(session));
  Status status = [&] {
    EngineOptions options = engine;
    if (signer_) options.broadcast_keys = &keys;
    if (!progress) return run_session(protocol, *transport, session, options);
    ProgressProtocol wrapped(protocol, *this, std::string(label));
    options.on_waiting = [this, label = std::string(label)](const std::vector<PartyId>& missing) {
      std::string who;
      for (PartyId p : missing) who += (who.empty() ? "" : ",") + std::to_string(p);
      if (!who.empty()) report(label + ": waiting for parties " + who);
    };
    return run_session(wrapped, *transport, session, options);
  }();
  if (!status && status.error().kind == ErrorKind::Timeout) {
    Error e = status.error();
    e.message += " (is every participant running the same operation with the same arguments and session label?)";
    return e;
  }
  return status;
}

void PeerLink::decline(RoundProtocol& protocol, const SessionId& session, const Error& reason) {
  // The others wait in the step that makes the session id fresh: the decline goes there.
  auto fresh = FreshSessionProtocol::create(session, protocol.self(), protocol.parties());
  auto transport = open_session(session);
  if (!fresh || !transport) return;
  decline_protocol(*fresh, **transport, session, reason);
}

}  // namespace tsign
