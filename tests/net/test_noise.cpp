#include <catch2/catch.hpp>
#include <sodium.h>

#include <algorithm>
#include <array>

#include "support/test_support.hpp"
#include "net/noise.hpp"

using namespace tsign;
using tsign::test::hex;

namespace {

X25519KeyPair key(const std::string& h) { return X25519KeyPair::from_private(hex(h)).value(); }

struct Pair {
  NoiseHandshakeKK initiator;
  NoiseHandshakeKK responder;
};

Pair make_pair(const X25519KeyPair& i, const X25519KeyPair& r, ByteSpan prologue_i, ByteSpan prologue_r) {
  return {NoiseHandshakeKK(NoiseHandshakeKK::Role::Initiator, i, r.public_key(), prologue_i),
          NoiseHandshakeKK(NoiseHandshakeKK::Role::Responder, r, i.public_key(), prologue_r)};
}

}  // namespace

// Cacophony's Noise_KK_25519_ChaChaPoly_SHA256 vector.
TEST_CASE("Noise_KK known-answer vector") {
  Bytes prologue = hex("4a6f686e2047616c74");
  X25519KeyPair is = key("e61ef9919cde45dd5f82166404bd08e38bceb5dfdfded0a34c8df7ed542214d1");
  X25519KeyPair rs = key("4a3acbfdb163dec651dfa3194dece676d437029c62a408b4c5ea9114246e4893");
  CHECK(to_hex(rs.public_key()) == "31e0303fd6418d2f8c0e78b91f22e8caed0fbe48656dcf4767e4834f701b8f62");
  CHECK(to_hex(is.public_key()) == "6bc3822a2aa7f4e6981d6538692b3cdf3e6df9eea6ed269eb41d93c22757b75a");
  auto [ini, res] = make_pair(is, rs, prologue, prologue);
  ini.set_ephemeral_for_testing(key("893e28b9dc6ca8d611ab664754b8ceb7bac5117349a4439a6b0569da977c464a"));
  res.set_ephemeral_for_testing(key("bbdb4cdbd309f1a1f2e1456967fe288cadd6f712d65dc7b7793d5e63da6b375b"));

  auto m0 = ini.write_message(hex("4c756477696720766f6e204d69736573"));
  REQUIRE(m0);
  CHECK(to_hex(*m0) ==
        "ca35def5ae56cec33dc2036731ab14896bc4c75dbb07a61f879f8e3afa4c79440177015efc1fe7a37c629af7120a96274e6ab7afcc9261901d0e09ae32a5bb96");
  CHECK(to_hex(res.read_message(*m0).value()) == "4c756477696720766f6e204d69736573");
  auto m1 = res.write_message(hex("4d757272617920526f746862617264"));
  REQUIRE(m1);
  CHECK(to_hex(*m1) ==
        "95ebc60d2b1fa672c1f46a8aa265ef51bfe38e7ccb39ec5be34069f144808843b274d3429adc47ca093ba63ef90f8da89fda108db471dccfa4894aa7b00003");
  CHECK(to_hex(ini.read_message(*m1).value()) == "4d757272617920526f746862617264");

  auto ci = ini.split().value();
  auto cr = res.split().value();
  CHECK(to_hex(ci.handshake_hash) == "24c6b51ecb76277140ca018b5985bc9f03de321dae2d34dcae433dafef0131d9");
  CHECK(cr.handshake_hash == ci.handshake_hash);

  CHECK(to_hex(ci.send.encrypt({}, hex("462e20412e20486179656b")).value()) ==
        "966b05bc69ec01b8454d3160a214e6f24a3d884eb31ec2408af63f");
  CHECK(to_hex(cr.send.encrypt({}, hex("4361726c204d656e676572")).value()) ==
        "0ad887fba4f611bbb4afe44ba3556b8164332ca7d5934634d63d80");
  CHECK(to_hex(ci.send.encrypt({}, hex("4a65616e2d426170746973746520536179")).value()) ==
        "012b28ae646ae7830e2c5472cb023eab071c1db3d8413ec69b513b83832f974c2d");
  auto last = cr.send.encrypt({}, hex("457567656e2042f6686d20766f6e2042617765726b")).value();
  CHECK(to_hex(last) == "bb3e6a48160d9c5971d37f975727294e0d868342db31832e54d07191ab0ca3c3703b5ed3d9");
  CHECK(to_hex(cr.receive.decrypt({}, hex("966b05bc69ec01b8454d3160a214e6f24a3d884eb31ec2408af63f")).value()) ==
        "462e20412e20486179656b");
}

