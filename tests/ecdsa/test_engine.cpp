// ECDSA key generation and signing driven by the protocol engine, over the in-process hub and
// over authenticated TCP on loopback.
#include <thread>

#include "helpers.hpp"
// After Catch (helpers.hpp): the TCP cluster helper uses REQUIRE.
#include "../net/tcp_fixture.hpp"
#include "tsign/net/memory_transport.hpp"

using namespace tsign;
using namespace tsign::ecdsa_test;

namespace {

EngineOptions options() {
  EngineOptions o;
  o.round_timeout = std::chrono::milliseconds(20'000);
  return o;
}

std::vector<EcdsaKeyShare> keygen_over_hub(std::uint32_t t, const std::vector<PartyId>& ids) {
  MemoryHub hub(ids);
  const DkgConfig config{random_session(), ids, t};
  std::vector<EcdsaKeyProtocol> parties;
  for (PartyId p : ids) parties.push_back(EcdsaKeyProtocol::keygen(p, config).value());
  for (const Status& s : run_in_threads(hub, pointers(parties), config.session, options())) REQUIRE(s.ok());
  std::vector<EcdsaKeyShare> shares;
  for (auto& p : parties) shares.push_back(p.take_output().value().value());
  return shares;
}

}  // namespace

TEST_CASE("ecdsa over the engine: key generation and signing through the in-process hub") {
  auto shares = keygen_over_hub(2, {1, 2, 3});
  const std::vector<PartyId> signers{1, 3};
  MemoryHub hub(signers);
  const EcdsaSignConfig config{random_session(), signers, {0, 9}, random_array<32>()};
  std::vector<EcdsaSignProtocol> parties;
  for (EcdsaKeyShare* share : pick(shares, signers)) parties.push_back(EcdsaSignProtocol::create(*share, config).value());
  for (const Status& s : run_in_threads(hub, pointers(parties), config.session, options())) REQUIRE(s.ok());
  for (auto& p : parties) {
    auto sig = p.take_output();
    REQUIRE(sig.ok());
    CHECK(verify_ecdsa(*sig, config.digest, p.public_key()).ok());
    CHECK(recover_ecdsa(*sig, config.digest).value() == p.public_key());
  }
}

TEST_CASE("ecdsa over the engine: a payload replayed from another session is caught by the protocol") {
  auto shares = fresh_key(2, 3);
  const std::vector<PartyId> signers{1, 2};
  auto run = [&](MemoryHub& hub) {
    const EcdsaSignConfig config{random_session(), signers, {}, random_array<32>()};
    std::vector<EcdsaSignProtocol> parties;
    for (EcdsaKeyShare* share : pick(shares, signers)) {
      parties.push_back(EcdsaSignProtocol::create(*share, config).value());
    }
    return run_in_threads(hub, pointers(parties), config.session, options());
  };
  MemoryHub first(signers);
  first.set_recording(true);
  for (const Status& s : run(first)) REQUIRE(s.ok());
  // The engine accepts the envelope (right session and round); only the payload is old.
  for (std::uint32_t round : {1u, 2u}) {
    INFO("round " << round);
    MemoryHub second(signers);
    MessageFilter filter;
    filter.from = 2;
    filter.to = 1;
    filter.round = round;
    filter.kind = MessageKind::Protocol;
    second.add_fault(Fault::replay(filter, first.recorded(), true));
    const auto statuses = run(second);
    REQUIRE_FALSE(statuses[0].ok());
    CHECK(statuses[0].error().culprits == std::vector<PartyId>{2});
    CHECK(second.fault_hits()[0] == 1);
  }
}

TEST_CASE("ecdsa over the engine: key generation and signing over TCP") {
  test::Cluster cluster({1, 2, 3});
  cluster.start();
  auto run_all = [&](std::vector<RoundProtocol*> parties, const SessionId& session) {
    std::map<PartyId, Status> out;
    for (auto* p : parties) out.emplace(p->self(), Status{});
    std::vector<std::thread> threads;
    for (auto* p : parties) {
      threads.emplace_back([&, p] {
        auto view = cluster.nodes.at(p->self())->open_session(session);
        out.at(p->self()) = view ? run_session(*p, **view, session, options()) : Status(view.error());
      });
    }
    for (auto& t : threads) t.join();
    return out;
  };
  const DkgConfig keygen{random_session(), {1, 2, 3}, 2};
  std::vector<EcdsaKeyProtocol> kg;
  for (PartyId p : keygen.parties) kg.push_back(EcdsaKeyProtocol::keygen(p, keygen).value());
  for (const auto& [id, s] : run_all(pointers(kg), keygen.session)) REQUIRE(s.ok());
  std::vector<EcdsaKeyShare> shares;
  for (auto& p : kg) shares.push_back(p.take_output().value().value());

  const EcdsaSignConfig config{random_session(), {2, 3}, {}, random_array<32>()};
  std::vector<EcdsaSignProtocol> parties;
  for (EcdsaKeyShare* share : pick(shares, config.signers)) {
    parties.push_back(EcdsaSignProtocol::create(*share, config).value());
  }
  for (const auto& [id, s] : run_all(pointers(parties), config.session)) REQUIRE(s.ok());
  const EcdsaSignature first = parties[0].take_output().value();
  CHECK(verify_ecdsa(first, config.digest, shares[0].key.group_public_key).ok());
  CHECK(first.compact() == parties[1].take_output().value().compact());
}
