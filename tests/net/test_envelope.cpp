#include <catch2/catch.hpp>

#include "tsign/core/codec.hpp"
#include "tsign/net/envelope.hpp"
#include "tsign/protocol/session_id.hpp"

using namespace tsign;

namespace {
Envelope sample() {
  Envelope e;
  e.session = random_session_id();
  e.protocol = "dkg/secp256k1";
  e.round = 2;
  e.sender = 3;
  e.recipient = 5;
  e.kind = MessageKind::Protocol;
  e.payload = {1, 2, 3};
  return e;
}
}  // namespace

TEST_CASE("envelope round trip") {
  Envelope e = sample();
  auto d = decode_envelope(encode_envelope(e));
  REQUIRE(d);
  CHECK(d->session == e.session);
  CHECK(d->protocol == e.protocol);
  CHECK(d->round == 2);
  CHECK(d->sender == 3);
  CHECK(d->recipient == 5);
  CHECK(d->kind == MessageKind::Protocol);
  CHECK(d->payload == e.payload);
  e.recipient = kBroadcastRecipient;
  CHECK(decode_envelope(encode_envelope(e))->is_broadcast());
}

TEST_CASE("envelope decoding is strict") {
  Bytes good = encode_envelope(sample());
  SECTION("every truncation fails") {
    for (std::size_t n = 0; n < good.size(); ++n) {
      CHECK_FALSE(decode_envelope(ByteSpan(good).first(n)));
    }
  }
  SECTION("trailing bytes") {
    Bytes b = good;
    b.push_back(0);
    CHECK_FALSE(decode_envelope(b));
  }
  SECTION("version") {
    for (std::uint8_t version : {std::uint8_t{1}, std::uint8_t{kEnvelopeVersion + 1}}) {
      Bytes b = good;
      b[0] = version;
      CHECK_FALSE(decode_envelope(b));
    }
  }
  SECTION("a broadcast protocol message without its signature field") {
    Envelope e = sample();
    e.recipient = kBroadcastRecipient;
    Bytes b = encode_envelope(e);
    CHECK(decode_envelope(b));
    b.resize(b.size() - 64);
    CHECK_FALSE(decode_envelope(b));
  }
  SECTION("kind") {
    for (int kind : {0, 4, 255}) {
      Envelope e = sample();
      Bytes b = encode_envelope(e);
      b[b.size() - 3 - 4 - 1] = static_cast<std::uint8_t>(kind);  // kind sits just before the payload's length prefix
      CHECK_FALSE(decode_envelope(b));
    }
  }
  SECTION("sender 0") {
    Envelope e = sample();
    e.sender = 0;
    CHECK_FALSE(decode_envelope(encode_envelope(e)));
  }
  SECTION("protocol name") {
    Envelope e = sample();
    e.protocol = "";
    CHECK_FALSE(decode_envelope(encode_envelope(e)));
    e.protocol = std::string(kMaxProtocolNameLength + 1, 'a');
    CHECK_FALSE(decode_envelope(encode_envelope(e)));
    e.protocol = "bad name";
    CHECK_FALSE(decode_envelope(encode_envelope(e)));
    e.protocol = std::string(kMaxProtocolNameLength, 'a');
    CHECK(decode_envelope(encode_envelope(e)));
  }
  SECTION("payload limit") {
    Envelope e = sample();
    e.payload.assign(100, 7);
    CHECK(decode_envelope(encode_envelope(e), 100));
    CHECK_FALSE(decode_envelope(encode_envelope(e), 99));
  }
}

TEST_CASE("derived session ids bind every input") {
  Bytes ctx = {1, 2};
  SessionId a = derive_session_id("frost", {1, 2, 3}, ctx);
  CHECK(a == derive_session_id("frost", {1, 2, 3}, ctx));
  CHECK(a != derive_session_id("frost", {1, 2, 4}, ctx));
  CHECK(a != derive_session_id("dkg", {1, 2, 3}, ctx));
  CHECK(a != derive_session_id("frost", {1, 2, 3}, Bytes{1, 3}));
  CHECK(random_session_id() != random_session_id());
}
