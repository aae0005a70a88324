#include <catch2/catch.hpp>

#include <cstring>
#include <functional>
#include <set>

#include "ot/ggm.hpp"
#include "ot/primitives.hpp"
#include "ot/state_access.hpp"
#include "ot_test_support.hpp"
#include "tsign/core/random.hpp"

using namespace tsign;
using namespace tsign::ot;
namespace otd = tsign::ot::detail;
using tsign::ot::test::CorruptedSetup;

TEST_CASE("GGM puncturing rebuilds every leaf but the one at delta") {
  for (unsigned delta = 0; delta < kLeaves; ++delta) {
    otd::Seed root, leaves[kLeaves], sums[kSoftSpokenK][2], known[kSoftSpokenK], rel[kLeaves];
    random_fill({root, 32});
    otd::ggm_expand(root, leaves, sums);
    for (std::size_t l = 0; l < kSoftSpokenK; ++l) std::memcpy(known[l], sums[l][1 - ((delta >> l) & 1)], 32);
    otd::ggm_puncture(delta, known, rel);
    for (unsigned y = 1; y < kLeaves; ++y) REQUIRE(std::memcmp(rel[y], leaves[y ^ delta], 32) == 0);
  }
}

namespace {

// S knows every seed of R but the one at each chunk of Δ.
void expect_punctured_seeds(const OtSenderSetup& s, const OtReceiverSetup& r) {
  for (std::size_t chunk = 0; chunk < kChunks; ++chunk) {
    unsigned delta = 0;
    for (std::size_t l = 0; l < kSoftSpokenK; ++l) {
      delta |= unsigned{otd::get_bit(StateAccess::delta(s), chunk * kSoftSpokenK + l)} << l;
    }
    for (unsigned y = 1; y < kLeaves; ++y) {
      REQUIRE(std::memcmp(StateAccess::sender_seed(s, chunk, y), StateAccess::receiver_seed(r, chunk, y ^ delta), 32) ==
              0);
    }
  }
}

}  // namespace

TEST_CASE("setup: the sender holds all seeds but the one at each chunk of delta") {
  auto pair = test::run_setup(4, 9);
  CHECK(pair.sender.self() == 4);
  CHECK(pair.sender.peer() == 9);
  CHECK(pair.receiver.self() == 9);
  CHECK(pair.receiver.peer() == 4);
  expect_punctured_seeds(pair.sender, pair.receiver);
}

TEST_CASE("reverse setup: built from the forward pair, it has the same structure and an unrelated delta") {
  auto forward = test::run_setup(4, 9);
  auto reverse = test::run_reverse_setup(forward);
  CHECK(reverse.sender.self() == 9);
  CHECK(reverse.sender.peer() == 4);
  CHECK(reverse.receiver.self() == 4);
  CHECK(reverse.receiver.peer() == 9);
  expect_punctured_seeds(reverse.sender, reverse.receiver);
  CHECK(std::memcmp(StateAccess::delta(reverse.sender).data(), StateAccess::delta(forward.sender).data(),
                    kBaseOts / 8) != 0);
  CHECK_FALSE(forward.sender.poisoned());
}

TEST_CASE("reverse setup: a receiver that cheats in the extension is caught and named; a replay is refused") {
  auto forward = test::run_setup(4, 9);
  const Bytes sid = random_bytes(32), other_sid = random_bytes(32);
  const PairSession session{sid, 9, 4};

  SECTION("inconsistent choice bits") {
    auto started = SetupSender::reverse(forward.receiver, session);
    REQUIRE(started.ok());
    CHECK(started->second.encode().size() == 6166);
    ExtensionMsg msg = started->second;
    msg.payload.corrections[7] ^= 0x01;
    auto grown = SetupReceiver::reverse(forward.sender, session, msg);
    REQUIRE_FALSE(grown.ok());
    CHECK(grown.error().kind == ErrorKind::ProtocolAborted);
    CHECK(grown.error().culprits == std::vector<PartyId>{9});
    CHECK(forward.sender.poisoned());
  }
  SECTION("a message of another session") {
    auto started = SetupSender::reverse(forward.receiver, PairSession{other_sid, 9, 4});
    REQUIRE(started.ok());
    auto grown = SetupReceiver::reverse(forward.sender, session, started->second);
    REQUIRE_FALSE(grown.ok());
    CHECK(grown.error().culprits == std::vector<PartyId>{9});
  }
  SECTION("the parties' roles must match the forward states") {
    CHECK_FALSE(SetupSender::reverse(forward.receiver, PairSession{sid, 4, 9}).ok());
  }
}

