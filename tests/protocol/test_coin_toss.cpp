// The coin toss's refusals one by one: a malformed commitment, a confirmation of another value,
// and a party list that is not a set holding this party.
#include <catch2/catch.hpp>

#include <string>

#include "tsign/protocol/coin_toss.hpp"
#include "tsign/testing/simulation.hpp"

using namespace tsign;
using tsign::testing::InFlight;
using tsign::testing::pointers;
using tsign::testing::run_protocols;
using tsign::testing::SimulationResult;

namespace {

const std::vector<PartyId> kParties = {1, 2, 3};
constexpr PartyId kCheater = 2;

std::vector<CoinTossProtocol> coin_toss_parties(const SessionId& session) {
  std::vector<CoinTossProtocol> out;
  for (PartyId p : kParties) out.push_back(CoinTossProtocol::create(session, p, kParties).value());
  return out;
}

// Every honest party failed; at least one of them aborted naming only the cheater for `reason`.
void expect_cheater_named(const SimulationResult& result, const std::string& reason) {
  bool named = false;
  for (const auto& [party, status] : result.status) {
    if (party == kCheater) continue;
    INFO("party " << party);
    REQUIRE_FALSE(status.ok());
    const Error& e = status.error();
    INFO(e.describe());
    if (e.kind == ErrorKind::ProtocolAborted && e.culprits == std::vector<PartyId>{kCheater} &&
        e.message.find(reason) != std::string::npos) {
      named = true;
    }
  }
  CHECK(named);
}

}  // namespace

TEST_CASE("coin toss: a commitment that is not 32 bytes names its sender in round 0") {
  SessionId session{};
  session.fill(0x41);
  auto parties = coin_toss_parties(session);
  auto result = run_protocols(pointers(parties), [](InFlight& m) {
    if (m.round == 0 && m.from == kCheater && m.broadcast) m.payload.pop_back();
  });
  expect_cheater_named(result, "coin toss round 0: commitment is not 32 bytes");
}

TEST_CASE("coin toss: a party that confirms a different value is named in round 2") {
  SessionId session{};
  session.fill(0x42);
  auto parties = coin_toss_parties(session);
  auto result = run_protocols(pointers(parties), [](InFlight& m) {
    if (m.round == 2 && m.from == kCheater && m.broadcast) m.payload[0] ^= 1;
  });
  expect_cheater_named(result, "coin toss round 2: confirmed a different value");
}

TEST_CASE("coin toss: a party listed twice or a party outside the list is refused at creation") {
  SessionId session{};
  auto twice = CoinTossProtocol::create(session, 1, {3, 1, 2, 3});
  REQUIRE_FALSE(twice.ok());
  CHECK(twice.error().kind == ErrorKind::InvalidInput);
  CHECK(twice.error().message.find("a party is listed twice") != std::string::npos);

  auto outside = CoinTossProtocol::create(session, 5, {1, 2, 3});
  REQUIRE_FALSE(outside.ok());
  CHECK(outside.error().kind == ErrorKind::InvalidInput);
  CHECK(outside.error().message.find("party 5 is not among the parties") != std::string::npos);

  CHECK(CoinTossProtocol::create(session, 3, {3, 1, 2}).ok());
}
