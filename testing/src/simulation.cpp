#include "tsign/testing/simulation.hpp"

#include <deque>
#include <memory>
#include <random>
#include <string>
#include <tuple>

#include "tsign/core/identity_key.hpp"
#include "tsign/net/broadcast_keys.hpp"
#include "tsign/protocol/forwarding.hpp"

namespace tsign::testing {

namespace {

using Clock = std::chrono::steady_clock;

// Forwards a protocol and adds up the time spent inside its calls.
class TimedProtocol : public ForwardingProtocol {
 public:
  TimedProtocol(RoundProtocol& inner, double& seconds) : ForwardingProtocol(inner), seconds_(seconds) {}
  Result<Outgoing> start() override { return timed([&] { return inner_.start(); }); }
  Result<Outgoing> advance(std::size_t round, const RoundMessages& in) override {
    return timed([&] { return inner_.advance(round, in); });
  }

 private:
  template <class F>
  Result<Outgoing> timed(F f) {
    const auto t0 = Clock::now();
    auto out = f();
    seconds_ += std::chrono::duration<double>(Clock::now() - t0).count();
    return out;
  }
  double& seconds_;
};

// Where a copy of a protocol message is going: (round, recipient, broadcast).
using CopyKey = std::tuple<std::size_t, PartyId, bool>;

// Sits between a party's session and its protocol and runs the tamper hook on every copy of
// what the protocol emits, before the engine seals it. A broadcast whose copies all come out
// alike (same payload, all delivered, still a broadcast to the same recipients) is a consistent
// cheater: the altered payload replaces the protocol's at the source, so the sender's engine
// sends it and echoes its digest, and the recipients' protocol checks judge it. Any other
// outcome (copies that differ, are dropped or rerouted; direct messages) is left for the
// network to apply copy by copy (take()), so copies that differ make the sender equivocate.
class TamperedProtocol final : public TimedProtocol {
 public:
  TamperedProtocol(RoundProtocol& inner, double& seconds, const Tamper& tamper, SimulationResult& result)
      : TimedProtocol(inner, seconds), tamper_(tamper), result_(result) {}
  Result<Outgoing> start() override { return tampered(0, TimedProtocol::start()); }
  Result<Outgoing> advance(std::size_t round, const RoundMessages& in) override {
    return tampered(round + 1, TimedProtocol::advance(round, in));
  }

  // The copy to put on the network in place of the sealed one, if the hook changed it there.
  std::optional<InFlight> take(std::size_t round, PartyId to, bool broadcast) {
    auto it = pending_.find({round, to, broadcast});
    if (it == pending_.end()) return std::nullopt;
    InFlight copy = std::move(it->second);
    pending_.erase(it);
    return copy;
  }

 private:
  Result<Outgoing> tampered(std::size_t round, Result<Outgoing> out) {
    if (!out.ok()) return out;
    for (OutgoingMessage& m : *out) {
      std::vector<PartyId> recipients;
      if (m.to) {
        recipients.push_back(*m.to);
      } else {
        for (PartyId p : parties()) {
          if (p != self()) recipients.push_back(p);
        }
      }
      std::vector<InFlight> copies;
      for (PartyId to : recipients) {
        InFlight copy{round, self(), to, !m.to.has_value(), MessageKind::Protocol, m.payload, true};
        result_.transcript.push_back(copy);
        result_.bytes_sent[self()] += copy.payload.size();
        if (tamper_) tamper_(copy);
        copies.push_back(std::move(copy));
      }
      bool consistent = !m.to.has_value() && !copies.empty();
      for (std::size_t i = 0; consistent && i < copies.size(); ++i) {
        const InFlight& c = copies[i];
        consistent = c.deliver && c.broadcast && c.round == round && c.to == recipients[i] &&
                     c.kind == MessageKind::Protocol && c.payload == copies.front().payload;
      }
      if (consistent) {
        m.payload = copies.front().payload;
        continue;
      }
      for (std::size_t i = 0; i < copies.size(); ++i) {
        pending_[{round, recipients[i], !m.to.has_value()}] = std::move(copies[i]);
      }
    }
    return out;
  }

