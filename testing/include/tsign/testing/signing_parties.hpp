#pragma once
// An identity key per party and the broadcast keys each party runs with, for tests that run
// sessions with signed broadcasts (as every vault does).
#include <map>
#include <vector>

#include "tsign/core/identity_key.hpp"
#include "tsign/net/broadcast_keys.hpp"
#include "tsign/net/engine.hpp"

namespace tsign::testing {

struct SigningParties {
  std::map<PartyId, IdentityKey> identity;
  std::map<PartyId, BroadcastKeys> keys;
  explicit SigningParties(const std::vector<PartyId>& ids) {
    std::map<PartyId, ByteArray<32>> public_keys;
    for (PartyId p : ids) public_keys[p] = identity.emplace(p, IdentityKey::generate()).first->second.public_key();
    for (PartyId p : ids) keys[p] = BroadcastKeys{&identity.at(p), public_keys};
  }
  // `base` for every party of `ids` (in that order), each with its own keys.
  std::vector<EngineOptions> options(const std::vector<PartyId>& ids, const EngineOptions& base) const {
    std::vector<EngineOptions> out;
    for (PartyId p : ids) {
      out.push_back(base);
      out.back().broadcast_keys = &keys.at(p);
    }
    return out;
  }
};

}  // namespace tsign::testing
