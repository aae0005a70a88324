#include "network.hpp"

#include "parse.hpp"

namespace tsign::cli {

namespace {

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
                format_party_list(participants));
  auto link = std::make_unique<TcpPeerLink>(*node);
  link->engine.round_timeout = options.round_timeout;
  link->progress = [&progress](const std::string& line) { progress.line(line); };
  for (const ClusterMember& m : cluster.members) link->identity_keys[m.id] = m.audit_key;
  return Network(std::move(node), std::move(link));
}

Network::~Network() {
  if (node_) (void)node_->flush(kFlushTimeout);
}

}  // namespace tsign::cli
