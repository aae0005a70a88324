#pragma once
// Tools for adversarial tests: rewrite one party's messages in flight and check who got named.
#include <algorithm>
#include <memory>
#include <set>

#include "dkg/messages.hpp"
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

// A cheater consistent with itself: `edit` rewrites its broadcast of `round` (every copy alike),
// and its broadcast of the next round echoes the message it really sent (the digest of the edited
// payload), so that no echo check notices and only the check the edit aims at can catch it.
// `context` is the run's context (for the DKG, dkg_internal::dkg_context).
inline Tamper rewrite_consistently(std::size_t round, PartyId from, const Digest32& context,
                                   std::function<void(Bytes&)> edit) {
  auto digests = std::make_shared<std::pair<Digest32, Digest32>>();  // as sent, as edited
  return [=](InFlight& m) {
    if (m.from != from || !m.broadcast) return;
    if (m.round == round) {
      digests->first = broadcast_digest(context, round, from, m.payload);
      edit(m.payload);
      digests->second = broadcast_digest(context, round, from, m.payload);
    } else if (m.round == round + 1) {
      const auto& [sent, edited] = *digests;
      auto at = std::search(m.payload.begin(), m.payload.end(), sent.begin(), sent.end());
      REQUIRE(at != m.payload.end());  // the cheater's echo of its own broadcast
      std::copy(edited.begin(), edited.end(), at);
    }
  };
}

// Every honest party (all but `culprit`) ended without output; those in `accusers` aborted
// naming exactly `culprit`, and every other honest party either named the culprit among others,
// was stopped by the abort notice of an accuser (naming nobody: it cannot check the notice), or
// stopped waiting for a party that had aborted.
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
      const bool accuser_aborted = e.culprits.empty() && e.message.find("aborted the session") != std::string::npos;
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

// Some honest party's error says `reason`: the check meant to catch the cheat did.
inline void expect_reason(const SimulationResult& result, PartyId culprit, const std::string& reason) {
  bool found = false;
  for (const auto& [party, status] : result.status) {
    if (party != culprit && !status.ok()) found = found || status.error().describe().find(reason) != std::string::npos;
  }
  CHECK(found);
}

// Flips one bit of a scalar field that ends the payload (a share, delta or sigma message).
inline void corrupt_last_byte(Bytes& b) { b.back() ^= 1; }

}  // namespace tsign::test
