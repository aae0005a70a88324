#include <catch2/catch.hpp>

#include "ot_test_support.hpp"
#include "ot/multiply.hpp"

using namespace tsign;
using namespace tsign::ot;

namespace {

// Every strict prefix and every one-byte extension of a valid encoding must be refused.
template <class Decode>
void refuses_every_truncation(const Bytes& good, Decode decode) {
  REQUIRE(decode(ByteSpan(good)));
  for (std::size_t n = 0; n < good.size(); ++n) REQUIRE_FALSE(decode(ByteSpan(good).first(n)));
  Bytes longer = good;
  longer.push_back(0);
  REQUIRE_FALSE(decode(ByteSpan(longer)));
}

}  // namespace

TEST_CASE("decoders refuse every truncation and any trailing byte") {
  const Bytes sid = random_bytes(32);
  const PairSession session{sid, 1, 2};
  auto r1 = SetupReceiver::start(session);
  REQUIRE(r1.ok());
  const Bytes w1 = r1->second.encode();
  refuses_every_truncation(w1, [](ByteSpan b) { return SetupMsg1::decode(b, 2).ok(); });
  auto s2 = SetupSender::respond(session, r1->second);
  REQUIRE(s2.ok());
  const Bytes w2 = s2->second.encode();
  refuses_every_truncation(w2, [](ByteSpan b) { return SetupMsg2::decode(b, 1).ok(); });
  auto r3 = std::move(r1->first).finish(s2->second);
  REQUIRE(r3.ok());
  const Bytes w3 = r3->second.encode();
  refuses_every_truncation(w3, [](ByteSpan b) { return SetupMsg3::decode(b, 2).ok(); });
  auto sender = std::move(s2->first).finish(r3->second);
  REQUIRE(sender.ok());
  OtReceiverSetup& receiver = r3->first;

  const SecretBytes se = sender->encode(), re = receiver.encode();
  refuses_every_truncation(Bytes(se.expose().begin(), se.expose().end()),
                           [](ByteSpan b) { return OtSenderSetup::decode(b).ok(); });
  refuses_every_truncation(Bytes(re.expose().begin(), re.expose().end()),
                           [](ByteSpan b) { return OtReceiverSetup::decode(b).ok(); });

  auto ext = extend_receiver(receiver, session, 200);
  REQUIRE(ext.ok());
  refuses_every_truncation(ext->second.encode(), [](ByteSpan b) { return ExtensionMsg::decode(b, 200, 2).ok(); });

  auto mul = MulReceiver::start(receiver, session, 2);
  REQUIRE(mul.ok());
  refuses_every_truncation(mul->second.encode(), [](ByteSpan b) { return MulRequest::decode(b, 2).ok(); });
  const std::vector<Secp256k1Scalar> a = {Secp256k1Scalar::random(), Secp256k1Scalar::random()};
  auto resp = mul_sender_respond(*sender, session, a, mul->second);
  REQUIRE(resp.ok());
  refuses_every_truncation(resp->response.encode(), [](ByteSpan b) { return MulResponse::decode(b, 2, 1).ok(); });
}
