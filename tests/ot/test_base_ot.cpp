#include <catch2/catch.hpp>

#include <cstring>

#include "ot/base_ot.hpp"
#include "ot/hash_to_point.hpp"
#include "ot/primitives.hpp"
#include "tsign/core/random.hpp"
#include "tsign/math/secp256k1.hpp"

using namespace tsign;
using namespace tsign::ot;

namespace {

constexpr PartyId kSender = 3, kReceiver = 7;

struct Run {
  SecretBytes choices;
  SecretBytes sender_keys;
  SecretBytes receiver_keys;
};

SecretBytes random_choices(std::size_t count) {
  SecretBytes choices((count + 7) / 8);
  random_fill(choices.expose_mut());
  return choices;
}

BaseOtReceiverMsg through_wire(const BaseOtReceiverMsg& msg, std::size_t count) {
  Bytes wire;
  msg.encode_to(wire);
  auto decoded = BaseOtReceiverMsg::decode(wire, count, kReceiver);
  REQUIRE(decoded.ok());
  return std::move(*decoded);
}

Run run_base_ot(std::size_t count) {
  const Digest32 sid = random_array<32>();
  auto [sender, msg1] = BaseOtSender::start(sid, count, kReceiver);
  SecretBytes choices = random_choices(count);
  auto received = base_ot_receive(sid, msg1, choices.expose(), count, kSender);
  REQUIRE(received.ok());
  auto keys = std::move(sender).finish(through_wire(received->msg, count));
  REQUIRE(keys.ok());
  return {std::move(choices), std::move(*keys), std::move(received->keys)};
}

const std::uint8_t* sender_key(const SecretBytes& keys, std::size_t i, unsigned j) {
  return keys.expose().data() + (2 * i + j) * kBaseOtKeySize;
}
const std::uint8_t* receiver_key(const SecretBytes& keys, std::size_t i) {
  return keys.expose().data() + i * kBaseOtKeySize;
}

// The receiver holds neither of the sender's keys for any OT.
void expect_no_key_matches(const SecretBytes& sender_keys, const SecretBytes& receiver_keys, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    for (unsigned j = 0; j < 2; ++j) {
      CHECK(std::memcmp(sender_key(sender_keys, i, j), receiver_key(receiver_keys, i), kBaseOtKeySize) != 0);
    }
  }
}

// The receiver runs under receiver_sid on msg1 (another session's, or altered); the sender of
// this batch then holds no key the receiver holds.
void expect_no_shared_key(BaseOtSender sender, const Digest32& receiver_sid, const BaseOtSenderMsg& msg1,
                          std::size_t count) {
  SecretBytes choices = random_choices(count);
  auto received = base_ot_receive(receiver_sid, msg1, choices.expose(), count, kSender);
  REQUIRE(received.ok());
  auto keys = std::move(sender).finish(through_wire(received->msg, count));
  REQUIRE(keys.ok());
  expect_no_key_matches(*keys, received->keys, count);
}

void expect_refused(const Error& e, ErrorKind kind, PartyId culprit, const std::string& words) {
  CHECK(e.kind == kind);
  CHECK(e.culprits == std::vector<PartyId>{culprit});
  CHECK(e.message.find(words) != std::string::npos);
}

}  // namespace

TEST_CASE("base OT: over many runs the receiver gets exactly the key of its choice and the other differs") {
  for (int run = 0; run < 8; ++run) {
    const std::size_t count = run == 0 ? 1 : 256;
    Run r = run_base_ot(count);
    for (std::size_t i = 0; i < count; ++i) {
      const unsigned c = ot::detail::get_bit(r.choices.expose(), i);
      REQUIRE(std::memcmp(sender_key(r.sender_keys, i, c), receiver_key(r.receiver_keys, i), kBaseOtKeySize) == 0);
      REQUIRE(std::memcmp(sender_key(r.sender_keys, i, 1 - c), receiver_key(r.receiver_keys, i), kBaseOtKeySize) != 0);
      REQUIRE(std::memcmp(sender_key(r.sender_keys, i, 0), sender_key(r.sender_keys, i, 1), kBaseOtKeySize) != 0);
    }
  }
}

