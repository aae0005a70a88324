// The protocols of this layer driven by the engine over the in-process transport, one thread per
// party, including faults the transport injects.
#include "reshare_helpers.hpp"
#include "tsign/net/memory_transport.hpp"
#include "tsign/testing/signing_parties.hpp"

using namespace tsign;
using namespace tsign::test;

namespace {

EngineOptions quick() {
  EngineOptions o;
  o.round_timeout = std::chrono::milliseconds(5000);
  return o;
}

// The engine stops a session at the first fault anyone finds: a party either names the culprit
// itself, or learns of the abort from a peer whose notice carries the reason.
bool names(const Error& e, PartyId culprit) {
  if (e.kind != ErrorKind::ProtocolAborted) return false;
  if (std::find(e.culprits.begin(), e.culprits.end(), culprit) != e.culprits.end()) return true;
  return e.message.find("aborted the session") != std::string::npos &&
         e.message.find(std::to_string(culprit)) != std::string::npos;
}

}  // namespace

TEST_CASE("engine: DKG, then resharing to a grown committee, then FROST signing") {
  using C = FrostSecp256k1;
  const DkgConfig config{session_of(110), {1, 2, 3}, 2};
  auto parties = dkg_parties<C>(config);
  MemoryHub hub(config.parties);
  for (const auto& s : run_in_threads(hub, pointers(parties), config.session, quick())) REQUIRE(s.ok());
  std::vector<KeyShare<Secp256k1>> shares;
  for (auto& p : parties) shares.push_back(p.take_output().value());
  check_key(shares);

  const ReshareConfig reshare{session_of(111), {1, 3}, {1, 2, 3, 4, 5}, 3};
  auto dealers = reshare_parties(shares, reshare);
  MemoryHub hub2(reshare.new_parties);
  for (const auto& s : run_in_threads(hub2, pointers(dealers), reshare.session, quick())) REQUIRE(s.ok());
  std::vector<KeyShare<Secp256k1>> grown;
  for (auto& p : dealers) grown.push_back(p.take_output().value().value());
  check_key(grown);
  CHECK(grown[0].group_public_key == shares[0].group_public_key);
  CHECK(frost_signature_verifies<C>(grown, {2, 4, 5}, Bytes{'e'}));
}

TEST_CASE("engine: an equivocating dealer is named and nobody keeps a key") {
  const DkgConfig config{session_of(112), {1, 2, 3, 4}, 3};
  auto parties = dkg_parties<FrostEd25519>(config);
  MemoryHub hub(config.parties);
  MessageFilter filter;
  filter.from = 3;
  filter.to = 1;
  filter.round = 0;
  filter.broadcast = true;
  hub.add_fault(Fault::equivocate(filter));
  // Signed broadcasts: the altered copy carries no signature of party 3's, so party 1 names it at
  // once and its notice stops the others.
  testing::SigningParties signing(config.parties);
  auto out = run_in_threads(hub, pointers(parties), config.session, signing.options(config.parties, quick()));
  for (std::size_t i = 0; i < parties.size(); ++i) {
    if (parties[i].self() == 3) continue;
    REQUIRE_FALSE(out[i].ok());
    INFO(out[i].error().describe());
    CHECK(names(out[i].error(), 3));
    CHECK_FALSE(parties[i].take_output().ok());
  }
}

TEST_CASE("engine: a payload replayed from another session is caught by the protocol's own binding") {
  const std::vector<PartyId> ids = {1, 2, 3};
  // Record a first session.
  auto first = dkg_parties<FrostSecp256k1>({session_of(113), ids, 2});
  MemoryHub recorder(ids);
  recorder.set_recording(true);
  for (const auto& s : run_in_threads(recorder, pointers(first), session_of(113), quick())) REQUIRE(s.ok());
  // In a second session, party 2's round-0 payload is swapped for the recorded one inside a
  // fresh envelope, which the engine cannot tell apart.
  auto second = dkg_parties<FrostSecp256k1>({session_of(114), ids, 2});
  MemoryHub hub(ids);
  MessageFilter filter;
  filter.from = 2;
  filter.round = 0;
  hub.add_fault(Fault::replay(filter, recorder.recorded(), /*payload_only=*/true));
  auto out = run_in_threads(hub, pointers(second), session_of(114), quick());
  for (std::size_t i : {0u, 2u}) {
    REQUIRE_FALSE(out[i].ok());
    INFO(out[i].error().describe());
    CHECK(names(out[i].error(), 2));
    CHECK_FALSE(second[i].take_output().ok());
  }
}