TEST_CASE("setup: messages of another session or of the wrong kind are refused, naming the sender") {
  const Bytes sid = random_bytes(32), other = random_bytes(32);
  const PairSession session{sid, 4, 9}, other_session{other, 4, 9};
  auto r1 = SetupReceiver::start(session);
  REQUIRE(r1.ok());
  auto& [receiver, msg1] = *r1;
  // S runs another session: the tag of message 1 does not match.
  auto wrong = SetupSender::respond(other_session, msg1);
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().kind == ErrorKind::ProtocolAborted);
  CHECK(wrong.error().culprits == std::vector<PartyId>{9});

  const Bytes wire1 = msg1.encode();
  CHECK(wire1.size() == 51);
  REQUIRE(SetupMsg1::decode(wire1, 9).ok());
  CHECK_FALSE(SetupMsg2::decode(wire1, 9).ok());  // wrong type
  Bytes bad_version = wire1;
  bad_version[1] = 2;
  CHECK_FALSE(SetupMsg1::decode(bad_version, 9).ok());
  CHECK_FALSE(SetupMsg1::decode(ByteSpan(wire1).first(wire1.size() - 1), 9).ok());

  auto s2 = SetupSender::respond(session, *SetupMsg1::decode(wire1, 9));
  REQUIRE(s2.ok());
  const Bytes wire2 = s2->second.encode();
  CHECK(wire2.size() == 33298);
  CHECK_FALSE(SetupMsg2::decode(ByteSpan(wire2).first(wire2.size() - 32), 4).ok());
  auto m2 = SetupMsg2::decode(wire2, 4);
  REQUIRE(m2.ok());
  auto r3 = std::move(receiver).finish(*m2);
  REQUIRE(r3.ok());
  const Bytes wire3 = r3->second.encode();
  CHECK(wire3.size() == 20530);
  Bytes longer = wire3;
  longer.push_back(0);
  auto e = SetupMsg3::decode(longer, 9);
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().culprits == std::vector<PartyId>{9});
  auto m3 = SetupMsg3::decode(wire3, 9);
  REQUIRE(m3.ok());
  REQUIRE(std::move(s2->first).finish(*m3).ok());
}

TEST_CASE("setup state: strict versioned encoding") {
  auto pair = test::run_setup(1, 2);
  const SecretBytes se = pair.sender.encode();
  const SecretBytes re = pair.receiver.encode();
  CHECK(se.size() == OtSenderSetup::kEncodedSize);
  CHECK(re.size() == OtReceiverSetup::kEncodedSize);
  auto s = OtSenderSetup::decode(se.expose());
  REQUIRE(s.ok());
  CHECK(s->encode().expose().size() == se.size());
  CHECK(std::memcmp(s->encode().expose().data(), se.expose().data(), se.size()) == 0);
  auto r = OtReceiverSetup::decode(re.expose());
  REQUIRE(r.ok());
  CHECK(std::memcmp(r->encode().expose().data(), re.expose().data(), re.size()) == 0);

  // Roles are not interchangeable; truncation, trailing bytes, versions and ids are checked.
  CHECK_FALSE(OtReceiverSetup::decode(se.expose()).ok());
  CHECK_FALSE(OtSenderSetup::decode(re.expose()).ok());
  CHECK_FALSE(OtSenderSetup::decode(se.expose().first(se.size() - 1)).ok());
  Bytes longer(se.expose().begin(), se.expose().end());
  longer.push_back(0);
  CHECK_FALSE(OtSenderSetup::decode(longer).ok());
  auto mutate = [&](std::size_t offset, std::uint8_t value) {
    Bytes b(se.expose().begin(), se.expose().end());
    b[offset] = value;
    return OtSenderSetup::decode(b).ok();
  };
  CHECK_FALSE(mutate(0, 2));     // version
  CHECK_FALSE(mutate(2, 0));     // κ
  CHECK_FALSE(mutate(4, 4));     // k
  CHECK_FALSE(mutate(5, 2));     // status
  CHECK_FALSE(mutate(9, 0));     // self = 0
  CHECK_FALSE(mutate(13, 1));    // peer = self
  CHECK_FALSE(mutate(15, 1));    // reserved
  CHECK(mutate(5, 1));           // a poisoned state still decodes ...
  Bytes poisoned(se.expose().begin(), se.expose().end());
  poisoned[5] = 1;
  CHECK(OtSenderSetup::decode(poisoned)->poisoned());  // ... and stays poisoned
}

