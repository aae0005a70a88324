#include "tsign/protocol/coin_toss.hpp"

#include <algorithm>
#include <string>

#include "tsign/core/random.hpp"

namespace tsign {

CoinTossProtocol::CoinTossProtocol(const SessionId& session, PartyId self, std::vector<PartyId> parties)
    : CoinTossProtocol(session, self, std::move(parties), random_array<32>()) {}

CoinTossProtocol::CoinTossProtocol(const SessionId& session, PartyId self, std::vector<PartyId> parties,
                                   const ByteArray<32>& contribution)
    : session_(session), self_(self), parties_(std::move(parties)), contribution_(contribution),
      salt_(random_array<32>()) {
  std::sort(parties_.begin(), parties_.end());
}

RoundSpec CoinTossProtocol::expects_from(std::size_t round, PartyId) const {
  RoundSpec spec;
  spec.broadcast = round == 0 || round == 2;
  spec.direct = round == 1;
  return spec;
}

Digest32 CoinTossProtocol::commitment(PartyId party, ByteSpan contribution, ByteSpan salt) const {
  Sha256 h = tagged_hasher("tsign/coin-toss/commit");
  h.update(session_).update_u32(party).update(contribution).update(salt);
  return h.finish();
}

Digest32 CoinTossProtocol::expected_value(const SessionId& session, const std::map<PartyId, ByteArray<32>>& contributions) {
  Sha256 h = tagged_hasher("tsign/coin-toss/value");
  h.update(session);
  for (const auto& [party, x] : contributions) h.update_u32(party).update(x);
  return h.finish();
}

Result<std::vector<OutgoingMessage>> CoinTossProtocol::start() {
  Digest32 c = commitment(self_, contribution_, salt_);
  return std::vector<OutgoingMessage>{{std::nullopt, Bytes(c.begin(), c.end())}};
}

namespace {
Error blame(std::size_t round, const std::vector<PartyId>& culprits, const std::string& what) {
  return make_error(ErrorKind::ProtocolAborted, "coin toss round " + std::to_string(round) + ": " + what, culprits);
}
}  // namespace

Result<std::vector<OutgoingMessage>> CoinTossProtocol::advance(std::size_t round, const RoundMessages& in) {
  std::vector<PartyId> bad;
  std::vector<OutgoingMessage> out;
  for (PartyId p : parties_) {
    if (p == self_) continue;
    const auto& source = round == 1 ? in.direct : in.broadcast;
    if (!source.count(p)) return make_error(ErrorKind::Internal, "coin toss: a message is missing");
  }
  switch (round) {
    case 0: {
      for (const auto& [p, payload] : in.broadcast) {
        if (payload.size() != 32) {
          bad.push_back(p);
          continue;
        }
        std::copy(payload.begin(), payload.end(), commitments_[p].begin());
      }
      if (!bad.empty()) return blame(round, bad, "commitment is not 32 bytes");
      Bytes opening(contribution_.begin(), contribution_.end());
      append(opening, salt_);
      for (PartyId p : parties_) {
        if (p != self_) out.push_back({p, opening});
      }
      return out;
    }
    case 1: {
      std::map<PartyId, ByteArray<32>> contributions{{self_, contribution_}};
      for (const auto& [p, payload] : in.direct) {
        ByteSpan bytes(payload);
        if (bytes.size() != 64 || commitment(p, bytes.first(32), bytes.subspan(32)) != commitments_.at(p)) {
          bad.push_back(p);
          continue;
        }
        std::copy(bytes.begin(), bytes.begin() + 32, contributions[p].begin());
      }
      if (!bad.empty()) return blame(round, bad, "opening does not match the commitment");
      computed_ = expected_value(session_, contributions);
      return std::vector<OutgoingMessage>{{std::nullopt, Bytes(computed_.begin(), computed_.end())}};
    }
    case 2: {
      for (const auto& [p, payload] : in.broadcast) {
        if (!std::equal(payload.begin(), payload.end(), computed_.begin(), computed_.end())) bad.push_back(p);
      }
      if (!bad.empty()) return blame(round, bad, "confirmed a different value");
      value_ = computed_;
      return std::vector<OutgoingMessage>{};
    }
    default:
      return make_error(ErrorKind::Internal, "coin toss: no round " + std::to_string(round));
  }
}

}  // namespace tsign
