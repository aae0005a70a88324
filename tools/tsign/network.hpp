#pragma once
// One party's side of a multi-party operation: a TCP node (Noise_KK, keys pinned from the cluster
// configuration) for the participants of this operation only, the engine driving each protocol
// with a deadline per round, progress lines on stderr, and the commit barrier. On destruction it
// waits (briefly) until the peers acknowledged its last messages, so they do not die with the
// process.
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "cluster.hpp"
#include "output.hpp"
#include "tsign/net/engine.hpp"
#include "tsign/net/tcp_transport.hpp"

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

  const std::vector<PartyId>& participants() const { return participants_; }

  // Runs `protocol` (whose parties may be a subset of the participants) as `session`.
  Status run(RoundProtocol& protocol, const SessionId& session, const std::string& label);
  // The commit barrier among every participant: all must state `value` (confirm_protocol.hpp).
  Status confirm(const SessionId& session, const Digest32& value, const std::string& label);
  // Tells the other parties of `protocol` this party will not take part, with the reason.
  void decline(RoundProtocol& protocol, const SessionId& session, const Error& reason);

 private:
  Network(std::unique_ptr<TcpNode> node, std::vector<PartyId> participants, const NetworkOptions& options,
          const Progress& progress)
      : node_(std::move(node)), participants_(std::move(participants)), options_(options), progress_(progress) {}

  std::unique_ptr<TcpNode> node_;
  std::vector<PartyId> participants_;
  NetworkOptions options_;
  Progress progress_;
};

}  // namespace tsign::cli
