// Each refusal of the OT layer on its own: the input breaks exactly one property, and the test
// checks the error's kind, the culprit (when the check names one) and the reason.
#include <catch2/catch.hpp>

#include <string>

#include "ot/base_ot.hpp"
#include "ot/multiply.hpp"
#include "ot/session.hpp"
#include "ot_test_support.hpp"
#include "tsign/core/random.hpp"

using namespace tsign;
using namespace tsign::ot;

namespace {

constexpr PartyId kS = 4, kR = 9;

template <class T>
void expect_refused(const Result<T>& r, ErrorKind kind, const std::vector<PartyId>& culprits, const std::string& reason) {
  REQUIRE_FALSE(r.ok());
  INFO(r.error().describe());
  CHECK(r.error().kind == kind);
  CHECK(r.error().culprits == culprits);
  CHECK(r.error().message.find(reason) != std::string::npos);
}

void expect_invalid_session(const PairSession& session, const std::string& reason) {
  auto status = validate(session);
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().kind == ErrorKind::InvalidInput);
  CHECK(status.error().message.find(reason) != std::string::npos);
}

std::vector<Secp256k1Scalar> random_inputs(std::size_t n) {
  std::vector<Secp256k1Scalar> a;
  for (std::size_t i = 0; i < n; ++i) a.push_back(Secp256k1Scalar::random());
  return a;
}

}  // namespace

TEST_CASE("OT pair session: zero ids or one party on both sides or a bad session id length are refused") {
  const Bytes sid = random_bytes(32);
  REQUIRE(validate(PairSession{sid, kS, kR}).ok());
  expect_invalid_session(PairSession{sid, 0, kR}, "party ids must be non-zero");
  expect_invalid_session(PairSession{sid, kS, 0}, "party ids must be non-zero");
  expect_invalid_session(PairSession{sid, kS, kS}, "sender and receiver are the same party");
  expect_invalid_session(PairSession{ByteSpan(), kS, kR}, "session id must be 1..");
  const Bytes longest(kMaxSessionIdSize, 0x5a), too_long(kMaxSessionIdSize + 1, 0x5a);
  CHECK(validate(PairSession{longest, kS, kR}).ok());
  expect_invalid_session(PairSession{too_long, kS, kR}, "session id must be 1..");
}

TEST_CASE("base OT: the sender refuses a receiver message with more points than OTs and names the receiver") {
  const Digest32 sid = random_array<32>();
  const std::size_t count = 8;
  auto [sender, msg1] = BaseOtSender::start(sid, count, kR);
  SecretBytes choices(2);
  random_fill(choices.expose_mut());
  auto received = base_ot_receive(sid, msg1, choices.expose(), count + 1, kS);  // one point too many
  REQUIRE(received.ok());
  Bytes wire;
  received->msg.encode_to(wire);
  auto decoded = BaseOtReceiverMsg::decode(wire, count + 1, kR);
  REQUIRE(decoded.ok());
  expect_refused(std::move(sender).finish(*decoded), ErrorKind::InvalidInput, {kR}, "wrong number of receiver points");
}

TEST_CASE("setup: the sender refuses a message 3 with an extra correction or tree proof and names the receiver") {
  auto extra_correction = test::setup_with_message3(kS, kR, [](SetupMsg3& m) { m.corrections.push_back(m.corrections.back()); });
  expect_refused(std::move(extra_correction.sender), ErrorKind::InvalidInput, {kR}, "wrong number of corrections");
  auto extra_proof = test::setup_with_message3(kS, kR, [](SetupMsg3& m) { m.proof_sums.push_back(m.proof_sums.back()); });
  expect_refused(std::move(extra_proof.sender), ErrorKind::InvalidInput, {kR}, "or tree proofs");
}

TEST_CASE("OT extension: the sender refuses corrections of the wrong size and names the receiver") {
  auto pair = test::run_setup(kS, kR);
  const Bytes sid = random_bytes(16);
  const PairSession session{sid, kS, kR};
  auto r = extend_receiver(pair.receiver, session, 100);
  REQUIRE(r.ok());
  ExtensionMsg msg = r->second;
  msg.payload.corrections.push_back(0);
  expect_refused(extend_sender(pair.sender, session, msg), ErrorKind::InvalidInput, {kR},
                 "corrections of the wrong size");
}

