#include <catch2/catch.hpp>

#include <cstring>

#include "ot/extension_core.hpp"
#include "ot/primitives.hpp"
#include "ot/session_digest.hpp"
#include "ot_test_support.hpp"
#include "ot/extension.hpp"

using namespace tsign;
using namespace tsign::ot;
namespace otd = tsign::ot::detail;

namespace {

constexpr PartyId kS = 2, kR = 5;

void check_correlation(const ExtensionSenderOutput& s, const ExtensionReceiverOutput& r) {
  REQUIRE(s.ots == r.ots);
  for (std::size_t j = 0; j < s.ots; ++j) {
    const unsigned x = otd::get_bit(r.choices.expose(), j);
    for (std::size_t i = 0; i < kRowBytes; ++i) {
      const std::uint8_t q = s.rows.expose()[j * kRowBytes + i];
      const std::uint8_t t = r.rows.expose()[j * kRowBytes + i];
      REQUIRE(q == static_cast<std::uint8_t>(t ^ (x ? s.delta.expose()[i] : 0)));
    }
  }
}

}  // namespace

TEST_CASE("OT extension: q_j = t_j XOR x_j·Delta and random-OT messages match, over many batches") {
  auto pair = test::run_setup(kS, kR);
  std::size_t ones = 0, total = 0;
  for (std::size_t ots : {1u, 63u, 416u, 4096u}) {
    const Bytes sid = random_bytes(16);
    const PairSession session{sid, kS, kR};
    auto r = extend_receiver(pair.receiver, session, ots);
    REQUIRE(r.ok());
    auto msg = ExtensionMsg::decode(r->second.encode(), ots, kR);
    REQUIRE(msg.ok());
    auto s = extend_sender(pair.sender, session, *msg);
    REQUIRE(s.ok());
    check_correlation(*s, r->first);

    const std::size_t width = 96;
    const SecretBytes mr = rot_receiver_messages(r->first, session, width);
    const SecretBytes ms = rot_sender_messages(*s, session, width);
    for (std::size_t j = 0; j < ots; ++j) {
      const unsigned x = otd::get_bit(r->first.choices.expose(), j);
      ones += x;
      ++total;
      const std::uint8_t* got = mr.expose().data() + j * width;
      REQUIRE(std::memcmp(got, ms.expose().data() + (2 * j + x) * width, width) == 0);
      REQUIRE(std::memcmp(got, ms.expose().data() + (2 * j + 1 - x) * width, width) != 0);
    }
  }
  // The choice bits are pseudorandom: far from all zeros or all ones.
  CHECK(ones > total / 3);
  CHECK(ones < 2 * total / 3);
}

TEST_CASE("OT extension: a receiver with inconsistent choice bits is caught and the sender's state poisoned") {
  auto pair = test::run_setup(kS, kR);
  const Bytes sid = random_bytes(16);
  const PairSession session{sid, kS, kR};
  const Digest32 digest = otd::session_digest("OT extension", session);
  auto r = otd::extend_receiver_deviating(pair.receiver, digest, 416, otd::ReceiverDeviation{17});
  REQUIRE(r.ok());
  ExtensionMsg msg{otd::session_tag(digest), 416, r->second};
  auto s = extend_sender(pair.sender, session, msg);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().kind == ErrorKind::ProtocolAborted);
  CHECK(s.error().culprits == std::vector<PartyId>{kR});
  CHECK(pair.sender.poisoned());

  // Terminal: even an honest message is now refused, naming the same peer.
  const Bytes sid2 = random_bytes(16);
  const PairSession session2{sid2, kS, kR};
  auto honest = extend_receiver(pair.receiver, session2, 416);
  REQUIRE(honest.ok());
  auto again = extend_sender(pair.sender, session2, honest->second);
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().kind == ErrorKind::ProtocolAborted);
  CHECK(again.error().culprits == std::vector<PartyId>{kR});
  // And the poisoned flag survives storage.
  auto stored = OtSenderSetup::decode(pair.sender.encode().expose());
  REQUIRE(stored.ok());
  CHECK(stored->poisoned());
}

TEST_CASE("OT extension: a message replayed from another session fails") {
  auto pair = test::run_setup(kS, kR);
  const Bytes sid_a = random_bytes(16), sid_b = random_bytes(16);
  const PairSession a{sid_a, kS, kR}, b{sid_b, kS, kR};
  auto ra = extend_receiver(pair.receiver, a, 416);
  REQUIRE(ra.ok());
  // As sent: the tag names session a, refused before any secret is used; the pair stays usable.
  auto s1 = extend_sender(pair.sender, b, ra->second);
  REQUIRE_FALSE(s1.ok());
  CHECK(s1.error().culprits == std::vector<PartyId>{kR});
  CHECK_FALSE(pair.sender.poisoned());
  // With the tag rewritten to session b: the check is bound to the session and fails.
  ExtensionMsg forged = ra->second;
  forged.tag = otd::session_tag(otd::session_digest("OT extension", b));
  auto s2 = extend_sender(pair.sender, b, forged);
  REQUIRE_FALSE(s2.ok());
  CHECK(s2.error().kind == ErrorKind::ProtocolAborted);
  CHECK(s2.error().culprits == std::vector<PartyId>{kR});
  CHECK(pair.sender.poisoned());
}

TEST_CASE("OT extension: strict decoding and state checks") {
  auto pair = test::run_setup(kS, kR);
  const Bytes sid = random_bytes(16);
  const PairSession session{sid, kS, kR};
  auto r = extend_receiver(pair.receiver, session, 100);
  REQUIRE(r.ok());
  const Bytes wire = r->second.encode();
  CHECK(ExtensionMsg::decode(wire, 100, kR).ok());
  CHECK_FALSE(ExtensionMsg::decode(wire, 101, kR).ok());
  CHECK_FALSE(ExtensionMsg::decode(ByteSpan(wire).first(wire.size() - 1), 100, kR).ok());
  Bytes longer = wire;
  longer.push_back(0);
  auto e = ExtensionMsg::decode(longer, 100, kR);
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().culprits == std::vector<PartyId>{kR});
  CHECK_FALSE(ExtensionPayload::decode(ByteSpan(wire).subspan(22), 0, kR).ok());

  // A state used for the wrong pair or direction is refused.
  const PairSession reversed{sid, kR, kS};
  CHECK_FALSE(extend_receiver(pair.receiver, reversed, 100).ok());
  CHECK_FALSE(extend_sender(pair.sender, reversed, r->second).ok());
  CHECK_FALSE(extend_receiver(pair.receiver, session, 0).ok());
}
