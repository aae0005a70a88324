#include "network.hpp"

#include "confirm_protocol.hpp"
#include "parse.hpp"

namespace tsign::cli {

namespace {

// Forwards to a protocol and reports each round on stderr.
class ProgressProtocol final : public RoundProtocol {
 public:
  ProgressProtocol(RoundProtocol& inner, const Progress& progress, std::string label)
      : inner_(inner), progress_(progress), label_(std::move(label)) {}

  std::string_view name() const override { return inner_.name(); }
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
    progress_.line(label_ + ": round " + std::to_string(round + 1) + " of " + std::to_string(round_count()));
  }
  RoundProtocol& inner_;
  const Progress& progress_;
  std::string label_;
};

constexpr std::chrono::milliseconds kFlushTimeout{5000};

}  // namespace

Result<Network> Network::start(const Cluster& cluster, PartyId self, const X25519KeyPair& transport_key,
                               std::vector<PartyId> participants, const NetworkOptions& options,
                               const Progress& progress) {
  TSIGN_TRY(PartyConfig config, network_config(cluster, self, transport_key, participants));
  if (options.listen) {
    config.listen_host = options.listen->first;
    config.listen_port = options.listen->second;
  }
  const std::string where = config.listen_host + ":" + std::to_string(config.listen_port);
  TSIGN_TRY(std::unique_ptr<TcpNode> node, TcpNode::start(std::move(config)));
  progress.line("party " + std::to_string(self) + " listening on " + where + "; participants " +
                join_parties(participants));
  return Network(std::move(node), std::move(participants), options, progress);
}

Network::~Network() {
  if (node_) (void)node_->flush(kFlushTimeout);
}

Status Network::run(RoundProtocol& protocol, const SessionId& session, const std::string& label) {
  ProgressProtocol wrapped(protocol, progress_, label);
  EngineOptions engine;
  engine.round_timeout = options_.round_timeout;
  Status status = run_session(wrapped, *node_, session, engine);
  if (!status && status.error().kind == ErrorKind::Timeout) {
    // Parties that disagree on any argument derive different session ids and never meet.
    Error e = status.error();
    e.message += " (is every participant running the same command with the same arguments and --session?)";
    return e;
  }
  return status;
}

Status Network::confirm(const SessionId& session, const Digest32& value, const std::string& label) {
  ConfirmProtocol protocol(node_->self(), participants_, value);
  progress_.line(label + ": confirming with every party that the new share is stored");
  EngineOptions engine;
  engine.round_timeout = options_.round_timeout;
  return run_session(protocol, *node_, session, engine);
}

void Network::decline(RoundProtocol& protocol, const SessionId& session, const Error& reason) {
  auto transport = node_->open_session(session);
  if (!transport) return;
  decline_protocol(protocol, **transport, session, reason);
}

}  // namespace tsign::cli
