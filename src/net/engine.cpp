#include "tsign/net/engine.hpp"

#include <algorithm>

namespace tsign {

void AbortSignal::request(std::string reason) {
  std::lock_guard lock(mutex_);
  if (requested_.load(std::memory_order_relaxed)) return;
  reason_ = std::move(reason);
  requested_.store(true, std::memory_order_release);
}

std::string AbortSignal::reason() const {
  std::lock_guard lock(mutex_);
  return reason_;
}

namespace {

// Sends best-effort: a peer that cannot be reached is found by its own deadline.
void send_all(Transport& transport, std::vector<OutboundPacket> packets) {
  for (auto& p : packets) (void)transport.send(p.to, std::move(p.data));
}

std::string peer_notes(const Transport& transport, const std::vector<PartyId>& parties) {
  std::string out;
  for (PartyId p : parties) {
    std::string note = transport.peer_status(p);
    if (note.empty()) continue;
    out += (out.empty() ? "" : "; ") + ("party " + std::to_string(p) + ": " + note);
  }
  return out;
}

bool all_unreachable(const Transport& transport, const std::vector<PartyId>& parties) {
  return !parties.empty() && std::all_of(parties.begin(), parties.end(), [&](PartyId p) { return transport.peer_unreachable(p); });
}

Status run(ProtocolSession& session, Transport& transport, const EngineOptions& options) {
  using Clock = Transport::Clock;
  auto fail_and_notify = [&](Error error) -> Status {
    send_all(transport, session.abort_packets(error));
    return error;
  };

  auto first = session.start();
  if (!first) return fail_and_notify(first.error());
  send_all(transport, std::move(first).value());

  // A party this one waits for may itself be waiting for another and say so about now (its own
  // deadline came a moment earlier): its timed-out notice gets this long before it is named.
  const auto notice_grace = std::min<std::chrono::milliseconds>(options.round_timeout / 4, std::chrono::seconds(2));
  std::size_t step = session.step();
  Clock::time_point deadline = Clock::now() + options.round_timeout;
  Clock::time_point next_report = Clock::now() + options.waiting_interval;
  bool idle = false;  // the last wait brought nothing
  while (!session.finished()) {
    // Checked on every turn, not only when nothing arrives: a flood that keeps the inbox full must
    // not hold the deadline off. Parties the transport has lost for good end the step early; that
    // is asked only after a wait that brought nothing, not on every message.
    if (Clock::now() >= deadline || (idle && all_unreachable(transport, session.missing()))) {
      // The others learn at once that this party stopped waiting, and for whom, so they do not
      // blame it; then it listens a moment for theirs before it names anyone.
      send_all(transport, session.abort_packets(session.timeout_error()));
      session.stop_waiting();
      const Clock::time_point listen_until = Clock::now() + notice_grace;
      // Nothing more can come from a party whose link is gone.
      auto may_still_explain = [&] {
        const auto silent = session.unexplained_missing();
        return std::any_of(silent.begin(), silent.end(), [&](PartyId p) { return !transport.peer_unreachable(p); });
      };
      while (may_still_explain() && Clock::now() < listen_until) {
        auto late = transport.receive(listen_until);
        if (!late || !late->has_value()) break;
        (void)session.receive((*late)->from, (*late)->data);
      }
      return session.timeout_error(peer_notes(transport, session.missing()));
    }
    if (options.abort != nullptr && options.abort->requested()) {
      Error error = make_error(ErrorKind::ProtocolAborted, "aborted locally: " + options.abort->reason());
      send_all(transport, session.abort_packets(error, /*own_account=*/true));
      return error;
    }
    if (options.on_waiting && Clock::now() >= next_report) {
      options.on_waiting(session.missing());
      next_report = Clock::now() + options.waiting_interval;
    }
    Clock::time_point wait_until = std::min(deadline, Clock::now() + options.poll_interval);
    if (options.on_waiting) wait_until = std::min(wait_until, next_report);
    auto received = transport.receive(wait_until);
    if (!received) return received.error();
    idle = !received->has_value();
    if (idle) continue;
    IncomingMessage& message = **received;
    auto out = session.receive(message.from, message.data);
    if (!out) {
      if (session.stopped_by_peer()) return out.error();
      return fail_and_notify(out.error());
    }
    send_all(transport, std::move(out).value());
    if (session.step() != step) {
      step = session.step();
      deadline = Clock::now() + options.round_timeout;
      next_report = Clock::now() + options.waiting_interval;
    }
  }
  return {};
}

}  // namespace

Status run_session(RoundProtocol& protocol, Transport& transport, const SessionId& session,
                   const EngineOptions& options) {
  if (transport.self() != protocol.self()) {
    return make_error(ErrorKind::InvalidInput, "transport is party " + std::to_string(transport.self()) +
                                                   " but the protocol runs as party " + std::to_string(protocol.self()));
  }
  ProtocolSession machine(protocol, session, options.max_message_size, options.broadcast_keys);
  Status status = run(machine, transport, options);
  if (options.stats != nullptr) *options.stats = machine.stats();
  if (options.evidence != nullptr) *options.evidence = machine.equivocation_proofs();
  return status;
}

void decline_protocol(RoundProtocol& protocol, Transport& transport, const SessionId& session, const Error& reason) {
  ProtocolSession machine(protocol, session);
  send_all(transport, machine.abort_packets(reason, /*own_account=*/true));
}

}  // namespace tsign
