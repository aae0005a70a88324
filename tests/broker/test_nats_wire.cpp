// The NATS transport's decoders and its replay window, without a broker.
#include <catch2/catch.hpp>

#include "broker/nats_wire.hpp"
#include "broker/replay_window.hpp"
#include "net/noise.hpp"
#include "tsign/core/random.hpp"

using namespace tsign;
using namespace tsign::nats_wire;

TEST_CASE("NATS frames decode strictly") {
  const Header hello{Kind::Hello, 1, 2, random_array<16>()};
  const Bytes noise(kHandshakeMessage, 7);
  const Bytes hello_frame = encode_handshake(hello, noise);  // the decoded frame views into it
  auto f = decode_frame(hello_frame);
  REQUIRE(f);
  CHECK(f->header.kind == Kind::Hello);
  CHECK(f->header.sender == 1);
  CHECK(f->header.recipient == 2);
  CHECK(f->header.link == hello.link);
  CHECK(f->clear_header.size() == kHeaderSize);

  Bytes sealed = encode_sealed_prefix({Kind::Sealed, 3, 2, hello.link}, 42);
  append(sealed, Bytes(kTagSize + 1, 1));
  f = decode_frame(sealed);
  REQUIRE(f);
  CHECK(f->nonce == 42);
  CHECK(f->clear_header.size() == kHeaderSize + 8);
  CHECK(f->body.size() == kTagSize + 1);

  auto refused = [](Bytes b) { return !decode_frame(b).ok(); };
  Bytes bad = encode_handshake(hello, noise);
  bad[0] = 'X';
  CHECK(refused(bad));  // magic
  bad = encode_handshake(hello, noise);
  bad[4] = 2;
  CHECK(refused(bad));  // version
  bad = encode_handshake(hello, noise);
  bad[5] = 9;
  CHECK(refused(bad));  // kind
  CHECK(refused(encode_handshake({Kind::Hello, 0, 2, {}}, noise)));
  CHECK(refused(encode_handshake({Kind::Hello, 2, 2, {}}, noise)));
  CHECK(refused(encode_handshake(hello, Bytes(kHandshakeMessage - 1, 7))));
  CHECK(refused(encode_handshake(hello, Bytes(kHandshakeMessage + 1, 7))));
  CHECK(refused(encode_header({Kind::Rekey, 3, 2, hello.link})));
  CHECK(!refused(encode_header({Kind::Rekey, 3, 2, {}})));
  sealed.resize(sealed.size() - 1);
  CHECK(refused(sealed));  // shorter than a tag and one byte
  Bytes huge = encode_sealed_prefix({Kind::Sealed, 3, 2, hello.link}, 1);
  append(huge, Bytes(kMaxCiphertext + 1, 0));
  CHECK(refused(huge));
  CHECK(refused({}));
}

TEST_CASE("NATS transport units decode strictly") {
  Unit u;
  u.mine = random_array<16>();
  u.yours = random_array<16>();
  u.seq = 5;
  u.ack = 3;
  u.first_unacked = 2;
  u.flags = kFirstFragment | kLastFragment;
  const Bytes payload(40, 9);
  u.bytes = payload;
  const Bytes encoded = encode_data(u);  // the decoded unit's bytes view into it
  auto d = decode_unit(encoded);
  REQUIRE(d);
  CHECK(d->type == UnitType::Data);
  CHECK((d->mine == u.mine && d->yours == u.yours));
  CHECK((d->seq == 5 && d->ack == 3 && d->first_unacked == 2 && d->flags == u.flags));
  CHECK(Bytes(d->bytes.begin(), d->bytes.end()) == payload);
  auto a = decode_unit(encode_ack(u));
  REQUIRE(a);
  CHECK((a->type == UnitType::Ack && a->ack == 3 && a->first_unacked == 2));

  Bytes bad = encode_data(u);
  bad[0] = 7;
  CHECK(!decode_unit(bad));  // type
  u.flags = 0x04;
  CHECK(!decode_unit(encode_data(u)));  // flags
  u.flags = kLastFragment;
  u.bytes = {};
  CHECK(!decode_unit(encode_data(u)));  // no bytes
  bad = encode_ack(u);
  bad.push_back(0);
  CHECK(!decode_unit(bad));  // trailing byte
}

TEST_CASE("the replay window accepts each nonce once and nothing older than the window") {
  ReplayWindow w;
  CHECK(w.fresh(0));
  w.accept(5);
  CHECK(!w.fresh(5));
  CHECK(w.fresh(3));  // late, not seen: accepted once
  w.accept(3);
  CHECK(!w.fresh(3));
  w.accept(5000);
  CHECK(!w.fresh(5000));
  CHECK(w.fresh(5000 - ReplayWindow::kSize + 1));
  CHECK(!w.fresh(5000 - ReplayWindow::kSize - 1));  // older than the window
  CHECK(!w.fresh(5));
  CHECK(w.fresh(5001));
}

TEST_CASE("a Noise cipher decrypts with the nonce a message names, in any order") {
  const Bytes key(32, 3);
  NoiseCipher sender(key), receiver(key);
  const Bytes ad = {1, 2, 3};
  const Bytes first = sender.encrypt(ad, Bytes{10}).value();
  const Bytes second = sender.encrypt(ad, Bytes{20}).value();
  CHECK(receiver.decrypt_with_nonce(1, ad, second).value() == Bytes{20});
  CHECK(receiver.decrypt_with_nonce(0, ad, first).value() == Bytes{10});
  CHECK(!receiver.decrypt_with_nonce(1, ad, first));  // wrong nonce
  CHECK(!receiver.decrypt_with_nonce(0, Bytes{9}, first));  // other associated data
  CHECK(receiver.nonce() == 0);  // its own counter did not move
}
