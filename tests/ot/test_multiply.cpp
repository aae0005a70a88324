#include <catch2/catch.hpp>

#include <optional>

#include "ot/multiply_core.hpp"
#include "ot_test_support.hpp"
#include "ot/multiply.hpp"

using namespace tsign;
using namespace tsign::ot;
namespace otd = tsign::ot::detail;

namespace {

constexpr PartyId kS = 3, kR = 8;

struct MulRun {
  Result<std::vector<Secp256k1Scalar>> receiver_shares = Error{};
  std::vector<Secp256k1Scalar> sender_shares;
  Secp256k1Scalar b;
};

// One multiplication through the wire format; `tamper` may alter the response bytes.
template <class Tamper>
MulRun multiply(test::SetupPair& pair, const std::vector<Secp256k1Scalar>& a,
                const std::optional<otd::SenderDeviation>& deviation, Tamper tamper) {
  const Bytes sid = random_bytes(32);
  const PairSession session{sid, kS, kR};
  auto started = MulReceiver::start(pair.receiver, session, a.size());
  REQUIRE(started.ok());
  auto& [receiver, request] = *started;
  const Bytes req_wire = request.encode();
  REQUIRE(req_wire.size() == MulRequest::encoded_size());
  auto req = MulRequest::decode(req_wire, kR);
  REQUIRE(req.ok());
  auto sent = deviation ? otd::mul_sender_respond_deviating(pair.sender, session, a, *req, *deviation)
                        : mul_sender_respond(pair.sender, session, a, *req);
  REQUIRE(sent.ok());
  Bytes resp_wire = sent->response.encode();
  REQUIRE(resp_wire.size() == MulResponse::encoded_size(a.size()));
  tamper(resp_wire);
  auto resp = MulResponse::decode(resp_wire, a.size(), kS);
  REQUIRE(resp.ok());
  MulRun run;
  run.b = receiver.b();
  run.sender_shares = sent->shares;
  run.receiver_shares = std::move(receiver).finish(pair.receiver, *resp);
  return run;
}

MulRun multiply(test::SetupPair& pair, const std::vector<Secp256k1Scalar>& a) {
  return multiply(pair, a, std::nullopt, [](Bytes&) {});
}

std::vector<Secp256k1Scalar> random_inputs(std::size_t n) {
  std::vector<Secp256k1Scalar> a;
  for (std::size_t i = 0; i < n; ++i) a.push_back(Secp256k1Scalar::random());
  return a;
}

void expect_products(const MulRun& run, const std::vector<Secp256k1Scalar>& a) {
  REQUIRE(run.receiver_shares.ok());
  REQUIRE(run.receiver_shares->size() == a.size());
  for (std::size_t k = 0; k < a.size(); ++k) REQUIRE(run.sender_shares[k] + (*run.receiver_shares)[k] == a[k] * run.b);
}

void expect_abort_by_sender(const MulRun& run, test::SetupPair& pair) {
  REQUIRE_FALSE(run.receiver_shares.ok());
  CHECK(run.receiver_shares.error().kind == ErrorKind::ProtocolAborted);
  CHECK(run.receiver_shares.error().culprits == std::vector<PartyId>{kS});
  CHECK(pair.receiver.poisoned());
}

}  // namespace

TEST_CASE("multiplication: t_A + t_B = a_k·b over many runs and input shapes") {
  // 400 multiplications, 1000 products, over a few setups.
  auto pair = test::run_setup(kS, kR);
  for (int run = 0; run < 400; ++run) {
    if (run % 100 == 99) pair = test::run_setup(kS, kR);
    const std::size_t l = 1 + static_cast<std::size_t>(run) % kMaxProducts;
    std::vector<Secp256k1Scalar> a = random_inputs(l);
    if (run == 1) a[0] = Secp256k1Scalar::zero();
    if (run == 2) a[1] = -Secp256k1Scalar::one();
    const MulRun r = multiply(pair, a);
    expect_products(r, a);
    CHECK_FALSE(r.b.is_zero());
  }
}

