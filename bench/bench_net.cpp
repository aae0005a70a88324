// Engine and transport cost, measured with the coin-toss protocol (three rounds: broadcast with
// echo, direct, broadcast with echo): one whole session per iteration, all parties in this
// process. These are the overheads every protocol pays on top of its own computation.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "bench_support.hpp"
#include "tsign/protocol/coin_toss.hpp"

namespace {

using namespace tsign;
using namespace tsign::bench;

struct Group {
  SessionId session = random_session_id();
  std::vector<std::unique_ptr<CoinTossProtocol>> parties;
  explicit Group(const std::vector<PartyId>& ids) {
    for (PartyId p : ids) parties.push_back(std::make_unique<CoinTossProtocol>(CoinTossProtocol::create(session, p, ids).value()));
  }
  SessionParties run_list() const {
    SessionParties s{session, {}};
    for (const auto& p : parties) s.parties.push_back(p.get());
    return s;
  }
};

void in_process(benchmark::State& state, std::size_t n) {
  const auto ids = ids_1_to(n);
  for (auto _ : state) {
    Group g(ids);
    if (auto s = run_in_process({g.run_list()}); !s) state.SkipWithError(s.error().describe().c_str());
  }
}

// `in_flight` sessions run concurrently per iteration over one set of nodes; items are sessions.
void tcp_loopback(benchmark::State& state, std::size_t n, std::size_t in_flight) {
  LoopbackCluster cluster(n);
  const auto ids = ids_1_to(n);
  for (auto _ : state) {
    std::vector<std::unique_ptr<Group>> groups;
    std::vector<SessionParties> sessions;
    for (std::size_t k = 0; k < in_flight; ++k) {
      groups.push_back(std::make_unique<Group>(ids));
      sessions.push_back(groups.back()->run_list());
    }
    if (auto s = cluster.run(sessions); !s) state.SkipWithError(s.error().describe().c_str());
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
