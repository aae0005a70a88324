#pragma once
// A hand-driven network of ProtocolSessions for the engine tests: messages wait on a wire until a
// test delivers, drops, reorders or doctors them.
#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <random>
#include <vector>

#include "net_fixture.hpp"
#include "tsign/core/identity_key.hpp"
#include "tsign/net/broadcast_keys.hpp"
#include "tsign/net/protocol_session.hpp"

namespace tsign::test {

struct InFlight {
  PartyId from;
  PartyId to;
  Bytes data;
};

enum class Broadcasts { Unsigned, Signed };

// Holds one ProtocolSession per party and the messages between them; with signed broadcasts,
// every party has an identity key and knows the others'.
struct Network {
  CoinTossGroup group;
  SigningParties signing;
  std::map<PartyId, std::unique_ptr<ProtocolSession>> sessions;
  std::vector<InFlight> wire;
  std::map<PartyId, Status> outcome;

  explicit Network(std::vector<PartyId> ids, Broadcasts mode = Broadcasts::Unsigned)
      : group(std::move(ids)), signing(group.ids) {
    for (auto* p : group.pointers()) {
      const BroadcastKeys* k = mode == Broadcasts::Signed ? &signing.keys.at(p->self()) : nullptr;
      sessions[p->self()] = std::make_unique<ProtocolSession>(*p, group.session, kDefaultMaxPayload, k);
    }
  }
  void post(PartyId from, std::vector<OutboundPacket> packets) {
    for (auto& p : packets) wire.push_back({from, p.to, std::move(p.data)});
  }
  void start() {
    for (auto& [id, s] : sessions) {
      auto out = s->start();
      REQUIRE(out);
      post(id, std::move(out).value());
    }
  }
  void deliver(InFlight m) {
    auto& s = *sessions.at(m.to);
    auto out = s.receive(m.from, m.data);
    if (!out) {
      outcome[m.to] = out.error();
      return;
    }
    post(m.to, std::move(out).value());
  }
  // Delivers everything, picking the next message at random.
  void run(std::mt19937& rng) {
    while (!wire.empty()) {
      std::size_t i = std::uniform_int_distribution<std::size_t>(0, wire.size() - 1)(rng);
      InFlight m = std::move(wire[i]);
      wire.erase(wire.begin() + static_cast<std::ptrdiff_t>(i));
      deliver(std::move(m));
    }
  }
  // Takes the first message in flight matching the predicate out of the wire.
  template <class Pred>
  InFlight take(Pred pred) {
    for (std::size_t i = 0; i < wire.size(); ++i) {
      if (pred(wire[i])) {
        InFlight m = std::move(wire[i]);
        wire.erase(wire.begin() + static_cast<std::ptrdiff_t>(i));
        return m;
      }
    }
    FAIL("no such message in flight");
    return {};
  }
};

inline Envelope open(const InFlight& m) { return decode_envelope(m.data).value(); }


}  // namespace tsign::test
