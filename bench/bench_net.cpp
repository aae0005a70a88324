// Engine and transport cost, measured with the coin-toss protocol (three rounds: broadcast with
// echo, direct, broadcast with echo): one whole session per iteration, all parties in this
// process. These are the overheads every protocol pays on top of its own computation.
#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tsign/net/coin_toss.hpp"
#include "tsign/net/memory_transport.hpp"
#include "tsign/net/tcp_transport.hpp"

namespace {

using namespace tsign;

std::vector<PartyId> ids_for(std::size_t n) {
  std::vector<PartyId> ids;
  for (PartyId i = 1; i <= n; ++i) ids.push_back(i);
  return ids;
}

struct Group {
  SessionId session = random_session_id();
  std::vector<std::unique_ptr<CoinTossProtocol>> parties;
  explicit Group(const std::vector<PartyId>& ids) {
    for (PartyId p : ids) parties.push_back(std::make_unique<CoinTossProtocol>(session, p, ids));
  }
};

void in_process(benchmark::State& state, std::size_t n) {
  auto ids = ids_for(n);
  for (auto _ : state) {
    MemoryHub hub(ids);
    Group g(ids);
    std::vector<RoundProtocol*> ptrs;
    for (auto& p : g.parties) ptrs.push_back(p.get());
    for (auto& s : run_in_threads(hub, ptrs, g.session)) {
      if (!s) state.SkipWithError(s.error().describe().c_str());
    }
  }
}

// n nodes on 127.0.0.1, connected once and reused by every session.
struct LoopbackCluster {
  std::map<PartyId, std::unique_ptr<TcpNode>> nodes;
  explicit LoopbackCluster(std::size_t n) {
    auto ids = ids_for(n);
    std::map<PartyId, PartyConfig> configs;
    for (PartyId id : ids) {
      PartyConfig c;
      c.id = id;
      c.listen_host = "127.0.0.1";
      configs.emplace(id, std::move(c));
    }
    for (auto& [id, c] : configs) {
      for (auto& [other, oc] : configs) {
        if (other != id) c.peers.push_back({other, "127.0.0.1", 0, oc.static_key.public_key()});
      }
    }
    for (auto& [id, c] : configs) nodes[id] = TcpNode::start(c.clone()).value();
    for (auto& [id, node] : nodes) {
      for (auto& [other, on] : nodes) {
        if (other != id) (void)node->set_peer_address(other, "127.0.0.1", on->listen_port());
      }
    }
  }
};

// `in_flight` sessions run concurrently per iteration; items are sessions.
void tcp_loopback(benchmark::State& state, std::size_t n, std::size_t in_flight) {
  LoopbackCluster cluster(n);
  auto ids = ids_for(n);
  for (auto _ : state) {
    std::vector<std::unique_ptr<Group>> groups;
    for (std::size_t k = 0; k < in_flight; ++k) groups.push_back(std::make_unique<Group>(ids));
    std::vector<std::thread> threads;
    std::vector<Status> results(in_flight * n);
    for (std::size_t k = 0; k < in_flight; ++k) {
      for (std::size_t i = 0; i < n; ++i) {
        threads.emplace_back([&, k, i] {
          results[k * n + i] = run_protocol(*groups[k]->parties[i], *cluster.nodes.at(ids[i]), groups[k]->session);
        });
      }
    }
    for (auto& t : threads) t.join();
    for (auto& s : results) {
      if (!s) state.SkipWithError(s.error().describe().c_str());
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * in_flight));
}

const bool registered = [] {
  for (std::size_t n : {3, 5}) {
    const std::string tn = "/" + std::to_string(n) + "/" + std::to_string(n);
    benchmark::RegisterBenchmark(("net_coin_toss/in_process" + tn).c_str(), in_process, n)->UseRealTime();
    benchmark::RegisterBenchmark(("net_coin_toss/tcp_loopback" + tn).c_str(), tcp_loopback, n, 1)->UseRealTime();
    benchmark::RegisterBenchmark(("net_coin_toss/tcp_loopback_16_in_flight" + tn).c_str(), tcp_loopback, n, 16)
        ->UseRealTime();
  }
  return true;
}();

}  // namespace
