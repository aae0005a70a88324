#pragma once
// The engine's core without any I/O: it wraps one RoundProtocol, turns its messages into
// envelopes, routes what arrives, runs the echo step after every round that carries broadcasts,
// and reports who is missing. run_session() drives it over a Transport; an application with its
// own event loop can drive it directly (feed received bytes, send what it returns, and call
// timeout_error() when its own timer for the current step fires).
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

#include "tsign/core/bytes.hpp"
#include "tsign/core/result.hpp"
#include "tsign/net/broadcast_keys.hpp"
#include "tsign/net/envelope.hpp"
#include "tsign/protocol/round.hpp"
#include "tsign/protocol/session_id.hpp"

namespace tsign {

struct OutboundPacket {
  PartyId to = 0;
  Bytes data;
};

// Counters for one session, as seen by one party.
struct SessionStats {
  std::size_t messages_sent = 0;
  std::size_t bytes_sent = 0;
  std::size_t messages_received = 0;
  std::size_t bytes_received = 0;
  std::size_t duplicates_ignored = 0;  // identical copies of a message already held
  std::size_t stale_ignored = 0;       // messages for a step this party already finished
  std::size_t unknown_ignored = 0;     // messages from a transport identity outside the session
  std::size_t flood_dropped = 0;       // messages from a party past its repeat allowance, unread
};

// Copies of messages a party already delivered (a retransmission after a reconnect, a replay)
// are ignored up to this many per sender and session; past it the sender is a flooder: its
// further messages are dropped unread, and it is named in the error that ends the session.
inline constexpr std::size_t kRepeatAllowance = 64;

class Router;
struct EchoEntry;  // notices.hpp

class ProtocolSession {
 public:
  // `protocol` must outlive the session. max_payload bounds each received payload. `keys` signs
  // and checks broadcasts (broadcast_keys.hpp); nullptr: unsigned broadcasts. Both `protocol` and
  // `keys` must outlive the session.
  ProtocolSession(RoundProtocol& protocol, const SessionId& session, std::size_t max_payload = kDefaultMaxPayload,
                  const BroadcastKeys* keys = nullptr);
  ~ProtocolSession();
  ProtocolSession(const ProtocolSession&) = delete;
  ProtocolSession& operator=(const ProtocolSession&) = delete;

  // This party's round-0 packets. Call once, first.
  Result<std::vector<OutboundPacket>> start();
  // One message from `from`, the sender as the transport authenticated it. Returns the packets to
  // send now (possibly none). An error ends the session: send abort_packets() to tell the others,
  // unless stopped_by_peer() says a peer's abort ended it.
  Result<std::vector<OutboundPacket>> receive(PartyId from, ByteSpan data);

  bool finished() const { return finished_; }
  bool failed() const { return failed_; }
  bool stopped_by_peer() const { return stopped_by_peer_; }
  // Increases every time the session moves to the next step, so a driver restarts its deadline.
  std::size_t step() const { return step_; }
  // "round 2" or "echo of round 1": the step this party is waiting in.
  std::string step_name() const;
  // The parties whose messages the current step still lacks, ascending.
  std::vector<PartyId> missing() const;
  // Past its deadline a party stops taking part but listens a moment longer for the others'
  // timed-out notices (receive() then records those and nothing else).
  void stop_waiting() { stopping_ = true; }
  // missing(), less the parties that told this one they stopped waiting themselves (a timed-out
  // abort notice): their silence is explained, and naming them could name an honest party that a
  // corrupt one had starved of a message.
  std::vector<PartyId> unexplained_missing() const;
  // The Timeout error for the current step: culprits are unexplained_missing() and the flooders.
  Error timeout_error(std::string_view detail = {}) const;
  // Abort notices for every other party, carrying `reason` and the parties blamed (also before
  // start(), for a party that declines to take part). `own_account`: this party stops for a
  // reason of its own (it declines, or is told to stop), which the others may hold against it;
  // an error of a kind other than Timeout or ProtocolAborted is always one.
  std::vector<OutboundPacket> abort_packets(const Error& reason, bool own_account = false) const;

  const SessionStats& stats() const { return stats_; }
  // Proofs that a sender signed two different broadcasts for one slot, found by the echo step
  // (signed sessions only); each verifies with verify_equivocation_proof().
  const std::vector<EquivocationProof>& equivocation_proofs() const { return proofs_; }
  const SessionId& session_id() const { return session_; }

 private:
  enum class Phase { Collect, Echo };

  Result<std::vector<OutboundPacket>> progress();
  Result<std::vector<OutboundPacket>> emit(std::size_t round, std::vector<OutgoingMessage> messages);
  std::vector<OutboundPacket> echo_packets(std::size_t round);
  // The hash and signature of every broadcast of `round` this party holds (its own included).
  std::map<PartyId, EchoEntry> held_broadcasts(std::size_t round) const;
  Status judge_echoes(std::uint32_t round, const std::map<PartyId, EchoEntry>& mine,
                      const std::map<PartyId, std::map<PartyId, EchoEntry>>& echoes);
  bool signed_by(PartyId sender, std::uint32_t round, const EchoEntry& claim) const;
  Error fail(Error error);
  Bytes seal(std::uint32_t round, PartyId to, MessageKind kind, Bytes payload,
             const BroadcastSignature& signature = {}) const;
  void count_sent(const std::vector<OutboundPacket>& packets);

  RoundProtocol& protocol_;
  SessionId session_;
  std::size_t max_payload_;
  const BroadcastKeys* keys_;
  std::unique_ptr<Router> router_;
  std::vector<PartyId> others_;
  // This party's own broadcast payload of each round (empty optional: it sent none).
  std::vector<std::optional<Bytes>> own_broadcast_;
  std::vector<BroadcastSignature> own_signature_;
  std::size_t round_ = 0;
  Phase phase_ = Phase::Collect;
  std::size_t step_ = 0;
  bool started_ = false;
  bool finished_ = false;
  bool failed_ = false;
  bool stopped_by_peer_ = false;
  bool stopping_ = false;
  SessionStats stats_;
  std::map<PartyId, std::size_t> repeats_;  // duplicates and stale copies per sender
  std::vector<PartyId> flooders_;           // past kRepeatAllowance, ascending
  std::map<PartyId, std::vector<PartyId>> stalled_;  // timed out themselves, with whom they blamed
  std::vector<EquivocationProof> proofs_;
};

}  // namespace tsign
