#pragma once
// Drives RoundProtocols in one process the way the engine would, with a hook that can alter,
// drop or record any message in flight, and a count of the bytes each party sends.
#include <functional>
#include <map>
#include <vector>

#include "tsign/protocol/round.hpp"

namespace tsign::ecdsa_test {

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
  std::map<PartyId, Status> status;          // ok: the party finished every round
  std::map<PartyId, std::size_t> bytes_sent;  // every copy to every recipient
  std::vector<InFlight> transcript;          // every copy as sent, before the hook

  bool all_finished() const;
  bool none_finished() const;
  const Error& error(PartyId p) const { return status.at(p).error(); }
};

// A party whose step fails stops; a party missing a message stops with a Timeout naming the
// senders it waits for.
RunResult run_protocols(const std::vector<RoundProtocol*>& parties, const Tamper& tamper = {});

template <class P>
std::vector<RoundProtocol*> pointers(std::vector<P>& parties) {
  std::vector<RoundProtocol*> out;
  for (auto& p : parties) out.push_back(&p);
  return out;
}

}  // namespace tsign::ecdsa_test