TEST_CASE("base OT: the receiver's message looks the same whatever the choice") {
  // Both points of every OT are fresh: no point repeats across OTs or positions.
  const Digest32 sid = random_array<32>();
  const std::size_t count = 64;
  auto [sender, msg1] = BaseOtSender::start(sid, count, kReceiver);
  SecretBytes zeros(count / 8), ones(count / 8);
  std::memset(ones.expose_mut().data(), 0xff, count / 8);
  for (const SecretBytes* choices : {&zeros, &ones}) {
    auto received = base_ot_receive(sid, msg1, choices->expose(), count, kSender);
    REQUIRE(received.ok());
    const auto& points = received->msg.points;
    REQUIRE(points.size() == 2 * count);
    for (std::size_t k = 0; k < points.size(); ++k) {
      for (std::size_t l = k + 1; l < points.size(); ++l) CHECK(points[k] != points[l]);
    }
  }
}

TEST_CASE("base OT: messages replayed from another session give keys that match nothing") {
  const std::size_t count = 16;
  const Digest32 sid = random_array<32>(), other_sid = random_array<32>();
  auto [sender, msg1] = BaseOtSender::start(sid, count, kReceiver);
  auto [other_sender, other_msg1] = BaseOtSender::start(other_sid, count, kReceiver);
  // The sender's message of another session, used in this one.
  expect_no_shared_key(std::move(sender), sid, other_msg1, count);

  // A receiver message of this session, replayed to the sender of another session.
  SecretBytes choices = random_choices(count);
  auto [again, again_msg1] = BaseOtSender::start(sid, count, kReceiver);
  auto received = base_ot_receive(sid, again_msg1, choices.expose(), count, kSender);
  REQUIRE(received.ok());
  auto other_keys = std::move(other_sender).finish(through_wire(received->msg, count));
  REQUIRE(other_keys.ok());
  expect_no_key_matches(*other_keys, received->keys, count);
  // The same message to the right sender still works: the mismatch came from the session alone.
  auto right = std::move(again).finish(through_wire(received->msg, count));
  REQUIRE(right.ok());
  const unsigned c0 = ot::detail::get_bit(choices.expose(), 0);
  CHECK(std::memcmp(sender_key(*right, 0, c0), receiver_key(received->keys, 0), kBaseOtKeySize) == 0);
}

TEST_CASE("base OT: a receiver that uses the same A under another session id gets no matching key") {
  // The session digest keys H: the receiver's points of another session mask other points.
  const std::size_t count = 8;
  const Digest32 sid = random_array<32>(), other_sid = random_array<32>();
  auto [sender, msg1] = BaseOtSender::start(sid, count, kReceiver);
  expect_no_shared_key(std::move(sender), other_sid, msg1, count);
}

TEST_CASE("base OT: a sender that deviates in its message spoils only its own keys") {
  // A valid point other than a·G cannot be told apart from an honest A; the sender then holds
  // keys the receiver does not share (endemic security lets it choose its keys anyway).
  const std::size_t count = 8;
  const Digest32 sid = random_array<32>();
  auto [sender, msg1] = BaseOtSender::start(sid, count, kReceiver);
  BaseOtSenderMsg swapped = msg1;
  swapped.a_point = Secp256k1Point::base_mul(Secp256k1Scalar::random()).to_bytes();
  expect_no_shared_key(std::move(sender), sid, swapped, count);

  // An A that is not a point is refused by the receiver, naming the sender.
  SecretBytes choices = random_choices(count);
  BaseOtSenderMsg broken = msg1;
  broken.a_point.fill(0xff);
  auto refused = base_ot_receive(sid, broken, choices.expose(), count, kSender);
  REQUIRE_FALSE(refused.ok());
  expect_refused(refused.error(), ErrorKind::ProtocolAborted, kSender, "A is not a compressed curve point");
}

