// The pairwise setup of ECDSA key generation run on its own: each setup message a peer sends that
// does not parse or does not check out is refused, naming that peer.
//
// With members {1, 2, 3}: round 0 carries 2 -> 3 var(SetupMsg1) and a 32-byte seed contribution,
// 3 -> 2 the contribution alone; round 1 3 -> 2 SetupMsg2; round 2 2 -> 3 var(SetupMsg3) and
// var(ExtensionMsg); round 3 3 -> 2 the reverse SetupMsg3. Every OT message starts with its type,
// a version byte and the session tag.
#include <memory>

#include "ecdsa/pair_setup.hpp"
#include "helpers.hpp"

using namespace tsign;
using namespace tsign::ecdsa_test;
namespace ei = tsign::ecdsa_internal;

namespace {

SimulationResult run_setup(const Tamper& tamper) {
  const std::vector<PartyId> members{1, 2, 3};
  const Digest32 session = random_array<32>();
  std::vector<std::unique_ptr<Protocol<ei::PairStates>>> parties;
  for (PartyId p : members) parties.push_back(ei::PairSetup::make(p, members, session));
  return run_protocols(pointers(parties), tamper);
}

// Rewrites the one message `from` sends `to` in `round`.
Tamper edit(std::size_t round, PartyId from, PartyId to, std::function<void(Bytes&)> change) {
  return [=](InFlight& m) {
    if (m.round == round && m.from == from && m.to == to) change(m.payload);
  };
}

void expect_refused(const SimulationResult& run, PartyId victim, PartyId culprit, const std::string& why) {
  REQUIRE_FALSE(run.status.at(victim).ok());
  const Error& e = run.error(victim);
  INFO(e.describe());
  CHECK(e.kind == ErrorKind::ProtocolAborted);
  CHECK(e.culprits == std::vector<PartyId>{culprit});
  CHECK_THAT(e.message, Catch::Contains(why));
}

std::uint32_t be32(const Bytes& b, std::size_t at) {
  return (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) | (std::uint32_t{b[at + 2]} << 8) | b[at + 3];
}

}  // namespace

TEST_CASE("ecdsa pair setup: an honest run gives every pair") {
  auto run = run_setup({});
  CHECK(run.all_finished());
}

TEST_CASE("ecdsa pair setup: a short seed contribution is refused") {
  auto run = run_setup(edit(0, 3, 2, [](Bytes& p) { p.pop_back(); }));
  expect_refused(run, 2, 3, "malformed pairwise setup message 1");
}

TEST_CASE("ecdsa pair setup: a setup message 1 of another session is refused") {
  auto run = run_setup(edit(0, 2, 3, [](Bytes& p) { p[4 + 2] ^= 1; }));  // the tag, after the length prefix
  expect_refused(run, 3, 2, "OT setup message 1 belongs to another session");
}

TEST_CASE("ecdsa pair setup: a setup message 1 of the wrong type is refused") {
  auto run = run_setup(edit(0, 2, 3, [](Bytes& p) { p[4] = 3; }));  // the type, after the length prefix
  expect_refused(run, 3, 2, "OT setup message 1: wrong message type");
}

TEST_CASE("ecdsa pair setup: a setup message 2 of the wrong type is refused") {
  auto run = run_setup(edit(1, 3, 2, [](Bytes& p) { p[0] = 3; }));
  expect_refused(run, 2, 3, "OT setup message 2: wrong message type");
}

TEST_CASE("ecdsa pair setup: a setup message 2 of another session is refused") {
  auto run = run_setup(edit(1, 3, 2, [](Bytes& p) { p[2] ^= 1; }));  // inside the session tag
  expect_refused(run, 2, 3, "OT setup message 2 belongs to another session");
}

TEST_CASE("ecdsa pair setup: a trailing byte after the extension message is refused") {
  auto run = run_setup(edit(2, 2, 3, [](Bytes& p) { p.push_back(0); }));
  expect_refused(run, 3, 2, "malformed pairwise setup message 3");
}

TEST_CASE("ecdsa pair setup: a forward setup message 3 of the wrong type is refused") {
  auto run = run_setup(edit(2, 2, 3, [](Bytes& p) { p[4] = 2; }));  // after its length prefix
  expect_refused(run, 3, 2, "OT setup message 3: wrong message type");
}

TEST_CASE("ecdsa pair setup: a reverse extension message of the wrong type is refused") {
  auto run = run_setup(edit(2, 2, 3, [](Bytes& p) {
    const std::size_t extension = 4 + be32(p, 0) + 4;
    REQUIRE(extension < p.size());
    p[extension] = 3;
  }));
  expect_refused(run, 3, 2, "OT extension message: wrong message type");
}

TEST_CASE("ecdsa pair setup: a short reverse setup message 3 is refused") {
  auto run = run_setup(edit(3, 3, 2, [](Bytes& p) { p.pop_back(); }));
  expect_refused(run, 2, 3, "bytes of corrections");
}
