#pragma once
// run_protocol(): drives any RoundProtocol over any Transport until it finishes or fails.
//
//   MyProtocol party(...);                       // DKG, FROST signing, refresh, ...
//   Status s = run_protocol(party, transport, session_id, {});
//   if (s) use(party.output()); else report(s.error());   // culprits name the guilty parties
//
// Outcomes:
// - a peer breaks an engine rule (wrong session, protocol, round, recipient or kind; an
//   undecodable envelope; two different messages for one slot) or a protocol check
//   (advance() fails with culprits): ProtocolAborted naming it; the others get an abort notice;
// - a broadcast that reached parties differently (found by the echo step): ProtocolAborted
//   naming the equivocator;
// - a peer's abort notice: ProtocolAborted naming the party that aborted, with its reason;
// - a step that does not complete within round_timeout: Timeout naming exactly the parties whose
//   messages are missing (no abort notice is sent: every party reaches its own deadline);
// - the transport fails: its error, unchanged.
#include <atomic>
#include <chrono>
#include <mutex>
#include <string>

#include "tsign/core/result.hpp"
#include "tsign/net/protocol_session.hpp"
#include "tsign/net/round_protocol.hpp"
#include "tsign/net/session_id.hpp"
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
};

Status run_protocol(RoundProtocol& protocol, Transport& transport, const SessionId& session,
                    const EngineOptions& options = {});

// For a party that will not take part (its signing policy refused the request, say): tells the
// others at once, with `reason`, instead of leaving them to their deadline. They stop with
// ProtocolAborted naming this party. Nothing of the protocol runs here; sending is best effort.
void decline_protocol(RoundProtocol& protocol, Transport& transport, const SessionId& session, const Error& reason);

}  // namespace tsign