TEST_CASE("base OT: a receiver that moves one point after programming the other loses its key") {
  // Replacing R_{i,j} by another valid point is undetectable; the sender's M_{i,c} then differs
  // from b_i·G and the receiver's key matches neither of the sender's.
  const std::size_t count = 4;
  const Digest32 sid = random_array<32>();
  const unsigned moved = GENERATE(0u, 1u);
  auto [sender, msg1] = BaseOtSender::start(sid, count, kReceiver);
  SecretBytes choices = random_choices(count);
  auto received = base_ot_receive(sid, msg1, choices.expose(), count, kSender);
  REQUIRE(received.ok());
  received->msg.points[2 * 1 + moved] = Secp256k1Point::base_mul(Secp256k1Scalar::random()).to_uncompressed();
  auto keys = std::move(sender).finish(through_wire(received->msg, count));
  REQUIRE(keys.ok());
  for (unsigned j = 0; j < 2; ++j) {
    CHECK(std::memcmp(sender_key(*keys, 1, j), receiver_key(received->keys, 1), kBaseOtKeySize) != 0);
  }
  // The other OTs are untouched.
  const unsigned c0 = ot::detail::get_bit(choices.expose(), 0);
  CHECK(std::memcmp(sender_key(*keys, 0, c0), receiver_key(received->keys, 0), kBaseOtKeySize) == 0);
}

TEST_CASE("base OT: a receiver whose points of one OT are equal or one is ±H(the other) is named") {
  // R_{i,0} = R_{i,1}, or R_{i,j} = −H(i, R_{i,1−j}) (M_{i,j} the identity, a key the receiver
  // could predict), or R_{i,j} = H(i, R_{i,1−j}) (M_{i,j} a doubling): no honest receiver sends them.
  const std::size_t count = 4, index = 2;
  const int variant = GENERATE(0, 1, 2);
  const unsigned j = GENERATE(0u, 1u);
  const Digest32 sid = random_array<32>();
  auto [sender, msg1] = BaseOtSender::start(sid, count, kReceiver);
  SecretBytes choices = random_choices(count);
  auto received = base_ot_receive(sid, msg1, choices.expose(), count, kSender);
  REQUIRE(received.ok());
  auto& points = received->msg.points;
  const ByteArray<65>& partner = points[2 * index + 1 - j];
  if (variant == 0) {
    points[2 * index + j] = partner;
  } else {
    std::uint8_t h[65];
    secp256k1_p::serialize_uncompressed(ot::detail::hash_to_point_vartime(sid, index, partner), h);
    const Secp256k1Point hashed = Secp256k1Point::from_bytes(ByteSpan(h, 65)).value();
    points[2 * index + j] = (variant == 1 ? -hashed : hashed).to_uncompressed();
  }
  auto keys = std::move(sender).finish(through_wire(received->msg, count));
  REQUIRE_FALSE(keys.ok());
  expect_refused(keys.error(), ErrorKind::ProtocolAborted, kReceiver, "equal or one is ±H(the other)");
}

