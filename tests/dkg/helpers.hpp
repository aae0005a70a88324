#pragma once
// Shared set-up for the key-management tests: run a DKG and collect the key shares.
#include <catch2/catch.hpp>

#include <numeric>

#include "dkg/messages.hpp"
#include "signing_check.hpp"
#include "tsign/dkg/dkg.hpp"
#include "tsign/frost/signing_protocol.hpp"
#include "tsign/testing/simulation.hpp"

namespace tsign::test {

// Every protocol test runs its parties through the one simulation harness (engine mode).
using namespace tsign::testing;

inline SessionId session_of(std::uint8_t tag) {
  SessionId s{};
  s.fill(tag);
  return s;
}

inline std::vector<PartyId> ids_1_to(std::uint32_t n) {
  std::vector<PartyId> ids(n);
  std::iota(ids.begin(), ids.end(), 1u);
  return ids;
}

template <class C>
std::vector<DkgProtocol<C>> dkg_parties(const DkgConfig& config) {
  std::vector<DkgProtocol<C>> out;
  for (PartyId p : config.parties) out.push_back(DkgProtocol<C>::create(p, config).value());
  return out;
}

// Runs a clean DKG and returns every party's key share, in party order.
template <class C>
std::vector<KeyShare<typename C::Group>> generate_key(std::uint32_t t, const std::vector<PartyId>& ids,
                                                      std::uint8_t session_tag = 1) {
  auto parties = dkg_parties<C>({session_of(session_tag), ids, t});
  auto result = run_protocols(pointers(parties));
  REQUIRE(result.all_finished());
  std::vector<KeyShare<typename C::Group>> shares;
  for (auto& p : parties) shares.push_back(p.take_output().value());
  return shares;
}

// The shares of the listed parties, as signer pointers.
template <class G>
std::vector<const KeyShare<G>*> signers_of(const std::vector<KeyShare<G>>& shares, const std::vector<PartyId>& ids) {
  std::vector<const KeyShare<G>*> out;
  for (PartyId id : ids) {
    for (const auto& s : shares) {
      if (s.self == id) out.push_back(&s);
    }
  }
  return out;
}

// Every share agrees on the public data, validates, and any t of them (first and last t) sign.
template <class G>
void check_key(const std::vector<KeyShare<G>>& shares) {
  REQUIRE_FALSE(shares.empty());
  const auto& first = shares.front();
  for (const auto& s : shares) {
    REQUIRE(s.validate().ok());
    CHECK(s.group_public_key == first.group_public_key);
    CHECK(s.key_id == first.key_id);
    CHECK(s.chain_code == first.chain_code);
    CHECK(s.epoch == first.epoch);
    CHECK(s.threshold == first.threshold);
    CHECK(s.parties == first.parties);
    CHECK(s.verifying_shares == first.verifying_shares);
  }
  const Bytes message = {'t', 's', 'i', 'g', 'n'};
  const std::size_t t = first.threshold;
  CHECK(threshold_signature_verifies(first_signers(shares, t), message));
  std::vector<const KeyShare<G>*> last;
  for (std::size_t i = shares.size() - t; i < shares.size(); ++i) last.push_back(&shares[i]);
  CHECK(threshold_signature_verifies(last, message));
  if (t > 1) CHECK_FALSE(threshold_signature_verifies(first_signers(shares, t - 1), message));
}

}  // namespace tsign::test

namespace tsign::test {

// The listed holders sign `message` with FROST (SigningProtocol, driven like the others); the
// signature must verify under the suite's reference verifier (libsecp256k1 BIP-340 for TR,
// libsodium for Ed25519), for the output key of `tweak` in the TR suite.
template <class C>
bool frost_signature_verifies(const std::vector<KeyShare<typename C::Group>>& shares, const std::vector<PartyId>& signers,
                              const Bytes& message, const frost::TaprootTweak& tweak = {}) {
  std::vector<frost::SigningProtocol<C>> parties;
  for (const auto* s : signers_of(shares, signers)) {
    auto party = frost::SigningProtocol<C>::create(s->clone(), signers, message, tweak);
    if (!party.ok()) return false;
    parties.push_back(std::move(party).value());
  }
  if (parties.size() != signers.size()) return false;
  std::vector<RoundProtocol*> ptrs;
  for (auto& p : parties) ptrs.push_back(&p);
  if (!run_protocols(ptrs).all_finished()) return false;
  auto signature = parties.front().take_output();
  if (!signature.ok()) return false;
  auto key = shares.front().group_public_key;
  if constexpr (C::kTaproot) key = frost::taproot_output_key(key, tweak).value();
  return frost::verify_signature<C>(message, *signature, key);
}

// The identifiers of the last `count` holders.
template <class G>
std::vector<PartyId> last_ids(const std::vector<KeyShare<G>>& shares, std::size_t count) {
  std::vector<PartyId> out;
  for (std::size_t i = shares.size() - count; i < shares.size(); ++i) out.push_back(shares[i].self);
  return out;
}

inline bool contains_id(const std::vector<PartyId>& ids, PartyId p) {
  return std::find(ids.begin(), ids.end(), p) != ids.end();
}
}  // namespace tsign::test
