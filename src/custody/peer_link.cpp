#include "tsign/custody/peer_link.hpp"

namespace tsign {

namespace {

// Forwards to a protocol and reports each round.
class ProgressProtocol final : public RoundProtocol {
 public:
  ProgressProtocol(RoundProtocol& inner, const PeerLink& link, std::string label)
      : inner_(inner), link_(link), label_(std::move(label)) {}

  std::string_view name() const override { return inner_.name(); }
  std::size_t max_message_size() const override { return inner_.max_message_size(); }
  PartyId self() const override { return inner_.self(); }
  const std::vector<PartyId>& parties() const override { return inner_.parties(); }
  std::size_t round_count() const override { return inner_.round_count(); }
  RoundSpec expects_from(std::size_t round, PartyId sender) const override { return inner_.expects_from(round, sender); }

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
  RoundProtocol& inner_;
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
  BroadcastKeys keys{signer_, identity_keys};
  if (signer_ && identity_keys.empty()) {
    return make_error(ErrorKind::InvalidInput, std::string(label) +
                                                   ": the peer link has no identity keys of the parties (PeerLink::identity_keys,"
                                                   " from the cluster configuration): broadcasts could not be checked");
  }
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
  auto transport = open_session(session);
  if (!transport) return;
  decline_protocol(protocol, **transport, session, reason);
}

}  // namespace tsign