TEST_CASE("base OT: decoders refuse the identity and invalid encodings and wrong lengths naming the peer") {
  const Digest32 sid = random_array<32>();
  auto [sender, msg1] = BaseOtSender::start(sid, 4, kReceiver);
  Bytes good;
  msg1.encode_to(good);
  REQUIRE(good.size() == BaseOtSenderMsg::kSize);
  REQUIRE(BaseOtSenderMsg::decode(good, kSender).ok());

  // The identity has no compressed encoding; 33 zero bytes are refused like any other non-point.
  Bytes identity(33, 0);
  auto e1 = BaseOtSenderMsg::decode(identity, kSender);
  REQUIRE_FALSE(e1.ok());
  expect_refused(e1.error(), ErrorKind::InvalidInput, kSender, "not a compressed secp256k1 point");
  for (int prefix : {0x00, 0x04, 0x05, 0x06, 0x07}) {
    Bytes bad_prefix = good;
    bad_prefix[0] = static_cast<std::uint8_t>(prefix);
    auto e = BaseOtSenderMsg::decode(bad_prefix, kSender);
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().culprits == std::vector<PartyId>{kSender});
  }
  Bytes x_above_p = good;
  std::memset(x_above_p.data() + 1, 0xff, 32);
  CHECK_FALSE(BaseOtSenderMsg::decode(x_above_p, kSender).ok());
  for (const Bytes& wrong_length : {Bytes(good.begin(), good.end() - 1), Bytes(), [&] {
         Bytes longer = good;
         longer.push_back(0);
         return longer;
       }()}) {
    auto e = BaseOtSenderMsg::decode(wrong_length, kSender);
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().culprits == std::vector<PartyId>{kSender});
  }

  SecretBytes choices(1);
  auto received = base_ot_receive(sid, msg1, choices.expose(), 4, kSender);
  REQUIRE(received.ok());
  Bytes wire;
  received->msg.encode_to(wire);
  REQUIRE(wire.size() == 4 * BaseOtReceiverMsg::kPerOt);
  CHECK(BaseOtReceiverMsg::decode(wire, 4, kReceiver).ok());
  for (std::size_t count : {3, 5}) {
    auto e = BaseOtReceiverMsg::decode(wire, count, kReceiver);
    REQUIRE_FALSE(e.ok());
    expect_refused(e.error(), ErrorKind::InvalidInput, kReceiver, "expected");
  }
  // Every point position: the identity (zeros), hybrid prefixes, off-curve.
  for (std::size_t k = 0; k < 8; ++k) {
    const std::size_t at = k * BaseOtReceiverMsg::kPointSize;
    Bytes zero_point = wire;
    std::memset(zero_point.data() + at, 0, BaseOtReceiverMsg::kPointSize);
    auto e = BaseOtReceiverMsg::decode(zero_point, 4, kReceiver);
    REQUIRE_FALSE(e.ok());
    expect_refused(e.error(), ErrorKind::InvalidInput, kReceiver, "not an uncompressed secp256k1 point");
    // The hybrid encodings (06, 07) of the same point, which libsecp256k1 would accept, are refused.
    for (int prefix : {0x02, 0x03, 0x06, 0x07}) {
      Bytes hybrid = wire;
      hybrid[at] = static_cast<std::uint8_t>(prefix);
      CHECK_FALSE(BaseOtReceiverMsg::decode(hybrid, 4, kReceiver).ok());
    }
    Bytes off_curve = wire;
    off_curve[at + 64] ^= 1;
    CHECK_FALSE(BaseOtReceiverMsg::decode(off_curve, 4, kReceiver).ok());
  }
}

TEST_CASE("base OT: truncated or garbage messages are refused naming the peer") {
  const Digest32 sid = random_array<32>();
  const std::size_t count = 4;
  for (int trial = 0; trial < 32; ++trial) {
    const Bytes garbage1 = random_bytes(BaseOtSenderMsg::kSize);
    auto e1 = BaseOtSenderMsg::decode(garbage1, kSender);
    // About half of all x-coordinates lie on the curve; only a compressed prefix can pass.
    if (!e1.ok()) CHECK(e1.error().culprits == std::vector<PartyId>{kSender});
    if (e1.ok()) CHECK((garbage1[0] == 0x02 || garbage1[0] == 0x03));
    const Bytes garbage2 = random_bytes(count * BaseOtReceiverMsg::kPerOt);
    auto e2 = BaseOtReceiverMsg::decode(garbage2, count, kReceiver);
    REQUIRE_FALSE(e2.ok());
    CHECK(e2.error().culprits == std::vector<PartyId>{kReceiver});
  }
  auto [sender, msg1] = BaseOtSender::start(sid, count, kReceiver);
  SecretBytes choices(1);
  auto received = base_ot_receive(sid, msg1, choices.expose(), count, kSender);
  REQUIRE(received.ok());
  Bytes wire;
  received->msg.encode_to(wire);
  for (std::size_t cut : {std::size_t{0}, std::size_t{1}, std::size_t{65}, wire.size() - 1}) {
    auto e = BaseOtReceiverMsg::decode(ByteSpan(wire).first(cut), count, kReceiver);
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().culprits == std::vector<PartyId>{kReceiver});
  }
}