TEST_CASE("multiplication: a reverse setup multiplies like a fresh one") {
  auto forward = test::run_setup(kR, kS);  // kS is the forward receiver, so the reverse sender
  auto pair = test::run_reverse_setup(forward);
  for (int run = 0; run < 20; ++run) {
    const auto a = random_inputs(1 + run % kMaxProducts);
    expect_products(multiply(pair, a), a);
  }
}

TEST_CASE("multiplication: a sender using a wrong correlation is caught and named") {
  auto pair = test::run_setup(kS, kR);
  otd::SenderDeviation dev;
  for (std::size_t j = 0; j < kMulOts; ++j) dev.shifted_rows.push_back(j);
  const auto a = random_inputs(2);
  expect_abort_by_sender(multiply(pair, a, dev, [](Bytes&) {}), pair);
  // The pair is disabled from now on, for the receiver.
  const Bytes sid = random_bytes(32);
  auto again = MulReceiver::start(pair.receiver, {sid, kS, kR}, 2);
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().culprits == std::vector<PartyId>{kS});
}

TEST_CASE("multiplication: a wrong correlation in one OT is caught exactly when that choice bit is set") {
  // The selective-failure leak DKLs23 budgets for: otherwise the product is still right.
  int caught = 0, passed = 0;
  for (int run = 0; run < 12; ++run) {
    auto pair = test::run_setup(kS, kR);
    otd::SenderDeviation dev;
    dev.shifted_rows = {static_cast<std::size_t>(run) * 31};
    const auto a = random_inputs(2);
    const MulRun r = multiply(pair, a, dev, [](Bytes&) {});
    if (r.receiver_shares.ok()) {
      ++passed;
      expect_products(r, a);
    } else {
      ++caught;
      expect_abort_by_sender(r, pair);
    }
  }
  CHECK(caught + passed == 12);
}

TEST_CASE("multiplication: a wrong theta, eta or mu is caught and names the sender") {
  const auto a = random_inputs(2);
  {
    auto pair = test::run_setup(kS, kR);
    otd::SenderDeviation dev;
    dev.wrong_theta = true;
    expect_abort_by_sender(multiply(pair, a, dev, [](Bytes&) {}), pair);
  }
  {
    auto pair = test::run_setup(kS, kR);
    // η is the second-to-last scalar: change its low byte (stays below n).
    expect_abort_by_sender(multiply(pair, a, std::nullopt, [](Bytes& w) { w[w.size() - 33] ^= 1; }), pair);
  }
  {
    auto pair = test::run_setup(kS, kR);
    expect_abort_by_sender(multiply(pair, a, std::nullopt, [](Bytes& w) { w.back() ^= 0x80; }), pair);
  }
  {
    auto pair = test::run_setup(kS, kR);
    // One byte of ã changed in transit.
    expect_abort_by_sender(multiply(pair, a, std::nullopt, [](Bytes& w) { w[19 + 40 * 32 + 31] ^= 1; }), pair);
  }
}

TEST_CASE("multiplication: a cheating receiver is caught by the sender") {
  auto pair = test::run_setup(kS, kR);
  const Bytes sid = random_bytes(32);
  const PairSession session{sid, kS, kR};
  auto started = MulReceiver::start(pair.receiver, session, 2);
  REQUIRE(started.ok());
  // Flip one correction bit: the receiver now uses a different choice bit in one chunk.
  MulRequest req = started->second;
  req.extension.corrections[5] ^= 0x10;
  auto sent = mul_sender_respond(pair.sender, session, random_inputs(2), req);
  REQUIRE_FALSE(sent.ok());
  CHECK(sent.error().kind == ErrorKind::ProtocolAborted);
  CHECK(sent.error().culprits == std::vector<PartyId>{kR});
  CHECK(pair.sender.poisoned());
}