  const Tamper& tamper_;
  SimulationResult& result_;
  std::map<CopyKey, InFlight> pending_;
};

struct Party {
  std::unique_ptr<IdentityKey> identity;
  BroadcastKeys keys;
  RoundProtocol* protocol = nullptr;
  std::unique_ptr<TamperedProtocol> wrapped;
  std::unique_ptr<ProtocolSession> session;
  bool done = false;
};

struct Packet {
  PartyId from = 0;
  PartyId to = 0;
  Bytes data;
};

class EngineSimulation {
 public:
  EngineSimulation(const std::vector<RoundProtocol*>& protocols, const SimulationOptions& options)
      : options_(options), rng_(options.reorder_seed) {
    std::map<PartyId, ByteArray<32>> public_keys;
    for (RoundProtocol* p : protocols) {
      Party& party = parties_[p->self()];
      party.identity = std::make_unique<IdentityKey>(IdentityKey::generate());
      public_keys[p->self()] = party.identity->public_key();
    }
    for (RoundProtocol* p : protocols) {
      Party& party = parties_[p->self()];
      party.keys = BroadcastKeys{party.identity.get(), public_keys};
      party.protocol = p;
      party.wrapped = std::make_unique<TamperedProtocol>(*p, result_.compute_seconds[p->self()], options.tamper, result_);
      party.session = std::make_unique<ProtocolSession>(*party.wrapped, options.session, options.max_payload,
                                                        options.signed_broadcasts ? &party.keys : nullptr);
      result_.bytes_sent[p->self()] = 0;
    }
  }

  SimulationResult run() {
    for (auto& [id, party] : parties_) {
      if (crashes(id, party)) continue;
      settle(id, party, party.session->start());
    }
    while (!queue_.empty()) {
      std::size_t pick = 0;
      if (options_.reorder_seed != 0) pick = std::uniform_int_distribution<std::size_t>(0, queue_.size() - 1)(rng_);
      Packet packet = std::move(queue_[pick]);
      queue_.erase(queue_.begin() + static_cast<std::ptrdiff_t>(pick));
      auto it = parties_.find(packet.to);
      if (it == parties_.end() || it->second.done) continue;
      if (crashes(packet.to, it->second)) continue;
      settle(packet.to, it->second, it->second.session->receive(packet.from, packet.data));
    }
    for (auto& [id, party] : parties_) {
      result_.stats[id] = party.session->stats();
      if (!party.done) result_.status.emplace(id, party.session->timeout_error("nothing left in flight"));
    }
    return std::move(result_);
  }

 private:
  bool crashes(PartyId id, Party& party) {
    if (!options_.crash || !options_.crash(id, party.session->step())) return false;
    party.done = true;
    result_.crashed.push_back(id);
    result_.status.emplace(id, make_error(ErrorKind::Internal, "party " + std::to_string(id) + " crashed (simulated)"));
    return true;
  }

  void settle(PartyId id, Party& party, Result<std::vector<OutboundPacket>> step) {
    if (!step.ok()) {
      party.done = true;
      result_.status.emplace(id, step.error());
      if (options_.send_aborts && !party.session->stopped_by_peer()) send(id, party.session->abort_packets(step.error()));
      return;
    }
    send(id, std::move(step).value());
    if (party.session->finished()) {
      party.done = true;
      result_.status.emplace(id, Status{});
    }
  }

  void send(PartyId from, std::vector<OutboundPacket> packets) {
    TamperedProtocol& sender = *parties_.at(from).wrapped;
    for (auto& packet : packets) {
      auto envelope = decode_envelope(packet.data, options_.max_payload);
      if (!envelope.ok()) continue;  // the engine only seals what it can open
      std::optional<InFlight> copy;
      if (envelope->kind == MessageKind::Protocol) {
        // The hook already saw this copy at the source (transcript and byte count too).
        copy = sender.take(envelope->round, packet.to, envelope->is_broadcast());
      } else if (options_.tamper_engine) {
        copy = InFlight{envelope->round, from, packet.to, envelope->is_broadcast(), envelope->kind, envelope->payload, true};
        options_.tamper_engine(*copy);
      }
      if (copy) {
        if (!copy->deliver) continue;
        envelope->round = static_cast<std::uint32_t>(copy->round);
        envelope->recipient = copy->broadcast ? kBroadcastRecipient : copy->to;
        envelope->kind = copy->kind;
        envelope->payload = std::move(copy->payload);
        if (envelope->signature != BroadcastSignature{}) {
          // The sender is the adversary here: it signs whatever copy it sends, where its engine signs.
          envelope->signature = parties_.at(from).identity->sign(broadcast_statement(
              envelope->session, envelope->protocol, envelope->round, from, broadcast_payload_hash(envelope->payload)));
        }
        packet.data = encode_envelope(*envelope);
        packet.to = copy->to;
      }
      queue_.push_back({from, packet.to, packet.data});
      if (options_.duplicate) queue_.push_back({from, packet.to, packet.data});
    }
  }

