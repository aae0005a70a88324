#include <catch2/catch.hpp>

#include <cstring>

#include "ot/primitives.hpp"
#include "tsign/core/random.hpp"
#include "tsign/math/secp256k1.hpp"
#include "ot/base_ot.hpp"

using namespace tsign;
using namespace tsign::ot;

namespace {

constexpr PartyId kSender = 3, kReceiver = 7;

struct Run {
  SecretBytes choices;
  SecretBytes sender_keys;
  SecretBytes receiver_keys;
};

Run run_base_ot(std::size_t count) {
  const Digest32 sid = random_array<32>();
  auto [sender, msg1] = BaseOtSender::start(sid, count, kReceiver);
  SecretBytes choices((count + 7) / 8);
  random_fill(choices.expose_mut());
  auto received = base_ot_receive(sid, msg1, choices.expose(), count, kSender);
  REQUIRE(received.ok());
  Bytes wire;
  received->msg.encode_to(wire);
  auto decoded = BaseOtReceiverMsg::decode(wire, count, kReceiver);
  REQUIRE(decoded.ok());
  auto keys = std::move(sender).finish(*decoded);
  REQUIRE(keys.ok());
  return {std::move(choices), std::move(*keys), std::move(received->keys)};
}

}  // namespace

TEST_CASE("base OT: the receiver gets exactly the key of its choice") {
  for (int run = 0; run < 3; ++run) {
    const std::size_t count = 256;
    Run r = run_base_ot(count);
    for (std::size_t i = 0; i < count; ++i) {
      const unsigned c = ot::detail::get_bit(r.choices.expose(), i);
      const std::uint8_t* chosen = r.sender_keys.expose().data() + (2 * i + c) * 32;
      const std::uint8_t* other = r.sender_keys.expose().data() + (2 * i + 1 - c) * 32;
      const std::uint8_t* got = r.receiver_keys.expose().data() + i * 32;
      REQUIRE(std::memcmp(chosen, got, 32) == 0);
      REQUIRE(std::memcmp(other, got, 32) != 0);
    }
  }
}

TEST_CASE("base OT: a proof for another session or a forged key is refused, naming the sender") {
  const Digest32 sid = random_array<32>(), other_sid = random_array<32>();
  auto [sender, msg1] = BaseOtSender::start(sid, 8, kReceiver);
  SecretBytes choices(1);
  auto replayed = base_ot_receive(other_sid, msg1, choices.expose(), 8, kSender);
  REQUIRE_FALSE(replayed.ok());
  CHECK(replayed.error().kind == ErrorKind::ProtocolAborted);
  CHECK(replayed.error().culprits == std::vector<PartyId>{kSender});

  // Swap A for another valid point: the proof no longer verifies.
  auto [sender2, msg2] = BaseOtSender::start(sid, 8, kReceiver);
  BaseOtSenderMsg forged = msg1;
  forged.a_point = msg2.a_point;
  auto bad = base_ot_receive(sid, forged, choices.expose(), 8, kSender);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().culprits == std::vector<PartyId>{kSender});
}

TEST_CASE("base OT: decoders refuse the identity, invalid encodings and wrong lengths") {
  const Digest32 sid = random_array<32>();
  auto [sender, msg1] = BaseOtSender::start(sid, 4, kReceiver);
  Bytes good;
  msg1.encode_to(good);
  REQUIRE(good.size() == BaseOtSenderMsg::kSize);
  REQUIRE(BaseOtSenderMsg::decode(good, kSender).ok());

  // The identity has no compressed encoding; 33 zero bytes are refused like any other non-point.
  Bytes identity = good;
  std::memset(identity.data(), 0, 33);
  auto e1 = BaseOtSenderMsg::decode(identity, kSender);
  REQUIRE_FALSE(e1.ok());
  CHECK(e1.error().kind == ErrorKind::InvalidInput);
  CHECK(e1.error().culprits == std::vector<PartyId>{kSender});
  CHECK(e1.error().message.find("not a compressed secp256k1 point") != std::string::npos);

  Bytes uncompressed_prefix = good;
  uncompressed_prefix[33] = 0x04;
  CHECK_FALSE(BaseOtSenderMsg::decode(uncompressed_prefix, kSender).ok());

  Bytes x_above_p = good;
  std::memset(x_above_p.data() + 1, 0xff, 32);
  CHECK_FALSE(BaseOtSenderMsg::decode(x_above_p, kSender).ok());

  Bytes big_scalar = good;
  std::memset(big_scalar.data() + 66, 0xff, 32);
  auto e2 = BaseOtSenderMsg::decode(big_scalar, kSender);
  REQUIRE_FALSE(e2.ok());
  CHECK(e2.error().message.find("canonical scalar") != std::string::npos);

  CHECK_FALSE(BaseOtSenderMsg::decode(ByteSpan(good).first(good.size() - 1), kSender).ok());
  Bytes longer = good;
  longer.push_back(0);
  CHECK_FALSE(BaseOtSenderMsg::decode(longer, kSender).ok());

  SecretBytes choices(1);
  auto received = base_ot_receive(sid, msg1, choices.expose(), 4, kSender);
  REQUIRE(received.ok());
  Bytes wire;
  received->msg.encode_to(wire);
  REQUIRE(wire.size() == 4 * BaseOtReceiverMsg::kPointSize);
  CHECK(BaseOtReceiverMsg::decode(wire, 4, kReceiver).ok());
  CHECK_FALSE(BaseOtReceiverMsg::decode(wire, 5, kReceiver).ok());
  Bytes zero_point = wire;
  std::memset(zero_point.data() + 65, 0, 65);
  auto e3 = BaseOtReceiverMsg::decode(zero_point, 4, kReceiver);
  REQUIRE_FALSE(e3.ok());
  CHECK(e3.error().culprits == std::vector<PartyId>{kReceiver});
  // The hybrid encodings (06, 07) of the same point, which libsecp256k1 would accept, are refused.
  for (int prefix : {0x06, 0x07}) {
    Bytes hybrid = wire;
    hybrid[65] = static_cast<std::uint8_t>(prefix);
    CHECK_FALSE(BaseOtReceiverMsg::decode(hybrid, 4, kReceiver).ok());
  }
  // A point off the curve: y changed.
  Bytes off_curve = wire;
  off_curve[65 + 64] ^= 1;
  CHECK_FALSE(BaseOtReceiverMsg::decode(off_curve, 4, kReceiver).ok());
}

TEST_CASE("base OT: a receiver that sends ±(the sender's own key) as B_i is named") {
  // B_i = A would make a·(B_i − A) the identity, a key the receiver could predict; B_i = −A makes
  // the sender's subtraction a doubling. Neither comes from an honest receiver.
  const bool negated = GENERATE(false, true);
  const Digest32 sid = random_array<32>();
  auto [sender, msg1] = BaseOtSender::start(sid, 4, kReceiver);
  SecretBytes choices(1);
  auto received = base_ot_receive(sid, msg1, choices.expose(), 4, kSender);
  REQUIRE(received.ok());
  const Secp256k1Point a = Secp256k1Point::from_bytes(msg1.a_point).value();
  received->msg.points[2] = (negated ? -a : a).to_uncompressed();
  Bytes wire;
  received->msg.encode_to(wire);
  auto decoded = BaseOtReceiverMsg::decode(wire, 4, kReceiver);
  REQUIRE(decoded.ok());
  auto keys = std::move(sender).finish(*decoded);
  REQUIRE_FALSE(keys.ok());
  CHECK(keys.error().kind == ErrorKind::ProtocolAborted);
  CHECK(keys.error().culprits == std::vector<PartyId>{kReceiver});
}
