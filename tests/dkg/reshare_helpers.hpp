#pragma once
// Builds the parties of a resharing from the old shares and runs it.
#include "helpers.hpp"
#include "tsign/dkg/reshare.hpp"

namespace tsign::test {

// Holders of the old epoch join with their share, everyone else with the key's identity.
template <class G>
std::vector<ReshareProtocol<G>> reshare_parties(const std::vector<KeyShare<G>>& old_shares, const ReshareConfig& config) {
  std::vector<PartyId> everyone = config.old_quorum;
  everyone.insert(everyone.end(), config.new_parties.begin(), config.new_parties.end());
  std::sort(everyone.begin(), everyone.end());
  everyone.erase(std::unique(everyone.begin(), everyone.end()), everyone.end());
  std::vector<ReshareProtocol<G>> out;
  const auto& any = old_shares.front();
  for (PartyId p : everyone) {
    const KeyShare<G>* held = nullptr;
    for (const auto& s : old_shares) {
      if (s.self == p) held = &s;
    }
    auto party = held ? ReshareProtocol<G>::create(*held, config)
                      : ReshareProtocol<G>::join(p, any.key_id, any.group_public_key, config);
    REQUIRE(party.ok());
    out.push_back(std::move(party).value());
  }
  return out;
}

// The receivers' new shares, in party order.
template <class G>
std::vector<KeyShare<G>> reshare(const std::vector<KeyShare<G>>& old_shares, const ReshareConfig& config) {
  auto parties = reshare_parties(old_shares, config);
  auto result = run_protocols(pointers(parties));
  REQUIRE(result.all_finished());
  std::vector<KeyShare<G>> out;
  for (auto& p : parties) {
    auto share = p.take_output().value();
    CHECK(share.has_value() == p.is_receiver());
    if (share) out.push_back(std::move(*share));
  }
  return out;
}

}  // namespace tsign::test
