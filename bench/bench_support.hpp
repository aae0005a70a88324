#pragma once
// Shared by the benchmarks: party ids, protocols run round by round in one thread, dealt FROST
// keys, and whole protocol sessions run through the engine, in process (one MemoryHub per
// session) or over TCP on loopback (one TcpNode per party, connected once and shared by every
// session).
#include <chrono>
#include <map>
#include <memory>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include "tsign/frost/keygen.hpp"
#include "tsign/net/memory_transport.hpp"
#include "tsign/net/tcp_transport.hpp"

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

// What run_rounds saw: the time spent inside one party's calls, and the payload bytes sent.
struct RoundStats {
  double timed_seconds = 0;  // inside the calls of the timed party
  std::size_t bytes = 0;     // sent by all parties, every copy to every recipient counted
};

// Runs protocols that expose start/advance/round_count/self to completion in this thread,
// routing every message in memory: no engine or transport cost, only the protocol's own
// computation. `timed` (0: none) is the party whose calls are timed.
template <class P>
RoundStats run_rounds(std::vector<P>& parties, PartyId timed = 0) {
  using Clock = std::chrono::steady_clock;
  RoundStats stats;
  auto call = [&](P& p, auto&& f) {
    const auto t0 = Clock::now();
    auto out = f();
    if (p.self() == timed) stats.timed_seconds += std::chrono::duration<double>(Clock::now() - t0).count();
    if (!out.ok()) throw std::runtime_error(out.error().describe());
    return std::move(out).value();
  };
  std::map<PartyId, std::vector<OutgoingMessage>> outbox;
  for (auto& p : parties) outbox[p.self()] = call(p, [&] { return p.start(); });
  for (std::size_t round = 0; round < parties.front().round_count(); ++round) {
    std::map<PartyId, RoundMessages> inbox;
    for (auto& [sender, messages] : outbox) {
      for (auto& m : messages) {
        if (m.to) {
          stats.bytes += m.payload.size();
          inbox[*m.to].direct[sender] = std::move(m.payload);
        } else {
          for (auto& q : parties) {
            if (q.self() == sender) continue;
            stats.bytes += m.payload.size();
            inbox[q.self()].broadcast[sender] = m.payload;
          }
        }
      }
    }
    outbox.clear();
    for (auto& p : parties) outbox[p.self()] = call(p, [&] { return p.advance(round, inbox[p.self()]); });
  }
  return stats;
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
// session is driven from the calling thread.
inline Status run_in_process(const std::vector<SessionParties>& sessions) {
  std::vector<Status> results(sessions.size());
  auto run_one = [&](std::size_t k) {
    std::vector<PartyId> ids;
    for (const auto* p : sessions[k].parties) ids.push_back(p->self());
    MemoryHub hub(ids);
    results[k] = first_failure(run_in_threads(hub, sessions[k].parties, sessions[k].session));
  };
  std::vector<std::thread> threads;
  for (std::size_t k = 1; k < sessions.size(); ++k) threads.emplace_back(run_one, k);
  if (!sessions.empty()) run_one(0);
  for (auto& t : threads) t.join();
  return first_failure(results);
}

// n nodes on 127.0.0.1 (parties 1..n), each knowing every other's pinned key and port.
struct LoopbackCluster {
  std::map<PartyId, std::unique_ptr<TcpNode>> nodes;

  explicit LoopbackCluster(std::size_t n) {
    std::map<PartyId, PartyConfig> configs;
    for (PartyId id : ids_1_to(n)) {
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
    for (auto& [id, c] : configs) nodes[id] = value_or_throw(TcpNode::start(c.clone()));
    for (auto& [id, node] : nodes) {
      for (auto& [other, on] : nodes) {
        if (other != id) (void)node->set_peer_address(other, "127.0.0.1", on->listen_port());
      }
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
          results[slot] = run_session(*party, *nodes.at(party->self()), s.session);
        });
        ++slot;
      }
    }
    for (auto& t : threads) t.join();
    return first_failure(results);
  }
};

}  // namespace tsign::bench
