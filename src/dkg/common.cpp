#include "common.hpp"

#include <set>

namespace tsign::dkg_internal {

void judge_echoes(PartyId self, const EchoEntries& mine, const std::map<PartyId, EchoEntries>& theirs, Blame& blame) {
  std::set<PartyId> proven;
  std::vector<std::pair<PartyId, PartyId>> disputes;  // (broadcaster, echoer)
  for (const auto& [echoer, claims] : theirs) {
    for (const auto& [sender, digest] : mine) {
      auto it = claims.find(sender);
      if (it != claims.end() && it->second == digest) continue;
      if (sender == self || sender == echoer) {
        if (proven.insert(echoer).second) {
          blame.add(echoer, sender == self ? "misreported our own broadcast"
                                           : "sent different broadcasts to different parties");
        }
      } else {
        disputes.emplace_back(sender, echoer);
      }
    }
  }
  for (const auto& [sender, echoer] : disputes) {
    if (proven.count(sender) || proven.count(echoer)) continue;
    const std::string why = "party " + std::to_string(echoer) + " reports a different copy of party " +
                            std::to_string(sender) + "'s broadcast (one of the two is faulty)";
    blame.add(sender, why);
    blame.add(echoer, why);
  }
}

Status validate_party_list(const std::vector<PartyId>& ids, std::string_view what) {
  TSIGN_CHECK(validate_identifiers(ids));
  if (!std::is_sorted(ids.begin(), ids.end())) {
    return make_error(ErrorKind::InvalidInput, std::string(what) + " must be listed in ascending order");
  }
  if (ids.size() > KeyShare<Secp256k1>::kMaxParties) {
    return make_error(ErrorKind::InvalidInput, std::string(what) + ": too many parties");
  }
  return {};
}

}  // namespace tsign::dkg_internal
