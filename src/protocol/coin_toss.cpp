#include "tsign/protocol/coin_toss.hpp"

#include <algorithm>
#include <string>

#include "tsign/core/random.hpp"

namespace tsign {

namespace {

Error blame(std::size_t round, const std::vector<PartyId>& culprits, const std::string& what) {
  return make_error(ErrorKind::ProtocolAborted, "coin toss round " + std::to_string(round) + ": " + what, culprits);
}

struct CoinTossState final : ProtocolState<Digest32> {
  SessionId session{};
  PartyId self = 0;
  std::vector<PartyId> parties;
  ByteArray<32> contribution{};
  ByteArray<32> salt{};
  std::map<PartyId, Digest32> commitments;
  Digest32 computed{};

  Digest32 commitment(PartyId party, ByteSpan x, ByteSpan s) const {
    Sha256 h = tagged_hasher("tsign/coin-toss/commit");
    h.update(session).update_u32(party).update(x).update(s);
    return h.finish();
  }

  Result<Outgoing> start() override {
    Digest32 c = commitment(self, contribution, salt);
    Outgoing out;
    out.push_back(broadcast(Bytes(c.begin(), c.end())));
    return out;
  }

  Result<Outgoing> advance(std::size_t round, const RoundMessages& in) override {
    return round == 0 ? round0(in) : round1(in);
  }

  // Round 0 in: commitments. Out: the opening, to each party.
  Result<Outgoing> round0(const RoundMessages& in) {
    std::vector<PartyId> bad;
    for (const auto& [p, payload] : in.broadcast) {
      if (payload.size() != 32) {
        bad.push_back(p);
        continue;
      }
      std::copy(payload.begin(), payload.end(), commitments[p].begin());
    }
    if (!bad.empty()) return blame(0, bad, "commitment is not 32 bytes");
    Bytes opening(contribution.begin(), contribution.end());
    append(opening, salt);
    Outgoing out;
    for (PartyId p : parties) {
      if (p != self) out.push_back(direct(p, opening));
    }
    return out;
  }

  // Round 1 in: openings. Out: the value.
  Result<Outgoing> round1(const RoundMessages& in) {
    std::vector<PartyId> bad;
    std::map<PartyId, ByteArray<32>> contributions{{self, contribution}};
    for (const auto& [p, payload] : in.direct) {
      ByteSpan bytes(payload);
      if (bytes.size() != 64 || commitment(p, bytes.first(32), bytes.subspan(32)) != commitments.at(p)) {
        bad.push_back(p);
        continue;
      }
      std::copy(bytes.begin(), bytes.begin() + 32, contributions[p].begin());
    }
    if (!bad.empty()) return blame(1, bad, "opening does not match the commitment");
    computed = CoinTossProtocol::expected_value(session, contributions);
    Outgoing out;
    out.push_back(broadcast(Bytes(computed.begin(), computed.end())));
    return out;
  }

  // Round 2 in: everyone's value.
  Result<Digest32> finish(const RoundMessages& in) override {
    std::vector<PartyId> bad;
    for (const auto& [p, payload] : in.broadcast) {
      if (!std::equal(payload.begin(), payload.end(), computed.begin(), computed.end())) bad.push_back(p);
    }
    if (!bad.empty()) return blame(2, bad, "confirmed a different value");
    return computed;
  }
};

}  // namespace

Result<CoinTossProtocol> CoinTossProtocol::create(const SessionId& session, PartyId self, std::vector<PartyId> parties) {
  return create(session, self, std::move(parties), random_array<32>());
}

Result<CoinTossProtocol> CoinTossProtocol::create(const SessionId& session, PartyId self, std::vector<PartyId> parties,
                                                  const ByteArray<32>& contribution) {
  std::sort(parties.begin(), parties.end());
  if (std::adjacent_find(parties.begin(), parties.end()) != parties.end()) {
    return make_error(ErrorKind::InvalidInput, "coin toss: a party is listed twice");
  }
  if (!std::binary_search(parties.begin(), parties.end(), self)) {
    return make_error(ErrorKind::InvalidInput, "coin toss: party " + std::to_string(self) + " is not among the parties");
  }
  auto state = std::make_unique<CoinTossState>();
  state->session = session;
  state->self = self;
  state->parties = parties;
  state->contribution = contribution;
  state->salt = random_array<32>();
  std::vector<PartyId> others;
  for (PartyId p : parties) {
    if (p != self) others.push_back(p);
  }
  RoundShape shape(kRounds);
  shape.expect(0, others, {true, false});
  shape.expect(1, others, {false, true});
  shape.expect(2, others, {true, false});
  shape.bounded(64);  // the opening: contribution and salt
  return CoinTossProtocol(std::string(kName), self, std::move(parties), std::move(shape), std::move(state));
}

Digest32 CoinTossProtocol::expected_value(const SessionId& session, const std::map<PartyId, ByteArray<32>>& contributions) {
  Sha256 h = tagged_hasher("tsign/coin-toss/value");
  h.update(session);
  for (const auto& [party, x] : contributions) h.update_u32(party).update(x);
  return h.finish();
}

}  // namespace tsign
