#pragma once
// The one simulation harness: runs protocol parties in one process through the engine's core
// (ProtocolSession: envelopes, routing, the echo step, abort notices, timeouts), with a
// deterministic schedule and hooks for an adversary on the network or at a party:
// - tamper: sees every copy of every protocol message before delivery, and may alter, reroute
//   between broadcast and direct, or drop it. A broadcast travels as one copy per recipient:
//   altering one copy (or some differently) makes its sender equivocate (it signs every copy it
//   sends, as a corrupt party holding its own key would), which the engine's echo step catches;
//   altering every copy alike makes the sender a consistent cheater (the altered
//   payload is what its engine sends and echoes), so the recipients' protocol checks judge it;
// - tamper_engine: the same for the engine's own echo and abort messages;
// - reorder (a seed), duplicate (every packet delivered twice) and crash (a party stops cold at a
//   given step);
// and counters: payload bytes each party sent, the time spent inside each party's protocol calls.
// A party that is still waiting when nothing is left in flight stops with the engine's Timeout,
// naming exactly the parties it still lacks, as its deadline would.
// This is test code: it is built as the tsign_testing target and never installed.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tsign/core/result.hpp"
#include "tsign/net/envelope.hpp"
#include "tsign/net/protocol_session.hpp"
#include "tsign/protocol/protocol.hpp"
#include "tsign/protocol/session_id.hpp"

namespace tsign::testing {

// One copy of one message on its way to one recipient.
struct InFlight {
  std::size_t round = 0;
  PartyId from = 0;
  PartyId to = 0;
  bool broadcast = false;
  MessageKind kind = MessageKind::Protocol;
  Bytes payload;
  bool deliver = true;
};
using Tamper = std::function<void(InFlight&)>;

struct SimulationOptions {
  SessionId session{};  // every party's session id (all zero unless a test sets one)
  Tamper tamper;         // protocol messages (each copy seen once, as the sender's protocol emits it)
  Tamper tamper_engine;  // echo and abort messages
  std::uint64_t reorder_seed = 0;  // 0: first in, first out; otherwise a fixed shuffle of deliveries
  bool duplicate = false;          // every packet delivered twice
  // A party for which this returns true when it is about to take `step` (0: start) stops cold:
  // it sends and receives nothing more.
  std::function<bool(PartyId party, std::size_t step)> crash;
  bool send_aborts = true;  // a party that fails tells the others, as the engine does
  // false: messages go from protocol to protocol with no engine in between (no envelope, no echo
  // step, no abort notices), round by round. For benchmarks of a protocol's own computation and
  // for committees so large that the echo step (n² messages of n digests) would dominate.
  bool engine = true;
  std::size_t max_payload = kDefaultMaxPayload;
  // Broadcasts signed with an identity key per party (as every vault runs them); false: unsigned.
  bool signed_broadcasts = true;
};

struct SimulationResult {
  std::map<PartyId, Status> status;                // ok: the party finished every round
  std::map<PartyId, std::size_t> bytes_sent;       // protocol payload bytes, every copy to every recipient
  std::map<PartyId, double> compute_seconds;       // inside the party's own protocol calls
  std::map<PartyId, SessionStats> stats;           // the engine's counters
  std::vector<InFlight> transcript;                // every protocol message copy as sent, before the hook
  std::vector<PartyId> crashed;

  bool all_finished() const;
  bool none_finished() const;
  bool any_finished() const;
  const Error& error(PartyId p) const { return status.at(p).error(); }
};

SimulationResult simulate(const std::vector<RoundProtocol*>& parties, const SimulationOptions& options = {});

// The short form most tests use: honest network but for `tamper`.
inline SimulationResult run_protocols(const std::vector<RoundProtocol*>& parties, const Tamper& tamper = {}) {
  SimulationOptions options;
  options.tamper = tamper;
  return simulate(parties, options);
}

template <class P>
std::vector<RoundProtocol*> pointers(std::vector<P>& parties) {
  std::vector<RoundProtocol*> out;
  for (auto& p : parties) out.push_back(&p);
  return out;
}

// The same for parties held by pointer (protocols that do not move, or composites built behind
// an interface).
template <class P>
std::vector<RoundProtocol*> pointers(std::vector<std::unique_ptr<P>>& parties) {
  std::vector<RoundProtocol*> out;
  for (auto& p : parties) out.push_back(p.get());
  return out;
}

}  // namespace tsign::testing