namespace {

CorruptedSetup corrupted_setup(const std::function<void(SetupMsg3&)>& corrupt) {
  return test::setup_with_message3(4, 9, corrupt);
}

}  // namespace

TEST_CASE("setup: one side of one GGM correction flipped is caught at setup whenever it reaches the sender's seeds") {
  // A flip on the side S unmasks leaves S's seeds of that chunk wrong: the tree proof fails at
  // setup and names R. A flip on the other side is one-time-padded with a key S does not hold: S
  // cannot see it, and its seeds are right (the pair works). So the setup fails exactly when bit i
  // of Δ selects the flipped side, and never later: the one guess the ideal all-but-one OT allows.
  const std::size_t level_ot = 10;  // base OT 10: chunk 5, level 0
  for (std::size_t side = 0; side < 2; ++side) {
    int failed = 0, passed = 0;
    std::set<std::uint8_t> passing_bits;
    for (int run = 0; run < 40; ++run) {
      auto setup = corrupted_setup([&](SetupMsg3& m) { m.corrections[2 * level_ot + side][7] ^= 0x20; });
      if (!setup.sender.ok()) {
        ++failed;
        CHECK(setup.sender.error().kind == ErrorKind::ProtocolAborted);
        CHECK(setup.sender.error().culprits == std::vector<PartyId>{9});
        CHECK_THAT(setup.sender.error().message, Catch::Contains("not consistent with their proofs"));
        continue;
      }
      ++passed;
      passing_bits.insert(otd::get_bit(StateAccess::delta(*setup.sender), level_ot));
      expect_punctured_seeds(*setup.sender, setup.receiver->first);  // the pair is sound
    }
    INFO("side " << side << ": " << failed << " failed, " << passed << " passed");
    CHECK(failed > 0);
    CHECK(passed > 0);
    CHECK(passing_bits.size() == 1);  // the outcome is Δ's bit, nothing else
  }
}

TEST_CASE("setup: corrections wrong on both sides, or tree proofs altered, fail at setup naming the receiver") {
  const std::vector<std::pair<const char*, std::function<void(SetupMsg3&)>>> corruptions = {
      {"both sides of a correction", [](SetupMsg3& m) {
         m.corrections[2 * 10][0] ^= 1;
         m.corrections[2 * 10 + 1][0] ^= 1;
       }},
      {"a chunk's proof sum", [](SetupMsg3& m) { m.proof_sums[77][31] ^= 0x80; }},
      {"the proof digest", [](SetupMsg3& m) { m.proof_digest[0] ^= 1; }},
      {"the last level of the last chunk", [](SetupMsg3& m) {
         m.corrections[2 * (kBaseOts - 1)][3] ^= 4;
         m.corrections[2 * (kBaseOts - 1) + 1][3] ^= 4;
       }},
  };
  for (const auto& [what, corrupt] : corruptions) {
    INFO(what);
    for (int run = 0; run < 4; ++run) {
      auto setup = corrupted_setup(corrupt);
      REQUIRE_FALSE(setup.sender.ok());
      CHECK(setup.sender.error().kind == ErrorKind::ProtocolAborted);
      CHECK(setup.sender.error().culprits == std::vector<PartyId>{9});
    }
  }
}