  const SimulationOptions& options_;
  std::mt19937_64 rng_;
  std::map<PartyId, Party> parties_;
  std::deque<Packet> queue_;
  SimulationResult result_;
};

// Round by round, protocol to protocol: what the engine would deliver on an honest network,
// without the engine.
SimulationResult run_without_engine(const std::vector<RoundProtocol*>& protocols, const SimulationOptions& options) {
  SimulationResult result;
  std::map<PartyId, std::unique_ptr<TimedProtocol>> alive;
  std::map<PartyId, Outgoing> outbox;
  for (RoundProtocol* p : protocols) {
    result.bytes_sent[p->self()] = 0;
    auto timed = std::make_unique<TimedProtocol>(*p, result.compute_seconds[p->self()]);
    if (options.crash && options.crash(p->self(), 0)) {
      result.crashed.push_back(p->self());
      result.status.emplace(p->self(), make_error(ErrorKind::Internal, "crashed (simulated)"));
      continue;
    }
    auto started = timed->start();
    if (!started.ok()) {
      result.status.emplace(p->self(), started.error());
      continue;
    }
    outbox.emplace(p->self(), std::move(started).value());
    alive.emplace(p->self(), std::move(timed));
  }
  const std::size_t rounds = protocols.empty() ? 0 : protocols.front()->round_count();
  for (std::size_t round = 0; round < rounds; ++round) {
    std::map<PartyId, RoundMessages> inbox;
    for (auto& [sender, messages] : outbox) {
      for (auto& m : messages) {
        std::vector<PartyId> recipients;
        if (m.to) {
          recipients.push_back(*m.to);
        } else {
          for (RoundProtocol* p : protocols) {
            if (p->self() != sender) recipients.push_back(p->self());
          }
        }
        for (PartyId to : recipients) {
          InFlight copy{round, sender, to, !m.to.has_value(), MessageKind::Protocol, m.payload, true};
          result.transcript.push_back(copy);
          result.bytes_sent[sender] += copy.payload.size();
          if (options.tamper) options.tamper(copy);
          if (!copy.deliver) continue;
          auto& box = copy.broadcast ? inbox[copy.to].broadcast : inbox[copy.to].direct;
          box[sender] = std::move(copy.payload);
        }
      }
    }
    outbox.clear();
    for (auto it = alive.begin(); it != alive.end();) {
      TimedProtocol& p = *it->second;
      const RoundMessages& in = inbox[p.self()];
      std::vector<PartyId> missing;
      for (PartyId q : p.parties()) {
        if (q == p.self()) continue;
        const RoundSpec spec = p.expects_from(round, q);
        if ((spec.broadcast && !in.broadcast.count(q)) || (spec.direct && !in.direct.count(q))) missing.push_back(q);
      }
      const bool crash = options.crash && options.crash(p.self(), round + 1);
      if (crash || !missing.empty()) {
        if (crash) result.crashed.push_back(p.self());
        result.status.emplace(p.self(), crash ? make_error(ErrorKind::Internal, "crashed (simulated)")
                                              : make_error(ErrorKind::Timeout, "round " + std::to_string(round), missing));
        it = alive.erase(it);
        continue;
      }
      auto next = p.advance(round, in);
      if (!next.ok()) {
        result.status.emplace(p.self(), next.error());
        it = alive.erase(it);
        continue;
      }
      outbox.emplace(p.self(), std::move(next).value());
      ++it;
    }
  }
  for (const auto& entry : alive) result.status.emplace(entry.first, Status{});
  return result;
}

}  // namespace

bool SimulationResult::all_finished() const {
  for (const auto& entry : status) {
    if (!entry.second.ok()) return false;
  }
  return true;
}

bool SimulationResult::none_finished() const {
  for (const auto& entry : status) {
    if (entry.second.ok()) return false;
  }
  return true;
}

bool SimulationResult::any_finished() const { return !status.empty() && !none_finished(); }

SimulationResult simulate(const std::vector<RoundProtocol*>& parties, const SimulationOptions& options) {
  if (!options.engine) return run_without_engine(parties, options);
  return EngineSimulation(parties, options).run();
}

}  // namespace tsign::testing