TEST_CASE("Noise_KK fails closed") {
  X25519KeyPair a = X25519KeyPair::generate(), b = X25519KeyPair::generate(), c = X25519KeyPair::generate();
  Bytes p = {1, 2, 3};

  SECTION("a round trip with fresh keys") {
    auto [ini, res] = make_pair(a, b, p, p);
    auto m0 = ini.write_message({}).value();
    CHECK(m0.size() == 48);
    REQUIRE(res.read_message(m0));
    auto m1 = res.write_message({}).value();
    REQUIRE(ini.read_message(m1));
    auto ci = ini.split().value();
    auto cr = res.split().value();
    auto ct = ci.send.encrypt({}, p).value();
    CHECK(cr.receive.decrypt({}, ct).value() == p);
    // A replayed or reordered frame fails: the nonce has moved on.
    CHECK_FALSE(cr.receive.decrypt({}, ct));
    auto ct2 = ci.send.encrypt({}, p).value();
    ct2[3] ^= 1;
    CHECK_FALSE(cr.receive.decrypt({}, ct2));
  }
  SECTION("the responder holds another static key") {
    NoiseHandshakeKK ini(NoiseHandshakeKK::Role::Initiator, a, b.public_key(), p);
    NoiseHandshakeKK res(NoiseHandshakeKK::Role::Responder, c, a.public_key(), p);
    CHECK_FALSE(res.read_message(ini.write_message({}).value()));
    CHECK_FALSE(res.write_message({}));
  }
  SECTION("the responder expects another initiator") {
    NoiseHandshakeKK ini(NoiseHandshakeKK::Role::Initiator, a, b.public_key(), p);
    NoiseHandshakeKK res(NoiseHandshakeKK::Role::Responder, b, c.public_key(), p);
    CHECK_FALSE(res.read_message(ini.write_message({}).value()));
  }
  SECTION("an impostor responder that answers anyway is caught by the initiator") {
    NoiseHandshakeKK ini(NoiseHandshakeKK::Role::Initiator, a, b.public_key(), p);
    auto m0 = ini.write_message({}).value();
    // The impostor (key c) cannot read m0, but a responder state built as if it had succeeded
    // with its own key produces a second message the initiator must reject.
    NoiseHandshakeKK fake_res(NoiseHandshakeKK::Role::Responder, c, a.public_key(), p);
    auto fm0 = NoiseHandshakeKK(NoiseHandshakeKK::Role::Initiator, a, c.public_key(), p).write_message({}).value();
    REQUIRE(fake_res.read_message(fm0));
    auto m1 = fake_res.write_message({}).value();
    CHECK_FALSE(ini.read_message(m1));
    CHECK_FALSE(ini.split());
  }
  SECTION("different prologues") {
    auto [ini, res] = make_pair(a, b, p, Bytes{1, 2, 4});
    CHECK_FALSE(res.read_message(ini.write_message({}).value()));
  }
  SECTION("tampered or truncated messages") {
    auto [ini, res] = make_pair(a, b, p, p);
    auto m0 = ini.write_message({}).value();
    m0[40] ^= 1;
    CHECK_FALSE(res.read_message(m0));
    auto [ini2, res2] = make_pair(a, b, p, p);
    auto m0b = ini2.write_message({}).value();
    CHECK_FALSE(res2.read_message(ByteSpan(m0b).first(47)));
  }
  SECTION("a low-order ephemeral key") {
    auto [ini, res] = make_pair(a, b, p, p);
    Bytes m0(48, 0);  // the all-zero point
    CHECK_FALSE(res.read_message(m0));
  }
  SECTION("out-of-turn calls") {
    auto [ini, res] = make_pair(a, b, p, p);
    CHECK_FALSE(res.write_message({}));
    CHECK_FALSE(ini.read_message(Bytes(48, 1)));
    CHECK_FALSE(ini.split());
  }
}

TEST_CASE("X25519 keys") {
  CHECK_FALSE(X25519KeyPair::from_private(Bytes(31, 1)));
  auto k = X25519KeyPair::generate();
  auto again = X25519KeyPair::from_private(k.private_key()).value();
  CHECK(again.public_key() == k.public_key());
  CHECK(k.clone().public_key() == k.public_key());
}

namespace {

bool says(const Result<Bytes>& r, const std::string& text) {
  return !r && r.error().kind == ErrorKind::Transport && r.error().message.find(text) != std::string::npos;
}

}  // namespace

TEST_CASE("a Noise transport message shorter than its tag is refused before decryption") {
  NoiseCipher cipher(Bytes(32, 5));
  for (std::size_t n : {0, 1, 15}) {
    auto r = cipher.decrypt({}, Bytes(n, 0));
    INFO(n);
    CHECK(says(r, "noise: ciphertext shorter than its tag"));
  }
  CHECK(cipher.nonce() == 0);
  // 16 bytes is an empty plaintext's tag: it reaches authentication.
  CHECK(says(cipher.decrypt({}, Bytes(16, 0)), "noise: message failed authentication"));
}

