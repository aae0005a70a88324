#pragma once
// Tools for adversarial tests: rewrite one party's messages in flight and check who got named.
#include <set>

#include "helpers.hpp"

namespace tsign::test {

// A Tamper that applies `edit` to messages of one round from one sender (to every recipient,
// or to one), leaving everything else alone.
inline Tamper rewrite(std::size_t round, PartyId from, bool broadcast, std::function<void(Bytes&)> edit,
                      std::optional<PartyId> only_to = std::nullopt) {
  return [=](InFlight& m) {
    if (m.round != round || m.from != from || m.broadcast != broadcast) return;
    if (only_to && m.to != *only_to) return;
    edit(m.payload);
  };
}

// Every honest party (all but `culprit`) ended without output; those in `accusers` aborted
// naming exactly `culprit`, and every other honest party either named the culprit among others,
// was stopped by the abort notice of an accuser (which names the aborting accuser, as the engine
// does), or stopped waiting for a party that had aborted.
inline void expect_blamed(const SimulationResult& result, PartyId culprit, const std::vector<PartyId>& accusers) {
  for (const auto& [party, status] : result.status) {
    if (party == culprit) continue;
    INFO("party " << party);
    REQUIRE_FALSE(status.ok());
    const Error& e = status.error();
    INFO(e.describe());
    if (std::find(accusers.begin(), accusers.end(), party) != accusers.end()) {
      CHECK(e.kind == ErrorKind::ProtocolAborted);
      CHECK(e.culprits == std::vector<PartyId>{culprit});
    } else if (e.kind == ErrorKind::ProtocolAborted) {
      const bool names_culprit = std::find(e.culprits.begin(), e.culprits.end(), culprit) != e.culprits.end();
      const bool accuser_aborted = e.culprits.size() == 1 &&
                                   std::find(accusers.begin(), accusers.end(), e.culprits[0]) != accusers.end() &&
                                   e.message.find("aborted the session") != std::string::npos;
      CHECK((names_culprit || accuser_aborted));
    } else {
      CHECK(e.kind == ErrorKind::Timeout);
    }
  }
}

inline std::vector<PartyId> all_but(const std::vector<PartyId>& ids, PartyId excluded) {
  std::vector<PartyId> out;
  for (PartyId p : ids) {
    if (p != excluded) out.push_back(p);
  }
  return out;
}

// Flips one bit of a scalar field that ends the payload (a share, delta or sigma message).
inline void corrupt_last_byte(Bytes& b) { b.back() ^= 1; }

}  // namespace tsign::test
