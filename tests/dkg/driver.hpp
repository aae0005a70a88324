#pragma once
// Drives RoundProtocols in one process the way the engine would, routing every message and
// letting a test tamper with any of them in flight.
#include <functional>
#include <map>
#include <vector>

#include "tsign/protocol/round.hpp"

namespace tsign::test {

// One copy of one message on its way to one recipient (a broadcast travels as one copy per
// recipient, so a hook can make a sender equivocate).
struct InFlight {
  std::size_t round = 0;
  PartyId from = 0;
  PartyId to = 0;
  bool broadcast = false;
  Bytes payload;
  bool deliver = true;
};
using Tamper = std::function<void(InFlight&)>;

struct RunResult {
  std::map<PartyId, Status> status;  // ok: the party finished every round

  bool all_finished() const {
    for (const auto& entry : status) {
      if (!entry.second.ok()) return false;
    }
    return true;
  }
  bool any_finished() const {
    for (const auto& entry : status) {
      if (entry.second.ok()) return true;
    }
    return false;
  }
  const Error& error(PartyId p) const { return status.at(p).error(); }
};

// A party whose step fails stops; a party that lacks a message it expects stops with a Timeout
// naming the senders it still waits for (as the engine's deadline would).
RunResult run_protocols(const std::vector<RoundProtocol*>& parties, const Tamper& tamper = {});

template <class P>
std::vector<RoundProtocol*> pointers(std::vector<P>& parties) {
  std::vector<RoundProtocol*> out;
  for (auto& p : parties) out.push_back(&p);
  return out;
}

}  // namespace tsign::test