TEST_CASE("a Noise cipher stops at the reserved last nonce in both directions") {
  NoiseCipher sender(Bytes(32, 5)), receiver(Bytes(32, 5));
  const std::uint64_t last_usable = ~std::uint64_t{0} - 1;
  sender.set_nonce_for_testing(last_usable);
  receiver.set_nonce_for_testing(last_usable);
  auto sealed = sender.encrypt({}, Bytes{1, 2, 3});
  REQUIRE(sealed);
  CHECK(receiver.decrypt({}, *sealed).value() == Bytes{1, 2, 3});
  // 2^64 - 1 is reserved: neither side may use it, even for a message that would authenticate.
  CHECK(says(sender.encrypt({}, Bytes{4}), "noise: nonce exhausted"));
  // A ciphertext sealed (outside Noise) under the reserved nonce itself is refused unopened.
  const Bytes key(32, 5), plaintext{4};
  std::array<std::uint8_t, crypto_aead_chacha20poly1305_IETF_NPUBBYTES> reserved{};
  std::fill(reserved.begin() + 4, reserved.end(), 0xff);
  Bytes forged(plaintext.size() + NoiseCipher::kTagSize);
  unsigned long long forged_len = 0;
  crypto_aead_chacha20poly1305_ietf_encrypt(forged.data(), &forged_len, plaintext.data(), plaintext.size(), nullptr, 0,
                                            nullptr, reserved.data(), key.data());
  CHECK(says(receiver.decrypt({}, forged), "noise: nonce exhausted"));
  CHECK(receiver.nonce() == ~std::uint64_t{0});
}

TEST_CASE("a Noise handshake message above 65535 bytes is neither written nor read") {
  X25519KeyPair a = X25519KeyPair::generate(), b = X25519KeyPair::generate();
  Bytes p = {1};
  const std::size_t largest = NoiseHandshakeKK::kMaxMessage - 32 - NoiseCipher::kTagSize;
  {
    auto [ini, res] = make_pair(a, b, p, p);
    auto m0 = ini.write_message(Bytes(largest, 3));
    REQUIRE(m0);
    CHECK(m0->size() == NoiseHandshakeKK::kMaxMessage);
    CHECK(res.read_message(*m0).value() == Bytes(largest, 3));
  }
  {
    auto [ini, res] = make_pair(a, b, p, p);
    CHECK(says(ini.write_message(Bytes(largest + 1, 3)), "message exceeds 65535 bytes"));
  }
  {
    // The genuine ephemeral key and then one byte more than the limit allows.
    auto [ini, res] = make_pair(a, b, p, p);
    Bytes m0 = ini.write_message({}).value();
    m0.resize(NoiseHandshakeKK::kMaxMessage + 1, 0);
    CHECK(says(res.read_message(m0), "noise handshake: message of 65536 bytes"));
  }
}

TEST_CASE("a Noise handshake message shorter than a key and a tag is refused by its size") {
  X25519KeyPair a = X25519KeyPair::generate(), b = X25519KeyPair::generate();
  Bytes p = {1};
  auto [ini, res] = make_pair(a, b, p, p);
  auto m0 = ini.write_message({}).value();
  // The genuine ephemeral key, then less than a tag.
  CHECK(says(res.read_message(ByteSpan(m0).first(40)), "noise handshake: message of 40 bytes"));
  auto [ini2, res2] = make_pair(a, b, p, p);
  auto m0b = ini2.write_message({}).value();
  CHECK(says(res2.read_message(ByteSpan(m0b).first(47)), "noise handshake: message of 47 bytes"));
}

TEST_CASE("a Noise handshake reads only in its turn") {
  X25519KeyPair a = X25519KeyPair::generate(), b = X25519KeyPair::generate();
  Bytes p = {1};
  const std::string turn = "noise handshake: not this side's turn to read";
  SECTION("the initiator reads before it wrote") {
    auto [ini, res] = make_pair(a, b, p, p);
    CHECK(says(ini.read_message(Bytes(48, 1)), turn));
  }
  SECTION("the responder reads a second time, the message it would have to write") {
    auto [ini, res] = make_pair(a, b, p, p);
    auto m0 = ini.write_message({}).value();
    REQUIRE(res.read_message(m0));
    CHECK(says(res.read_message(m0), turn));
  }
  SECTION("after the handshake finished") {
    auto [ini, res] = make_pair(a, b, p, p);
    auto m0 = ini.write_message({}).value();
    REQUIRE(res.read_message(m0));
    auto m1 = res.write_message({}).value();
    REQUIRE(ini.read_message(m1));
    CHECK(says(ini.read_message(m1), turn));
    CHECK(says(res.read_message(m0), turn));
  }
  SECTION("after a failed read") {
    auto [ini, res] = make_pair(a, b, p, p);
    auto m0 = ini.write_message({}).value();
    Bytes tampered = m0;
    tampered[40] ^= 1;
    CHECK(says(res.read_message(tampered), "authentication failed"));
    // The genuine message now arrives: the failure was final.
    CHECK(says(res.read_message(m0), turn));
  }
}
