#include "tsign/protocol/fresh_session.hpp"

#include <algorithm>
#include <string>

#include "tsign/core/hash.hpp"
#include "tsign/core/random.hpp"

namespace tsign {

namespace {

struct FreshSessionState final : ProtocolState<SessionId> {
  SessionId base{};
  PartyId self = 0;
  ByteArray<32> contribution = random_array<32>();

  Result<Outgoing> start() override {
    Outgoing out;
    out.push_back(broadcast(Bytes(contribution.begin(), contribution.end())));
    return out;
  }

  Result<Outgoing> advance(std::size_t, const RoundMessages&) override {
    return make_error(ErrorKind::Internal, "fresh session id: one round only");
  }

  Result<SessionId> finish(const RoundMessages& in) override {
    std::map<PartyId, ByteArray<32>> contributions{{self, contribution}};
    std::vector<PartyId> bad;
    for (const auto& [p, payload] : in.broadcast) {
      if (payload.size() != 32) {
        bad.push_back(p);
        continue;
      }
      std::copy(payload.begin(), payload.end(), contributions[p].begin());
    }
    if (!bad.empty()) {
      return make_error(ErrorKind::ProtocolAborted, "fresh session id: a contribution is not 32 bytes", bad);
    }
    return FreshSessionProtocol::derive(base, contributions);
  }
};

}  // namespace

Result<FreshSessionProtocol> FreshSessionProtocol::create(const SessionId& base, PartyId self, std::vector<PartyId> parties) {
  std::sort(parties.begin(), parties.end());
  if (std::adjacent_find(parties.begin(), parties.end()) != parties.end()) {
    return make_error(ErrorKind::InvalidInput, "fresh session id: a party is listed twice");
  }
  if (!std::binary_search(parties.begin(), parties.end(), self)) {
    return make_error(ErrorKind::InvalidInput,
                      "fresh session id: party " + std::to_string(self) + " is not among the parties");
  }
  auto state = std::make_unique<FreshSessionState>();
  state->base = base;
  state->self = self;
  std::vector<PartyId> others;
  for (PartyId p : parties) {
    if (p != self) others.push_back(p);
  }
  RoundShape shape = RoundShape::uniform(1, others, {true, false}).bounded(32);
  return FreshSessionProtocol(std::string(kName), self, std::move(parties), std::move(shape), std::move(state));
}

SessionId FreshSessionProtocol::derive(const SessionId& base, const std::map<PartyId, ByteArray<32>>& contributions) {
  Sha256 h = tagged_hasher("tsign/fresh-session");
  h.update(base);
  for (const auto& [party, x] : contributions) h.update_u32(party).update(x);
  return h.finish();
}

}  // namespace tsign
