// The step that makes a derived session id fresh: every party ends with the same new id, each run
// with another, and a malformed or equivocated contribution names its sender.
#include <catch2/catch.hpp>

#include "tsign/protocol/fresh_session.hpp"
#include "tsign/testing/simulation.hpp"

using namespace tsign;
using tsign::testing::InFlight;
using tsign::testing::pointers;
using tsign::testing::SimulationOptions;
using tsign::testing::simulate;

namespace {

const std::vector<PartyId> kParties = {1, 2, 3};

std::vector<FreshSessionProtocol> parties_of(const SessionId& base) {
  std::vector<FreshSessionProtocol> out;
  for (PartyId p : kParties) out.push_back(FreshSessionProtocol::create(base, p, kParties).value());
  return out;
}

// Runs one fresh-session step and returns the id every party agreed on.
SessionId agreed_id(const SessionId& base) {
  auto parties = parties_of(base);
  auto result = simulate(pointers(parties));
  REQUIRE(result.all_finished());
  const SessionId id = parties[0].take_output().value();
  for (std::size_t i = 1; i < parties.size(); ++i) CHECK(parties[i].take_output().value() == id);
  return id;
}

}  // namespace

TEST_CASE("fresh session: every party derives one id, and each run another") {
  const SessionId base = random_session_id();
  const SessionId first = agreed_id(base);
  const SessionId second = agreed_id(base);
  CHECK(first != base);
  CHECK(first != second);
}

TEST_CASE("fresh session: a contribution that is not 32 bytes, or differs between parties, names its sender") {
  const SessionId base = random_session_id();
  auto parties = parties_of(base);
  SimulationOptions options;
  std::string reason;
  SECTION("short") {
    options.tamper = [](InFlight& m) {
      if (m.from == 2) m.payload.pop_back();
    };
  }
  SECTION("one copy differs") {
    options.tamper = [](InFlight& m) {
      if (m.from == 2 && m.to == 3) m.payload[0] ^= 1;
    };
  }
  auto result = simulate(pointers(parties), options);
  for (PartyId p : {1u, 3u}) {
    INFO("party " << p);
    REQUIRE_FALSE(result.status.at(p).ok());
    CHECK(result.error(p).culprits == std::vector<PartyId>{2});
  }
}

TEST_CASE("fresh session: a party list that is not a set holding this party is refused") {
  const SessionId base = random_session_id();
  CHECK_FALSE(FreshSessionProtocol::create(base, 4, kParties).ok());
  CHECK_FALSE(FreshSessionProtocol::create(base, 1, {1, 2, 2}).ok());
}
