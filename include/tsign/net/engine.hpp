#pragma once
// run_protocol(): drives a protocol over any Transport until it finishes or fails, and hands
// out its output.
//
//   TSIGN_TRY(auto party, DkgProtocol<FrostSecp256k1>::create(self, config));
//   auto share = run_protocol(party, transport, session_id);   // Result<KeyShare<Secp256k1>>
//   if (!share) report(share.error());   // culprits name the guilty parties
//
// run_session() drives any RoundProtocol the same way and reports only how the run ended.
//
// Outcomes:
// - a peer breaks an engine rule (wrong session, protocol, round, recipient or kind; an
//   undecodable envelope; two different messages for one slot) or a protocol check
//   (advance() fails with culprits): ProtocolAborted naming it; the others get an abort notice;
// - a broadcast that reached parties differently (found by the echo step): ProtocolAborted
//   naming the equivocator with a proof (EngineOptions::evidence), or an echoer that reported a
//   copy its sender never signed; without broadcast keys only what the authenticated channel
//   proves is named (broadcast_keys.hpp);
// - a peer's abort notice: ProtocolAborted naming the party that aborted, with its reason;
// - a step that does not complete within round_timeout (and a short grace for notices, below):
//   Timeout naming the parties whose messages are missing, less those that said they had timed
//   out themselves; a timed-out abort notice then tells the others whom this party waited for, so
//   a party starved of a message by a corrupt one is never named by a third party for its silence;
// - the transport fails: its error, unchanged.
#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>

#include "tsign/core/result.hpp"
#include "tsign/net/protocol_session.hpp"
#include "tsign/protocol/protocol.hpp"
#include "tsign/protocol/round.hpp"
#include "tsign/protocol/session_id.hpp"
#include "tsign/net/transport.hpp"

namespace tsign {

// Lets another thread stop a running session; the engine sends abort notices to the others.
class AbortSignal {
 public:
  void request(std::string reason);  // the first reason wins
  bool requested() const { return requested_.load(std::memory_order_acquire); }
  std::string reason() const;

 private:
  std::atomic<bool> requested_{false};
  mutable std::mutex mutex_;
  std::string reason_;
};

struct EngineOptions {
  // Each step (a round, or the echo after it) must complete within this time.
  std::chrono::milliseconds round_timeout{30'000};
  // Bound on each received payload.
  std::size_t max_message_size = kDefaultMaxPayload;
  // How often a waiting engine looks at `abort`.
  std::chrono::milliseconds poll_interval{50};
  AbortSignal* abort = nullptr;  // optional
  SessionStats* stats = nullptr;  // optional: filled when the run ends
  // Optional: signs this party's broadcasts and checks the others' (broadcast_keys.hpp). Every
  // party of a session must set it, or none. Must outlive the run.
  const BroadcastKeys* broadcast_keys = nullptr;
  // Optional: filled when the run ends with the proofs of equivocation the echo step found.
  std::vector<EquivocationProof>* evidence = nullptr;
  // Optional: called every `waiting_interval` while a step waits, with the parties it still
  // waits for (an operator sees who holds the session up before the deadline names them).
  std::function<void(const std::vector<PartyId>& missing)> on_waiting;
  std::chrono::milliseconds waiting_interval{5'000};
};

Status run_session(RoundProtocol& protocol, Transport& transport, const SessionId& session,
                   const EngineOptions& options = {});

template <class Output>
Result<Output> run_protocol(Protocol<Output>& protocol, Transport& transport, const SessionId& session,
                            const EngineOptions& options = {}) {
  TSIGN_CHECK(run_session(protocol, transport, session, options));
  return protocol.take_output();
}

// For a party that will not take part (its signing policy refused the request, say): tells the
// others at once, with `reason`, instead of leaving them to their deadline. They stop with
// ProtocolAborted naming this party. Nothing of the protocol runs here; sending is best effort.
void decline_protocol(RoundProtocol& protocol, Transport& transport, const SessionId& session, const Error& reason);

}  // namespace tsign