TEST_CASE("multiplication: messages replayed from another session fail") {
  auto pair = test::run_setup(kS, kR);
  const auto a = random_inputs(2);
  const Bytes sid_a = random_bytes(32), sid_b = random_bytes(32);
  const PairSession sa{sid_a, kS, kR}, sb{sid_b, kS, kR};
  auto ra = MulReceiver::start(pair.receiver, sa, 2);
  auto rb = MulReceiver::start(pair.receiver, sb, 2);
  REQUIRE(ra.ok());
  REQUIRE(rb.ok());
  // The request of session a offered in session b.
  auto wrong = mul_sender_respond(pair.sender, sb, a, ra->second);
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().culprits == std::vector<PartyId>{kR});
  CHECK_FALSE(pair.sender.poisoned());
  // The response of session a offered to session b's receiver.
  auto resp_a = mul_sender_respond(pair.sender, sa, a, ra->second);
  REQUIRE(resp_a.ok());
  auto finished = std::move(rb->first).finish(pair.receiver, resp_a->response);
  REQUIRE_FALSE(finished.ok());
  CHECK(finished.error().culprits == std::vector<PartyId>{kS});
  // With the tag rewritten, the session-bound check catches it and the pair is disabled.
  auto rc = MulReceiver::start(pair.receiver, sb, 2);
  REQUIRE(rc.ok());
  MulResponse forged = resp_a->response;
  forged.tag = rc->second.tag;
  auto caught = std::move(rc->first).finish(pair.receiver, forged);
  REQUIRE_FALSE(caught.ok());
  CHECK(caught.error().kind == ErrorKind::ProtocolAborted);
  CHECK(caught.error().culprits == std::vector<PartyId>{kS});
  CHECK(pair.receiver.poisoned());
}

TEST_CASE("multiplication: strict decoders") {
  auto pair = test::run_setup(kS, kR);
  const Bytes sid = random_bytes(32);
  const PairSession session{sid, kS, kR};
  auto started = MulReceiver::start(pair.receiver, session, 2);
  REQUIRE(started.ok());
  const Bytes req = started->second.encode();
  CHECK(req.size() == 10227);
  CHECK_FALSE(MulRequest::decode(ByteSpan(req).first(req.size() - 1), kR).ok());
  Bytes longer = req;
  longer.push_back(0);
  CHECK_FALSE(MulRequest::decode(longer, kR).ok());
  Bytes zero_products = req;
  zero_products[18] = 0;
  CHECK_FALSE(MulRequest::decode(zero_products, kR).ok());
  Bytes many_products = req;
  many_products[18] = kMaxProducts + 1;
  CHECK_FALSE(MulRequest::decode(many_products, kR).ok());
  CHECK_FALSE(MulResponse::decode(req, 2, kR).ok());  // wrong message type

  auto sent = mul_sender_respond(pair.sender, session, random_inputs(2), started->second);
  REQUIRE(sent.ok());
  const Bytes resp = sent->response.encode();
  CHECK(resp.size() == 49235);
  REQUIRE(MulResponse::decode(resp, 2, kS).ok());
  CHECK_FALSE(MulResponse::decode(resp, 3, kS).ok());
  CHECK_FALSE(MulResponse::decode(ByteSpan(resp).first(resp.size() - 1), 2, kS).ok());
  Bytes big = resp;
  for (int i = 0; i < 32; ++i) big[19 + 64 + i] = 0xff;  // a scalar of ã at or above n
  auto e = MulResponse::decode(big, 2, kS);
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().kind == ErrorKind::InvalidInput);
  CHECK(e.error().culprits == std::vector<PartyId>{kS});
  // An input count that does not match the request is refused.
  CHECK_FALSE(mul_sender_respond(pair.sender, session, random_inputs(3), started->second).ok());
  CHECK_FALSE(pair.sender.poisoned());
}