TEST_CASE("OT extension: the sender refuses a message for zero or too many OTs and names the receiver") {
  auto pair = test::run_setup(kS, kR);
  const Bytes sid = random_bytes(16);
  const PairSession session{sid, kS, kR};
  auto r = extend_receiver(pair.receiver, session, 100);
  REQUIRE(r.ok());
  for (std::uint32_t ots : {std::uint32_t{0}, static_cast<std::uint32_t>(kMaxExtensionOts + 1)}) {
    ExtensionMsg msg = r->second;
    msg.ots = ots;
    expect_refused(extend_sender(pair.sender, session, msg), ErrorKind::InvalidInput, {kR}, "unsupported batch size");
  }
}

TEST_CASE("OT extension: the payload decoder refuses a batch of zero OTs and names the sender") {
  const Bytes empty_batch(ExtensionPayload::encoded_size(0), 0);
  expect_refused(ExtensionPayload::decode(empty_batch, 0, kR), ErrorKind::InvalidInput, {kR},
                 "unsupported batch size");
}

TEST_CASE("multiplication: a response whose product count differs from the request is refused naming the sender") {
  auto pair = test::run_setup(kS, kR);
  const Bytes sid = random_bytes(32);
  const PairSession session{sid, kS, kR};
  auto started = MulReceiver::start(pair.receiver, session, 2);
  REQUIRE(started.ok());
  auto sent = mul_sender_respond(pair.sender, session, random_inputs(2), started->second);
  REQUIRE(sent.ok());

  SECTION("on the wire") {
    Bytes wire = sent->response.encode();
    REQUIRE(MulResponse::decode(wire, 2, kS).ok());
    wire[18] = 3;  // the count byte, right after the header
    expect_refused(MulResponse::decode(wire, 2, kS), ErrorKind::InvalidInput, {kS}, "wrong number of products");
  }
  SECTION("as decoded") {
    MulResponse response = sent->response;
    response.products = 3;
    expect_refused(std::move(started->first).finish(pair.receiver, response), ErrorKind::InvalidInput, {kS},
                   "wrong number of products");
    CHECK_FALSE(pair.receiver.poisoned());
  }
}

TEST_CASE("multiplication: a response with eta at or above the order is refused naming the sender") {
  auto pair = test::run_setup(kS, kR);
  const Bytes sid = random_bytes(32);
  const PairSession session{sid, kS, kR};
  auto started = MulReceiver::start(pair.receiver, session, 1);
  REQUIRE(started.ok());
  auto sent = mul_sender_respond(pair.sender, session, random_inputs(1), started->second);
  REQUIRE(sent.ok());
  Bytes wire = sent->response.encode();
  const std::size_t eta = 19 + kMulOts * 2 * 32;
  for (std::size_t i = 0; i < 32; ++i) wire[eta + i] = 0xff;
  expect_refused(MulResponse::decode(wire, 1, kS), ErrorKind::InvalidInput, {kS}, "eta is not below the order");
}

TEST_CASE("multiplication: zero or too many products are refused on either side") {
  auto pair = test::run_setup(kS, kR);
  const Bytes sid = random_bytes(32);
  const PairSession session{sid, kS, kR};
  for (std::size_t l : {std::size_t{0}, kMaxProducts + 1}) {
    expect_refused(MulReceiver::start(pair.receiver, session, l), ErrorKind::InvalidInput, {},
                   "unsupported number of products");
  }
  auto started = MulReceiver::start(pair.receiver, session, 1);
  REQUIRE(started.ok());
  expect_refused(mul_sender_respond(pair.sender, session, {}, started->second), ErrorKind::InvalidInput, {},
                 "unsupported number of inputs");
  CHECK_FALSE(pair.sender.poisoned());
}

TEST_CASE("multiplication: a receiver that was moved from refuses to finish") {
  auto pair = test::run_setup(kS, kR);
  const Bytes sid = random_bytes(32);
  const PairSession session{sid, kS, kR};
  auto started = MulReceiver::start(pair.receiver, session, 1);
  REQUIRE(started.ok());
  MulReceiver& receiver = started->first;
  MulReceiver moved = std::move(receiver);
  expect_refused(std::move(receiver).finish(pair.receiver, MulResponse{}), ErrorKind::InvalidInput, {},
                 "was moved from");
}
