#pragma once
// Shared by the net tests: coin-toss parties and checks on their outcomes.
#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tsign/core/random.hpp"
#include "tsign/protocol/coin_toss.hpp"
#include "tsign/net/engine.hpp"
#include "tsign/testing/signing_parties.hpp"

namespace tsign::test {

using testing::SigningParties;

struct CoinTossGroup {
  SessionId session;
  std::vector<PartyId> ids;
  std::map<PartyId, ByteArray<32>> contributions;
  std::vector<std::unique_ptr<CoinTossProtocol>> parties;

  CoinTossGroup(std::vector<PartyId> party_ids, const SessionId& sid = random_session_id())
      : session(sid), ids(std::move(party_ids)) {
    for (PartyId p : ids) {
      contributions[p] = random_array<32>();
      parties.push_back(std::make_unique<CoinTossProtocol>(CoinTossProtocol::create(session, p, ids, contributions[p]).value()));
    }
  }
  std::vector<RoundProtocol*> pointers() const {
    std::vector<RoundProtocol*> out;
    for (const auto& p : parties) out.push_back(p.get());
    return out;
  }
  CoinTossProtocol& party(PartyId id) {
    return *parties[static_cast<std::size_t>(std::find(ids.begin(), ids.end(), id) - ids.begin())];
  }
  Digest32 expected() const { return CoinTossProtocol::expected_value(session, contributions); }
  // Takes every party's output.
  bool all_agree() {
    for (const auto& p : parties) {
      auto value = p->take_output();
      if (!value.ok() || *value != expected()) return false;
    }
    return true;
  }
};

inline EngineOptions quick_options(int timeout_ms) {
  EngineOptions o;
  o.round_timeout = std::chrono::milliseconds(timeout_ms);
  return o;
}

inline std::string describe(const Status& s) { return s ? std::string("ok") : s.error().describe(); }

inline bool blames(const Status& s, std::vector<PartyId> culprits) {
  return !s && s.error().culprits == culprits;
}

// The parties a peer's abort notice blames, parsed from the message ("blames parties 2, 4").
inline std::vector<PartyId> blamed_by_notice(const Status& s) {
  std::vector<PartyId> out;
  const std::string key = "blames parties ";
  auto at = s.error().message.find(key);
  if (at == std::string::npos) return out;
  std::size_t i = at + key.size();
  const std::string& m = s.error().message;
  while (i < m.size() && std::isdigit(static_cast<unsigned char>(m[i]))) {
    std::size_t end = i;
    while (end < m.size() && std::isdigit(static_cast<unsigned char>(m[end]))) ++end;
    out.push_back(static_cast<PartyId>(std::stoul(m.substr(i, end - i))));
    i = end;
    if (m.compare(i, 2, ", ") == 0) i += 2;
  }
  return out;
}

// Aborted, blaming `culprit` either itself or through a peer's abort notice.
inline bool aborted_over(const Status& s, PartyId culprit) {
  if (s || s.error().kind != ErrorKind::ProtocolAborted) return false;
  const auto& c = s.error().culprits;
  if (std::find(c.begin(), c.end(), culprit) != c.end()) return true;
  auto b = blamed_by_notice(s);
  return std::find(b.begin(), b.end(), culprit) != b.end();
}

// Aborted, blaming exactly `culprits` either itself or through a peer's abort notice.
inline bool aborted_naming(const Status& s, std::vector<PartyId> culprits) {
  if (s || s.error().kind != ErrorKind::ProtocolAborted) return false;
  return s.error().culprits == culprits || blamed_by_notice(s) == culprits;
}

}  // namespace tsign::test
