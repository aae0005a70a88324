// The decoders of the presigning and signing messages, one field broken at a time: each valid
// encoding decodes, and each broken one is refused for the field that was broken.
#include "ecdsa/sign_messages.hpp"
#include "helpers.hpp"

using namespace tsign;
using namespace tsign::ecdsa_test;
namespace ei = tsign::ecdsa_internal;

namespace {

Secp256k1Point random_point() { return Secp256k1Point::base_mul(Secp256k1Scalar::random()); }

// Offsets after the header: type (1) and session (32).
constexpr std::size_t kBody = 33;
constexpr std::size_t kPoint = Secp256k1Point::kEncodedSize;

template <class T>
void expect_refused(const Result<T>& r, const std::string& why) {
  REQUIRE_FALSE(r.ok());
  INFO(r.error().describe());
  CHECK(r.error().kind == ErrorKind::InvalidInput);
  CHECK_THAT(r.error().message, Catch::Contains(why));
}

Bytes with(Bytes b, std::size_t at, std::uint8_t value) {
  b.at(at) = value;
  return b;
}

// A byte string that is no compressed point (prefix 0x05) or no canonical scalar (>= n).
Bytes with_bad_point(Bytes b, std::size_t at) { return with(std::move(b), at, 0x05); }
Bytes with_bad_scalar(Bytes b, std::size_t at) {
  std::fill(b.begin() + static_cast<std::ptrdiff_t>(at), b.begin() + static_cast<std::ptrdiff_t>(at + 32), 0xFF);
  return b;
}

}  // namespace

TEST_CASE("ecdsa messages: the nonce commitment decoder checks the type") {
  const SessionId session = random_session();
  ei::CommitMessage m;
  m.contribution = random_array<32>();
  m.commitment = random_array<32>();
  const Bytes good = m.encode(session);
  REQUIRE(ei::CommitMessage::decode(good, session).ok());
  expect_refused(ei::CommitMessage::decode(with(good, 0, 0x62), session), "wrong message type");
}

TEST_CASE("ecdsa messages: the multiplication request decoder checks the type and the echo count") {
  const Bytes mul = random_bytes(50);
  ei::RequestMessage m;
  m.sid = random_array<32>();
  m.context = random_array<32>();
  m.echo = {random_array<32>(), random_array<32>(), random_array<32>()};
  m.mul_request = mul;
  const Bytes good = m.encode();
  auto decoded = ei::RequestMessage::decode(good, 3);
  REQUIRE(decoded.ok());
  CHECK(decoded->sid == m.sid);
  CHECK(decoded->echo == m.echo);
  expect_refused(ei::RequestMessage::decode(with(good, 0, 0x61), 3), "wrong message type");
  expect_refused(ei::RequestMessage::decode(good, 2), "echo of 3 broadcasts, expected 2");
  expect_refused(ei::RequestMessage::decode(good, 4), "echo of 3 broadcasts, expected 4");
}

TEST_CASE("ecdsa messages: the multiplication reply decoder checks the type, count, points and scalars") {
  const Digest32 sid = random_array<32>();
  const Bytes mul = random_bytes(40);
  ei::ReplyMessage m;
  m.nonce = random_point();
  m.blind = random_array<32>();
  m.public_share = random_point();
  m.zero_points = {random_point(), random_point()};
  m.gamma_u = random_point();
  m.gamma_v = random_point();
  m.psi = Secp256k1Scalar::random();
  m.mul_response = mul;
  const Bytes good = m.encode(sid);
  auto decoded = ei::ReplyMessage::decode(good, sid, 3);
  REQUIRE(decoded.ok());
  CHECK(decoded->nonce == m.nonce);
  CHECK(decoded->psi == m.psi);

  // R, blind, pk, count, two zero-share points, Gamma_u, Gamma_v, psi.
  const std::size_t nonce_at = kBody, pk_at = nonce_at + kPoint + 32, count_at = pk_at + kPoint;
  const std::size_t zero_at = count_at + 4, gamma_u_at = zero_at + 2 * kPoint, gamma_v_at = gamma_u_at + kPoint;
  const std::size_t psi_at = gamma_v_at + kPoint;
  const auto psi = m.psi.to_bytes();
  REQUIRE(std::equal(psi.begin(), psi.end(), good.begin() + static_cast<std::ptrdiff_t>(psi_at)));

  expect_refused(ei::ReplyMessage::decode(with(good, 0, 0x64), sid, 3), "wrong message type");
  expect_refused(ei::ReplyMessage::decode(good, sid, 4), "wrong number of zero-share points");
  expect_refused(ei::ReplyMessage::decode(good, sid, 2), "wrong number of zero-share points");
  expect_refused(ei::ReplyMessage::decode(with_bad_point(good, nonce_at), sid, 3), "R: ");
  expect_refused(ei::ReplyMessage::decode(with_bad_point(good, pk_at), sid, 3), "pk: ");
  expect_refused(ei::ReplyMessage::decode(with_bad_point(good, zero_at + kPoint), sid, 3), "zero-share point: ");
  expect_refused(ei::ReplyMessage::decode(with_bad_point(good, gamma_u_at), sid, 3), "Gamma_u: ");
  expect_refused(ei::ReplyMessage::decode(with_bad_point(good, gamma_v_at), sid, 3), "Gamma_v: ");
  expect_refused(ei::ReplyMessage::decode(with_bad_scalar(good, psi_at), sid, 3), "psi: ");
}

TEST_CASE("ecdsa messages: the signature share decoder checks the type and both scalars") {
  const Digest32 sid = random_array<32>();
  const ei::ShareMessage m{random_array<32>(), Secp256k1Scalar::random(), Secp256k1Scalar::random()};
  const Bytes good = m.encode(sid);
  auto decoded = ei::ShareMessage::decode(good, sid);
  REQUIRE(decoded.ok());
  CHECK(decoded->w == m.w);
  CHECK(decoded->u == m.u);
  expect_refused(ei::ShareMessage::decode(with(good, 0, 0x63), sid), "wrong message type");
  expect_refused(ei::ShareMessage::decode(with_bad_scalar(good, kBody + 32), sid), "w: ");
  expect_refused(ei::ShareMessage::decode(with_bad_scalar(good, kBody + 64), sid), "u: ");
}
