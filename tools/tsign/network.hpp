#pragma once
// One party's side of a multi-party operation: a TCP node (Noise_KK, keys pinned from the cluster
// configuration) for the participants of this operation only, as the PeerLink a Vault runs its
// protocols over, with progress lines on stderr. On destruction it waits (briefly) until the peers
// acknowledged its last messages, so they do not die with the process.
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "tsign/custody/cluster.hpp"
#include "output.hpp"
#include "tsign/custody/peer_link.hpp"

namespace tsign::cli {

struct NetworkOptions {
  std::chrono::milliseconds round_timeout{120'000};
  // Where to listen instead of the address in the cluster line (e.g. 0.0.0.0:7001 behind NAT).
  std::optional<std::pair<std::string, std::uint16_t>> listen;
};

class Network {
 public:
  static Result<Network> start(const Cluster& cluster, PartyId self, const X25519KeyPair& transport_key,
                               std::vector<PartyId> participants, const NetworkOptions& options,
                               const Progress& progress);
  Network(Network&&) noexcept = default;
  Network& operator=(Network&&) noexcept = default;
  ~Network();

  PeerLink& peers() { return *link_; }

 private:
  Network(std::unique_ptr<TcpNode> node, std::unique_ptr<TcpPeerLink> link) : node_(std::move(node)), link_(std::move(link)) {}

  std::unique_ptr<TcpNode> node_;
  std::unique_ptr<TcpPeerLink> link_;
};

}  // namespace tsign::cli
