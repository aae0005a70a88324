#pragma once
// Shared by the benchmarks: party ids, protocols run round by round in one thread (the simulation
// harness without the engine), dealt FROST keys, and whole protocol sessions run through the
// engine, in process (one MemoryHub per session) or over TCP on loopback (one TcpNode per party,
// connected once and shared by every session).
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "tsign/frost/keygen.hpp"
#include "tsign/net/memory_transport.hpp"
#include "tsign/net/tcp_transport.hpp"
#include "tsign/testing/nats_broker.hpp"
#include "tsign/testing/signing_parties.hpp"
#include "tsign/testing/simulation.hpp"

namespace tsign::bench {

template <class T>
T value_or_throw(Result<T> r) {
  if (!r.ok()) throw std::runtime_error(r.error().describe());
  return std::move(r).value();
}

inline std::vector<PartyId> ids_1_to(std::size_t n) {
  std::vector<PartyId> ids;
  for (PartyId i = 1; i <= n; ++i) ids.push_back(i);
  return ids;
}

// Runs protocols to completion through the simulation harness without the engine (no envelope,
// no echo step): messages go from protocol to protocol in this thread, so only the protocols' own
// computation is measured. Throws on any party's failure. The result counts the time inside each
// party's calls (compute_seconds) and the payload bytes each party sent, every copy to every
// recipient (bytes_sent; see total_bytes).
template <class P>
testing::SimulationResult run_without_engine(std::vector<P>& parties) {
  testing::SimulationOptions options;
  options.engine = false;
  testing::SimulationResult result = testing::simulate(testing::pointers(parties), options);
  for (const auto& [id, status] : result.status) {
    if (!status.ok()) throw std::runtime_error("party " + std::to_string(id) + ": " + status.error().describe());
  }
  return result;
}

// The payload bytes sent by all parties.
inline std::size_t total_bytes(const testing::SimulationResult& result) {
  std::size_t bytes = 0;
  for (const auto& entry : result.bytes_sent) bytes += entry.second;
  return bytes;
}

// Trusted-dealer keys for parties 1..n, dealt once per group and (t, n) and kept for the whole
// run (both secp256k1 suites share them). shares[i] belongs to party i + 1.
template <class G>
const frost::DealerOutput<G>& dealt_keys(std::uint32_t t, std::uint32_t n) {
  static std::map<std::pair<std::uint32_t, std::uint32_t>, std::unique_ptr<frost::DealerOutput<G>>> cache;
  auto& slot = cache[{t, n}];
  if (!slot) {
    const auto ids = ids_1_to(n);
    slot = std::make_unique<frost::DealerOutput<G>>(value_or_throw(frost::trusted_dealer_keygen<G>(t, ids)));
  }
  return *slot;
}

// One session: its id and every taking part's state machine.
struct SessionParties {
  SessionId session;
  std::vector<RoundProtocol*> parties;
};

// The first failure of a batch of runs, or success.
inline Status first_failure(const std::vector<Status>& results) {
  for (const auto& s : results) {
    if (!s) return s;
  }
  return {};
}

// Every session at once, each over its own MemoryHub (all its parties in threads); the first
// session is driven from the calling thread. Broadcasts are signed, as a vault signs them.
inline Status run_in_process(const std::vector<SessionParties>& sessions) {
  std::vector<Status> results(sessions.size());
  auto run_one = [&](std::size_t k) {
    std::vector<PartyId> ids;
    for (const auto* p : sessions[k].parties) ids.push_back(p->self());
    MemoryHub hub(ids);
    const testing::SigningParties signing(ids);
    results[k] = first_failure(run_in_threads(hub, sessions[k].parties, sessions[k].session, signing.options(ids, {})));
  };
  std::vector<std::thread> threads;
  for (std::size_t k = 1; k < sessions.size(); ++k) threads.emplace_back(run_one, k);
  if (!sessions.empty()) run_one(0);
  for (auto& t : threads) t.join();
  return first_failure(results);
}

// n nodes on 127.0.0.1 (parties 1..n), each knowing every other's pinned key and port, and
// every other's identity key: broadcasts are signed, as a vault signs them.
// One node per party on this machine: TcpNodes on 127.0.0.1, or NatsNodes through a nats-server
// started for the benchmark (TLS and NKeys, as in production).
struct LoopbackCluster {
  std::unique_ptr<testing::NatsBroker> broker;  // NATS only; outlives the nodes
  std::map<PartyId, std::unique_ptr<SessionNode>> nodes;
  testing::SigningParties signing;

  explicit LoopbackCluster(std::size_t n) : signing(ids_1_to(n)) {
    auto configs = testing::cluster_configs(ids_1_to(n));
    std::map<PartyId, std::unique_ptr<TcpNode>> tcp;
    for (auto& [id, c] : configs) {
      c.listen_host = "127.0.0.1";
      for (auto& peer : c.peers) peer.host = "127.0.0.1";
      tcp[id] = value_or_throw(TcpNode::start(c.clone()));
    }
    for (auto& [id, node] : tcp) {
      for (auto& [other, on] : tcp) {
        if (other != id) (void)node->set_peer_address(other, "127.0.0.1", on->listen_port());
      }
    }
    for (auto& [id, node] : tcp) nodes[id] = std::move(node);
  }

  struct OverNats {};
  LoopbackCluster(std::size_t n, OverNats) : signing(ids_1_to(n)) {
    auto configs = testing::cluster_configs(ids_1_to(n));
    broker = std::make_unique<testing::NatsBroker>(ids_1_to(n), testing::subject_root(configs.begin()->second));
    for (auto& [id, c] : configs) {
      NatsOptions o = broker->options_for(id);
      o.resend_interval = NatsOptions{}.resend_interval;  // the defaults, not the tests' quick ones
      o.handshake_timeout = NatsOptions{}.handshake_timeout;
      nodes[id] = value_or_throw(NatsNode::start(c.clone(), o));
    }
  }

  // Every session at once: each party of each session in its own thread, over its node.
  Status run(const std::vector<SessionParties>& sessions) {
    std::vector<Status> results;
    for (const auto& s : sessions) results.resize(results.size() + s.parties.size());
    std::vector<std::thread> threads;
    std::size_t slot = 0;
    for (const auto& s : sessions) {
      for (auto* party : s.parties) {
        threads.emplace_back([this, &results, &s, party, slot] {
          EngineOptions options;
          options.broadcast_keys = &signing.keys.at(party->self());
          results[slot] = run_session(*party, *nodes.at(party->self()), s.session, options);
        });
        ++slot;
      }
    }
    for (auto& t : threads) t.join();
    return first_failure(results);
  }
};

}  // namespace tsign::bench
